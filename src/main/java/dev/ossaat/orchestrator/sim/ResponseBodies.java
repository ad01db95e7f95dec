package dev.ossaat.orchestrator.sim;

import java.util.List;

/**
 * OpenAI response bodies for one profile. Everything that depends only on the profile (the standard chat
 * answer, usage objects) is rendered once, when the profile is configured, which keeps the simulator cheap
 * under benchmark load.
 */
final class ResponseBodies {
  static final String MODELS = "{\"object\":\"list\",\"data\":["
      + model("sim-small") + "," + model("sim-large") + "," + model("gpt-4o-mini") + "]}";
  private static final int EMBEDDING_DIMENSIONS = 8;

  private final SimProfile profile;
  private final ChatBodies standardChat;
  private final String embeddingsTail;

  ResponseBodies(SimProfile profile) {
    this.profile = profile;
    this.standardChat = new ChatBodies(profile, Generation.standard(profile), null);
    int prompt = profile.promptTokens();
    embeddingsTail = (profile.omitUsage() ? ""
        : ",\"usage\":{\"prompt_tokens\":" + prompt + ",\"total_tokens\":" + prompt + "}") + "}";
  }

  /** The chat bodies of {@code generation}: pre-rendered for the standard answer, rendered now otherwise. */
  ChatBodies chat(Generation generation, String toolCallId) {
    return generation.isStandard(profile) ? standardChat : new ChatBodies(profile, generation, toolCallId);
  }

  /**
   * An embeddings list with one deterministic vector per input: JSON floats, or with {@code base64}
   * (the client asked {@code encoding_format: "base64"}, as OpenAI's SDKs do by default) the base64 of
   * the vector's little-endian float32 bytes, as OpenAI answers.
   */
  String embeddings(String model, List<String> inputs, boolean base64) {
    StringBuilder body = new StringBuilder(64 + inputs.size() * 96).append("{\"object\":\"list\",\"data\":[");
    for (int i = 0; i < inputs.size(); i++) {
      if (i > 0) {
        body.append(',');
      }
      body.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":");
      if (base64) {
        appendBase64Vector(body, inputs.get(i).hashCode());
      } else {
        body.append('[');
        appendVector(body, inputs.get(i).hashCode());
        body.append(']');
      }
      body.append('}');
    }
    return body.append("],\"model\":").append(SimJson.quote(model)).append(embeddingsTail).toString();
  }

  /**
   * Small values derived from the input's hash, so equal inputs embed equally (caching tests can compare
   * vectors). Sixteenths print exactly.
   */
  private static void appendVector(StringBuilder body, int hash) {
    for (int d = 0; d < EMBEDDING_DIMENSIONS; d++) {
      if (d > 0) {
        body.append(',');
      }
      body.append(((hash >>> (4 * d)) & 0xF) / 16.0 - 0.5);
    }
  }

  private static void appendBase64Vector(StringBuilder body, int hash) {
    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4 * EMBEDDING_DIMENSIONS).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    for (int d = 0; d < EMBEDDING_DIMENSIONS; d++) {
      bytes.putFloat((float) (((hash >>> (4 * d)) & 0xF) / 16.0 - 0.5));
    }
    body.append('"').append(java.util.Base64.getEncoder().encodeToString(bytes.array())).append('"');
  }

  private static String model(String id) {
    return "{\"id\":\"" + id + "\",\"object\":\"model\",\"created\":0,\"owned_by\":\"simulator\"}";
  }
}
