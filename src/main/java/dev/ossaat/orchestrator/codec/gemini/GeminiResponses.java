package dev.ossaat.orchestrator.codec.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.CodecException;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.exchange.ChatResponse;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.StopReason;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Whole {@code GenerateContentResponse}s to the neutral model: the first candidate's parts as blocks
 * (thought parts as reasoning, function calls with stable ids), its finish reason, the usage. A prompt
 * Gemini blocked ({@code promptFeedback.blockReason}, no candidates) is an empty answer stopped by the
 * content filter: the client gets a clear {@code content_filter} result, not an error it would retry.
 */
final class GeminiResponses {
  private GeminiResponses() {}

  static ChatResponse decode(Buffer body) {
    ObjectNode root = Json.parseObject(body);
    String id = root.path("responseId").asText("");
    String model = root.path("modelVersion").asText("");
    JsonNode candidate = root.path("candidates").path(0);
    if (candidate.isMissingNode()) {
      if (root.path("promptFeedback").has("blockReason")) {
        return new ChatResponse(id, model, List.of(), StopReason.CONTENT_FILTER, null, GeminiUsage.read(root.get("usageMetadata")));
      }
      throw new CodecException("an answer without candidates or promptFeedback");
    }
    List<ContentBlock> content = new ArrayList<>();
    int calls = 0;
    for (JsonNode part : candidate.path("content").path("parts")) {
      ContentBlock b = block(part, calls);
      if (b == null) continue;
      if (b instanceof ContentBlock.ToolCall) calls++;
      content.add(b);
    }
    StopReason stop = GeminiStops.read(candidate.path("finishReason").asText(null));
    if (calls > 0 && stop != StopReason.CONTENT_FILTER && stop != StopReason.MAX_TOKENS) stop = StopReason.TOOL_USE;
    if (stop == null) stop = StopReason.END_TURN;
    return new ChatResponse(id, model, content, stop, null, GeminiUsage.read(root.get("usageMetadata")));
  }

  /** One part as a block; {@code calls} is how many function calls came before it in the answer. */
  static ContentBlock block(JsonNode part, int calls) {
    if (part.has("functionCall")) {
      JsonNode fc = part.get("functionCall");
      String name = fc.path("name").asText("");
      String id = GeminiToolIds.of(calls, name, fc.path("id").asText(null), part.path("thoughtSignature").asText(null));
      return new ContentBlock.ToolCall(id, name, fc.has("args") ? fc.get("args").toString() : "{}", null);
    }
    if (part.has("text")) {
      String text = part.get("text").asText("");
      if (part.path("thought").asBoolean(false)) return new ContentBlock.Reasoning(text, null);
      return text.isEmpty() ? null : new ContentBlock.Text(text);
    }
    if (part.has("inlineData")) {
      JsonNode d = part.get("inlineData");
      return new ContentBlock.Image(d.path("mimeType").asText(""), d.path("data").asText(""), null, null, null);
    }
    return null; // executable code and other parts without a neutral form
  }
}
