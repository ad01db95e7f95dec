package dev.ossaat.orchestrator.codec.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.Sse;
import dev.ossaat.orchestrator.codec.SseEventSplitter;
import dev.ossaat.orchestrator.codec.StreamDecoder;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.StreamEvent;
import io.vertx.core.buffer.Buffer;
import java.util.BitSet;
import java.util.function.Consumer;

/**
 * ConverseStream events (as {@link BedrockStreamEvents} renders them) to neutral events. Only a tool
 * call's block is announced ({@code contentBlockStart}); a text or reasoning block begins with its
 * first delta, so the decoder starts it there. {@code metadata} (usage) and exceptions carry no
 * events: the stream reader reports usage and failures.
 */
final class BedrockStreamDecoder implements StreamDecoder {
  private final BitSet started = new BitSet();

  @Override
  public void decode(Buffer sseEvent, Consumer<StreamEvent> out) {
    String type = Sse.type(sseEvent);
    if (type == null) return;
    switch (type) {
      case "messageStart" -> {
        ObjectNode e = data(sseEvent);
        out.accept(new StreamEvent.MessageStart(e.path("id").asText(""), e.path("model").asText("")));
      }
      case "contentBlockStart" -> {
        ObjectNode e = data(sseEvent);
        int index = e.path("contentBlockIndex").asInt(0);
        JsonNode use = e.path("start").path("toolUse");
        if (use.isObject() && !started.get(index)) {
          started.set(index);
          out.accept(new StreamEvent.BlockStart(index, ContentBlock.Kind.TOOL_CALL, use.path("toolUseId").asText(""),
              use.path("name").asText("")));
        }
      }
      case "contentBlockDelta" -> delta(data(sseEvent), out);
      case "contentBlockStop" -> {
        int index = data(sseEvent).path("contentBlockIndex").asInt(0);
        if (started.get(index)) out.accept(new StreamEvent.BlockStop(index));
      }
      case "messageStop" -> {
        ObjectNode e = data(sseEvent);
        out.accept(new StreamEvent.MessageStop(
            BedrockStops.read(e.path("stopReason").isTextual() ? e.get("stopReason").textValue() : "end_turn"),
            BedrockResponses.stopSequence(e)));
      }
      default -> { }
    }
  }

  private void delta(ObjectNode e, Consumer<StreamEvent> out) {
    int index = e.path("contentBlockIndex").asInt(0);
    JsonNode d = e.path("delta");
    if (d.has("text")) {
      start(index, ContentBlock.Kind.TEXT, out);
      out.accept(new StreamEvent.TextDelta(index, d.path("text").asText("")));
    } else if (d.has("toolUse")) {
      start(index, ContentBlock.Kind.TOOL_CALL, out);
      out.accept(new StreamEvent.ToolArgumentsDelta(index, d.path("toolUse").path("input").asText("")));
    } else if (d.has("reasoningContent")) {
      JsonNode r = d.get("reasoningContent");
      if (r.has("redactedContent")) {
        start(index, ContentBlock.Kind.REDACTED_REASONING, out);
        out.accept(new StreamEvent.RedactedReasoning(index, r.path("redactedContent").asText("")));
        return;
      }
      start(index, ContentBlock.Kind.REASONING, out);
      if (r.has("text")) out.accept(new StreamEvent.ReasoningDelta(index, r.path("text").asText("")));
      if (r.has("signature")) out.accept(new StreamEvent.SignatureDelta(index, r.path("signature").asText("")));
    }
  }

  private void start(int index, ContentBlock.Kind kind, Consumer<StreamEvent> out) {
    if (started.get(index)) return;
    started.set(index);
    out.accept(new StreamEvent.BlockStart(index, kind, null, null));
  }

  private static ObjectNode data(Buffer event) {
    String data = SseEventSplitter.data(event);
    return Json.parseObject(data == null || data.isEmpty() ? "{}" : data);
  }
}
