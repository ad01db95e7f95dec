package dev.ossaat.orchestrator.batching;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.provider.Completion;
import dev.ossaat.orchestrator.provider.ProviderException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/** A combined embeddings answer cut back into one answer per request, in the requests' order. */
final class EmbeddingSplit {
  private EmbeddingSplit() {}

  static List<AsyncResult<Completion>> of(String provider, Completion combined, List<EmbeddingInputs> parts) {
    int total = 0;
    for (EmbeddingInputs p : parts) total += p.size();
    List<AsyncResult<Completion>> out = new ArrayList<>(parts.size());
    JsonNode[] byIndex = new JsonNode[total];
    ObjectNode root;
    try {
      root = Json.parseObject(combined.body());
      JsonNode data = root.path("data");
      if (!data.isArray() || data.size() != total) {
        return failAll(parts, EmbeddingBatcher.malformed(provider, "with " + data.size() + " vectors for " + total + " inputs"));
      }
      int position = 0;
      for (JsonNode item : data) {
        int index = item.path("index").asInt(position);
        if (index < 0 || index >= total || byIndex[index] != null) {
          return failAll(parts, EmbeddingBatcher.malformed(provider, "with an out-of-place index " + index));
        }
        byIndex[index] = item;
        position++;
      }
    } catch (RuntimeException e) {
      return failAll(parts, EmbeddingBatcher.malformed(provider, "with a body that is not an embeddings list"));
    }
    long[] shares = shares(combined.usage() == null ? -1 : combined.usage().promptTokens(), parts);
    int offset = 0;
    for (int p = 0; p < parts.size(); p++) {
      ObjectNode body = Json.object();
      body.put("object", root.path("object").asText("list"));
      ArrayNode data = body.putArray("data");
      for (int j = 0; j < parts.get(p).size(); j++) {
        ObjectNode item = byIndex[offset + j].deepCopy();
        item.put("index", j);
        data.add(item);
      }
      offset += parts.get(p).size();
      if (root.has("model")) body.set("model", root.get("model"));
      if (shares != null) body.set("usage", EmbeddingBatcher.usageNode(shares[p]));
      out.add(Future.succeededFuture(new Completion(Json.buffer(body), combined.format(),
          shares == null ? null : EmbeddingBatcher.usage(shares[p]))));
    }
    return out;
  }

  /** Largest-remainder shares of {@code total} by input weight: they add up to it exactly. Null when unknown. */
  static long[] shares(long total, List<EmbeddingInputs> parts) {
    if (total < 0) return null;
    long weightSum = 0;
    for (EmbeddingInputs p : parts) weightSum += p.weight();
    long[] out = new long[parts.size()];
    double[] remainders = new double[parts.size()];
    long given = 0;
    for (int i = 0; i < parts.size(); i++) {
      double exact = (double) total * parts.get(i).weight() / weightSum;
      out[i] = (long) Math.floor(exact);
      remainders[i] = exact - out[i];
      given += out[i];
    }
    for (long left = total - given; left > 0; left--) {
      int best = 0;
      for (int i = 1; i < remainders.length; i++) if (remainders[i] > remainders[best]) best = i;
      out[best]++;
      remainders[best] = -1;
    }
    return out;
  }

  private static List<AsyncResult<Completion>> failAll(List<EmbeddingInputs> parts, Throwable cause) {
    List<AsyncResult<Completion>> out = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      out.add(Future.failedFuture(i > 0 && cause instanceof ProviderException pe ? pe.echo() : cause));
    }
    return out;
  }
}
