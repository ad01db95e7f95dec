package dev.ossaat.orchestrator.codec.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.SseEventSplitter;
import dev.ossaat.orchestrator.codec.StreamDecoder;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.StreamEvent;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Anthropic stream events to neutral events; their shapes already match. {@code ping},
 * {@code message_stop} and {@code error} carry no events: the stream reader handles the end and errors,
 * and reads the usage parts of {@code message_start} and {@code message_delta}.
 */
final class AnthropicStreamDecoder implements StreamDecoder {
  @Override
  public void decode(Buffer sseEvent, Consumer<StreamEvent> out) {
    String data = SseEventSplitter.data(sseEvent);
    if (data == null || data.isEmpty()) return;
    ObjectNode event = Json.parseObject(data);
    int index = event.path("index").asInt(0);
    switch (event.path("type").asText("")) {
      case "message_start" -> {
        JsonNode m = event.path("message");
        out.accept(new StreamEvent.MessageStart(m.path("id").asText(""), m.path("model").asText("")));
      }
      case "content_block_start" -> start(index, event.path("content_block"), out);
      case "content_block_delta" -> delta(index, event.path("delta"), out);
      case "content_block_stop" -> out.accept(new StreamEvent.BlockStop(index));
      case "message_delta" -> {
        JsonNode d = event.path("delta");
        if (d.path("stop_reason").isTextual()) {
          out.accept(new StreamEvent.MessageStop(AnthropicStops.read(d.get("stop_reason").textValue()),
              d.path("stop_sequence").isTextual() ? d.get("stop_sequence").textValue() : null));
        }
      }
      default -> { }
    }
  }

  private static void start(int index, JsonNode block, Consumer<StreamEvent> out) {
    switch (block.path("type").asText("")) {
      case "text" -> {
        out.accept(new StreamEvent.BlockStart(index, ContentBlock.Kind.TEXT, null, null));
        String text = block.path("text").asText("");
        if (!text.isEmpty()) out.accept(new StreamEvent.TextDelta(index, text));
      }
      case "tool_use" -> out.accept(new StreamEvent.BlockStart(index, ContentBlock.Kind.TOOL_CALL,
          block.path("id").asText(""), block.path("name").asText("")));
      case "thinking" -> out.accept(new StreamEvent.BlockStart(index, ContentBlock.Kind.REASONING, null, null));
      case "redacted_thinking" -> {
        out.accept(new StreamEvent.BlockStart(index, ContentBlock.Kind.REDACTED_REASONING, null, null));
        out.accept(new StreamEvent.RedactedReasoning(index, block.path("data").asText("")));
      }
      default -> out.accept(new StreamEvent.BlockStart(index, ContentBlock.Kind.OPAQUE, null, null));
    }
  }

  private static void delta(int index, JsonNode delta, Consumer<StreamEvent> out) {
    switch (delta.path("type").asText("")) {
      case "text_delta" -> out.accept(new StreamEvent.TextDelta(index, delta.path("text").asText("")));
      case "input_json_delta" -> out.accept(new StreamEvent.ToolArgumentsDelta(index, delta.path("partial_json").asText("")));
      case "thinking_delta" -> out.accept(new StreamEvent.ReasoningDelta(index, delta.path("thinking").asText("")));
      case "signature_delta" -> out.accept(new StreamEvent.SignatureDelta(index, delta.path("signature").asText("")));
      default -> { }
    }
  }
}
