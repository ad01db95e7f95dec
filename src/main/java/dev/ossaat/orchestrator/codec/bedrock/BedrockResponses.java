package dev.ossaat.orchestrator.codec.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.CodecException;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.exchange.ChatResponse;
import io.vertx.core.buffer.Buffer;

/**
 * Converse answers: {@code output.message.content}, {@code stopReason}, {@code usage}. Converse
 * names neither the answer nor the model: the Bedrock adapter adds {@code id} (AWS's request id) and
 * {@code model} (the model id it called) at the top level, read here when present.
 */
final class BedrockResponses {
  private BedrockResponses() {}

  /** Claude's {@code stop_sequence}, when the request asked for it ({@code additionalModelResponseFieldPaths}). */
  static String stopSequence(JsonNode holder) {
    JsonNode seq = holder.path("additionalModelResponseFields").path("stop_sequence");
    return seq.isTextual() ? seq.textValue() : null;
  }

  static ChatResponse decode(Buffer body) {
    ObjectNode root = Json.parseObject(body);
    JsonNode content = root.path("output").path("message").path("content");
    if (!content.isArray()) throw new CodecException("a Converse answer without output.message.content");
    return new ChatResponse(root.path("id").asText(""), root.path("model").asText(""), BedrockBlocks.read(content),
        BedrockStops.read(root.path("stopReason").isTextual() ? root.get("stopReason").textValue() : null),
        stopSequence(root),
        BedrockUsage.read(root.get("usage")));
  }
}
