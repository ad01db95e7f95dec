package dev.ossaat.orchestrator.codec.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.CodecException;
import dev.ossaat.orchestrator.codec.Json;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI embeddings requests as Gemini's: one text to {@code embedContent}, several to
 * {@code batchEmbedContents} (one request per text); {@code dimensions} is
 * {@code outputDimensionality}. The answer comes back in OpenAI's list shape, so every embeddings
 * client reads it as it reads OpenAI's (base64 encoding, when asked, is applied after this). Gemini
 * reports no token counts for embeddings: the answer carries no {@code usage}, and the gateway counts
 * the input with its estimate, marked as such.
 */
public final class GeminiEmbeddings {
  /** A request for Gemini: whether it is a batch, and its body. */
  public record Call(boolean batch, Buffer body, int inputs) {}

  private GeminiEmbeddings() {}

  /** @throws CodecException for inputs Gemini cannot embed (token arrays, non-strings) */
  public static Call encode(ObjectNode openAiBody, String model) {
    List<String> inputs = inputs(openAiBody.get("input"));
    Integer dimensions = Json.integer(openAiBody, "dimensions", "dimensions");
    if (inputs.size() == 1) {
      ObjectNode body = request(inputs.get(0), dimensions);
      return new Call(false, Json.buffer(body), 1);
    }
    ObjectNode body = Json.object();
    ArrayNode requests = body.putArray("requests");
    for (String text : inputs) requests.add(request(text, dimensions).put("model", "models/" + model));
    return new Call(true, Json.buffer(body), inputs.size());
  }

  private static ObjectNode request(String text, Integer dimensions) {
    ObjectNode r = Json.object();
    r.putObject("content").putArray("parts").addObject().put("text", text);
    Json.putIfNotNull(r, "outputDimensionality", dimensions);
    return r;
  }

  private static List<String> inputs(JsonNode input) {
    List<String> out = new ArrayList<>();
    if (input != null && input.isTextual()) {
      out.add(input.textValue());
      return out;
    }
    if (input == null || !input.isArray() || input.isEmpty()) {
      throw new CodecException("'input' must be a string or a non-empty list of strings", "input");
    }
    for (JsonNode item : input) {
      if (!item.isTextual()) {
        throw new CodecException("Gemini embeds text only: 'input' must be a string or a list of strings, not token ids", "input");
      }
      out.add(item.textValue());
    }
    return out;
  }

  /** Gemini's answer in OpenAI's shape; {@code model} is the model the client asked for. */
  public static Buffer decode(Buffer geminiBody, boolean batch, String model) {
    ObjectNode root = Json.parseObject(geminiBody);
    List<JsonNode> vectors = new ArrayList<>();
    if (batch) {
      for (JsonNode e : root.path("embeddings")) vectors.add(e.path("values"));
    } else if (root.path("embedding").has("values")) {
      vectors.add(root.path("embedding").get("values"));
    }
    if (vectors.isEmpty()) throw new CodecException("an embeddings answer without embeddings");
    ObjectNode out = Json.object().put("object", "list");
    ArrayNode data = out.putArray("data");
    for (int i = 0; i < vectors.size(); i++) {
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      item.set("embedding", vectors.get(i));
    }
    out.put("model", model);
    return Json.buffer(out);
  }
}
