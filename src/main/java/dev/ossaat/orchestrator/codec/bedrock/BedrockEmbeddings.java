package dev.ossaat.orchestrator.codec.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.CodecException;
import dev.ossaat.orchestrator.codec.Json;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * OpenAI embeddings requests as Bedrock {@code InvokeModel} bodies, and the answers back in OpenAI's
 * list shape (base64, when asked, is applied after this by the encode stage, as for every provider).
 *
 * <p>Two model families: Amazon Titan Text Embeddings ({@code amazon.titan-embed-text-v2:0}: one
 * {@code inputText} per call, so the provider fans several inputs out; {@code dimensions} is Titan's
 * {@code dimensions}, 256, 512 or 1024; it reports {@code inputTextTokenCount}) and Cohere Embed
 * ({@code cohere.embed-english-v3}, {@code cohere.embed-multilingual-v3}: up to 96 {@code texts} per
 * call with an {@code input_type}; it reports no token count, so the gateway estimates it, marked).
 * Token-id inputs are refused: neither family takes them.
 */
public final class BedrockEmbeddings {
  /** Cohere Embed takes at most this many texts per call. */
  public static final int COHERE_MAX_TEXTS = 96;
  private static final Set<Integer> TITAN_V2_DIMENSIONS = Set.of(256, 512, 1024);
  private static final Set<String> COHERE_INPUT_TYPES = Set.of("search_document", "search_query", "classification", "clustering");

  /** The embedding model families orchestrator can call through InvokeModel. */
  public enum Family {
    TITAN_V1, TITAN_V2, COHERE
  }

  private BedrockEmbeddings() {}

  /** The family of a Bedrock model id (region prefix and ARN tolerated), or null when it is not one we embed with. */
  public static Family family(String modelId) {
    String id = modelId;
    int slash = id.lastIndexOf('/');
    if (slash >= 0) id = id.substring(slash + 1);
    if (id.contains("amazon.titan-embed-text-v2")) return Family.TITAN_V2;
    if (id.contains("amazon.titan-embed-text-v1") || id.endsWith("amazon.titan-embed-text")) return Family.TITAN_V1;
    if (id.contains("cohere.embed-")) return Family.COHERE;
    return null;
  }

  /**
   * The InvokeModel bodies for an OpenAI embeddings request: one per input for Titan, one per 96
   * inputs for Cohere, in input order.
   *
   * @throws CodecException for inputs the model cannot take (token ids, a dimension it has not)
   */
  public static List<Buffer> encode(ObjectNode openAiBody, Family family) {
    List<String> inputs = inputs(openAiBody.get("input"));
    Integer dimensions = Json.integer(openAiBody, "dimensions", "dimensions");
    List<Buffer> bodies = new ArrayList<>();
    if (family == Family.COHERE) {
      if (dimensions != null && dimensions != 1024) {
        throw new CodecException("Cohere Embed v3 on Bedrock answers 1024 dimensions only, not " + dimensions, "dimensions");
      }
      String inputType = inputType(openAiBody);
      for (int from = 0; from < inputs.size(); from += COHERE_MAX_TEXTS) {
        ObjectNode body = Json.object();
        ArrayNode texts = body.putArray("texts");
        for (String text : inputs.subList(from, Math.min(inputs.size(), from + COHERE_MAX_TEXTS))) texts.add(text);
        body.put("input_type", inputType);
        bodies.add(Json.buffer(body));
      }
      return bodies;
    }
    if (family == Family.TITAN_V1 && dimensions != null) {
      throw new CodecException("Titan Text Embeddings v1 has a fixed size (1536); 'dimensions' needs amazon.titan-embed-text-v2:0", "dimensions");
    }
    if (dimensions != null && !TITAN_V2_DIMENSIONS.contains(dimensions)) {
      throw new CodecException("Titan Text Embeddings v2 answers 256, 512 or 1024 dimensions, not " + dimensions, "dimensions");
    }
    for (String text : inputs) {
      ObjectNode body = Json.object().put("inputText", text);
      if (family == Family.TITAN_V2) {
        Json.putIfNotNull(body, "dimensions", dimensions);
        // OpenAI's vectors are unit length; clients compare them with a dot product.
        body.put("normalize", true);
      }
      bodies.add(Json.buffer(body));
    }
    return bodies;
  }

  /** Cohere needs an input_type; OpenAI has none, so a client may name it, otherwise documents are embedded. */
  private static String inputType(ObjectNode openAiBody) {
    JsonNode given = openAiBody.get("input_type");
    if (given == null || given.isNull()) return "search_document";
    if (!given.isTextual() || !COHERE_INPUT_TYPES.contains(given.textValue())) {
      throw new CodecException("'input_type' must be one of " + COHERE_INPUT_TYPES, "input_type");
    }
    return given.textValue();
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
        throw new CodecException("Bedrock embedding models embed text only: 'input' must be a string or a list of strings, not token ids", "input");
      }
      out.add(item.textValue());
    }
    return out;
  }

  /** The vectors of one InvokeModel answer, in order, and its token count (null when it reports none). */
  public record Answer(List<JsonNode> vectors, Long tokens) {}

  /** @throws CodecException when the answer has no vectors where the family puts them */
  public static Answer decode(Buffer body, Family family) {
    ObjectNode root = Json.parseObject(body);
    List<JsonNode> vectors = new ArrayList<>();
    if (family == Family.COHERE) {
      JsonNode embeddings = root.path("embeddings");
      // embedding_types asked: {"float": [[...]]}; otherwise a plain list of lists
      if (embeddings.isObject()) embeddings = embeddings.path("float");
      for (JsonNode v : embeddings) vectors.add(v);
      if (vectors.isEmpty()) throw new CodecException("a Cohere answer without embeddings");
      return new Answer(vectors, null);
    }
    JsonNode vector = root.get("embedding");
    if (vector == null || !vector.isArray()) throw new CodecException("a Titan answer without an embedding");
    vectors.add(vector);
    JsonNode tokens = root.get("inputTextTokenCount");
    return new Answer(vectors, tokens != null && tokens.canConvertToLong() ? tokens.asLong() : null);
  }

  /** OpenAI's list shape; {@code tokens} null leaves usage out (the gateway estimates and marks it). */
  public static Buffer openAi(List<JsonNode> vectors, String model, Long tokens) {
    ObjectNode out = Json.object().put("object", "list");
    ArrayNode data = out.putArray("data");
    for (int i = 0; i < vectors.size(); i++) {
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      item.set("embedding", vectors.get(i));
    }
    out.put("model", model);
    if (tokens != null) out.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
    return Json.buffer(out);
  }
}
