package dev.ossaat.orchestrator.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.exchange.ClientRequest;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;

/**
 * Embeddings in the encoding the client asked for. OpenAI's SDKs ask {@code encoding_format: "base64"}
 * by default and decode the answer as base64 of little-endian float32s; several OpenAI-compatible
 * servers ignore the field and answer JSON floats, which such a client would decode into wrong
 * vectors without an error. So a float answer to a base64 request is encoded here, as OpenAI would.
 */
final class EmbeddingEncoding {
  private EmbeddingEncoding() {}

  static boolean wantsBase64(ClientRequest request) {
    JsonNode format = request.body().get("encoding_format");
    return format != null && format.isTextual() && format.textValue().equals("base64");
  }

  /** The answer with every float vector as base64; unchanged when the provider already encoded them. */
  static Buffer toBase64(Buffer answer) {
    if (!containsFloatVector(answer)) return answer;
    ObjectNode root = Json.parseObject(answer);
    for (JsonNode item : root.path("data")) {
      JsonNode vector = item.get("embedding");
      if (vector == null || !vector.isArray()) continue;
      ByteBuffer bytes = ByteBuffer.allocate(4 * vector.size()).order(ByteOrder.LITTLE_ENDIAN);
      for (JsonNode v : vector) bytes.putFloat(v.floatValue());
      ((ObjectNode) item).put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
    }
    return Json.buffer(root);
  }

  /** A cheap look at the bytes: {@code "embedding":[} means floats (base64 would be a string). */
  private static boolean containsFloatVector(Buffer answer) {
    String text = answer.toString(java.nio.charset.StandardCharsets.UTF_8);
    int at = text.indexOf("\"embedding\"");
    while (at >= 0) {
      int i = at + 11;
      while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == ':')) i++;
      if (i < text.length() && text.charAt(i) == '[') return true;
      at = text.indexOf("\"embedding\"", i);
    }
    return false;
  }

  /** The answer with {@code "usage":{"prompt_tokens":N,"total_tokens":N}} when it has no usage at all. */
  static Buffer withUsage(Buffer answer, dev.ossaat.orchestrator.exchange.Usage usage) {
    if (dev.ossaat.orchestrator.codec.Json.topLevelField(answer, "usage") != null) return answer;
    com.fasterxml.jackson.databind.node.ObjectNode root;
    try {
      root = dev.ossaat.orchestrator.codec.Json.parseObject(answer);
    } catch (RuntimeException notJson) {
      return answer;
    }
    root.putObject("usage").put("prompt_tokens", usage.promptTokens()).put("total_tokens", usage.promptTokens());
    return dev.ossaat.orchestrator.codec.Json.buffer(root);
  }
}
