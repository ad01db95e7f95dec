package dev.ossaat.orchestrator.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.util.Iterator;
import java.util.Set;

/**
 * Bedrock's {@code InvokeModel} for the two embedding families the gateway calls, validated as
 * Bedrock validates them (unknown keys, dimensions, input_type, sizes: a {@code ValidationException}):
 * Titan Text Embeddings ({@code {"inputText","dimensions","normalize"}} → {@code {"embedding":[...],
 * "inputTextTokenCount":N}}, N the text's whitespace-separated words, so sums are checkable) and
 * Cohere Embed v3 ({@code {"texts":[...],"input_type":...}} → {@code {"id","embeddings":[[...]],
 * "response_type":"embeddings_floats","texts":[...]}}, no token count, as Cohere on Bedrock answers).
 * Vectors are deterministic per text: sixteenths from its hash, so they print exactly.
 */
final class BedrockInvokeBodies {
  private static final Set<String> TITAN_V2_KEYS = Set.of("inputText", "dimensions", "normalize", "embeddingTypes");
  private static final Set<String> COHERE_KEYS = Set.of("texts", "input_type", "truncate", "embedding_types", "images");
  private static final Set<String> INPUT_TYPES = Set.of("search_document", "search_query", "classification", "clustering");

  private BedrockInvokeBodies() {}

  /** Whether the simulator serves InvokeModel for this model id. */
  static boolean embeds(String modelId) {
    return modelId.contains("amazon.titan-embed-text-v2") || modelId.contains("cohere.embed-");
  }

  /** @throws BadRequestException with Bedrock's validation message */
  static String answer(String modelId, Buffer body, boolean omitUsage) {
    JsonNode root;
    try {
      root = SimJson.MAPPER.readTree(body.getBytes());
    } catch (java.io.IOException e) {
      throw new BadRequestException("Malformed input request, please reformat your input and try again.");
    }
    if (root == null || !root.isObject()) throw new BadRequestException("Malformed input request: expected an object");
    return modelId.contains("cohere.") ? cohere(root) : titan(root, omitUsage);
  }

  private static String titan(JsonNode root, boolean omitUsage) {
    extraneous(root, TITAN_V2_KEYS);
    JsonNode text = root.get("inputText");
    if (text == null || !text.isTextual()) throw new BadRequestException("Malformed input request: #: required key [inputText] not found");
    if (text.textValue().isEmpty()) throw new BadRequestException("Malformed input request: #/inputText: expected minLength: 1, actual: 0");
    int dimensions = root.path("dimensions").asInt(1024);
    if (dimensions != 256 && dimensions != 512 && dimensions != 1024) {
      throw new BadRequestException("Malformed input request: #/dimensions: " + dimensions + " is not a valid enum value");
    }
    ObjectNode out = SimJson.MAPPER.createObjectNode();
    vector(out.putArray("embedding"), text.textValue(), dimensions);
    if (!omitUsage) out.put("inputTextTokenCount", words(text.textValue()));
    return SimJson.write(out);
  }

  private static String cohere(JsonNode root) {
    extraneous(root, COHERE_KEYS);
    JsonNode texts = root.get("texts");
    if (texts == null || !texts.isArray()) throw new BadRequestException("Malformed input request: #: required key [texts] not found");
    if (texts.size() > 96) throw new BadRequestException("Malformed input request: #/texts: expected maximum item count: 96, found: " + texts.size());
    JsonNode type = root.get("input_type");
    if (type == null || !INPUT_TYPES.contains(type.asText())) {
      throw new BadRequestException("Malformed input request: #/input_type: " + type + " is not a valid enum value");
    }
    ObjectNode out = SimJson.MAPPER.createObjectNode().put("id", "sim-embed-" + Integer.toHexString(texts.hashCode()));
    ArrayNode vectors = out.putArray("embeddings");
    for (JsonNode t : texts) vector(vectors.addArray(), t.asText(), 1024);
    out.put("response_type", "embeddings_floats");
    out.set("texts", texts);
    return SimJson.write(out);
  }

  private static void extraneous(JsonNode root, Set<String> allowed) {
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) throw new BadRequestException("Malformed input request: #: extraneous key [" + name + "] is not permitted");
    }
  }

  private static int words(String text) {
    String t = text.strip();
    return t.isEmpty() ? 0 : t.split("\\s+").length;
  }

  private static void vector(ArrayNode values, String text, int dimensions) {
    int hash = text.hashCode();
    for (int d = 0; d < dimensions; d++) values.add(((hash >>> (4 * (d % 8))) & 0xF) / 16.0 - 0.5);
  }
}
