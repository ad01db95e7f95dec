package dev.ossaat.orchestrator.codec.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.SseEventSplitter;
import dev.ossaat.orchestrator.codec.StreamDecoder;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.StopReason;
import dev.ossaat.orchestrator.exchange.StreamEvent;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * Gemini's {@code streamGenerateContent?alt=sse}: every event is a whole {@code GenerateContentResponse}
 * holding the next parts. Consecutive text parts (and thought parts) continue one block; a function
 * call arrives whole and becomes a block of its own, its arguments in one delta. The chunk with a
 * {@code finishReason} (or a {@code promptFeedback.blockReason}) stops the message; usage is read by
 * the stream reader, not here.
 */
final class GeminiStreamDecoder implements StreamDecoder {
  private boolean started;
  private int nextIndex;
  private int open = -1;
  private ContentBlock.Kind openKind;
  private int calls;
  private boolean stopped;

  @Override
  public void decode(Buffer sseEvent, Consumer<StreamEvent> out) {
    String data = SseEventSplitter.data(sseEvent);
    if (data == null || data.isEmpty() || stopped) return;
    ObjectNode chunk = Json.parseObject(data);
    if (!started) {
      started = true;
      out.accept(new StreamEvent.MessageStart(chunk.path("responseId").asText(""), chunk.path("modelVersion").asText("")));
    }
    JsonNode candidate = chunk.path("candidates").path(0);
    if (candidate.isMissingNode()) {
      if (chunk.path("promptFeedback").has("blockReason")) stop(StopReason.CONTENT_FILTER, out);
      return;
    }
    for (JsonNode part : candidate.path("content").path("parts")) part(part, out);
    String finish = candidate.path("finishReason").asText(null);
    if (finish != null) {
      StopReason reason = GeminiStops.read(finish);
      if (calls > 0 && reason == StopReason.END_TURN) reason = StopReason.TOOL_USE;
      stop(reason, out);
    }
  }

  private void part(JsonNode part, Consumer<StreamEvent> out) {
    if (part.has("functionCall")) {
      ContentBlock.ToolCall call = (ContentBlock.ToolCall) GeminiResponses.block(part, calls++);
      close(out);
      int index = nextIndex++;
      out.accept(new StreamEvent.BlockStart(index, ContentBlock.Kind.TOOL_CALL, call.id(), call.name()));
      out.accept(new StreamEvent.ToolArgumentsDelta(index, call.argumentsJson()));
      out.accept(new StreamEvent.BlockStop(index));
      return;
    }
    if (!part.has("text")) return;
    String text = part.get("text").asText("");
    boolean thought = part.path("thought").asBoolean(false);
    ContentBlock.Kind kind = thought ? ContentBlock.Kind.REASONING : ContentBlock.Kind.TEXT;
    if (text.isEmpty()) return; // the last chunk often carries an empty text part beside its finishReason
    if (open < 0 || openKind != kind) {
      close(out);
      open = nextIndex++;
      openKind = kind;
      out.accept(new StreamEvent.BlockStart(open, kind, null, null));
    }
    out.accept(thought ? new StreamEvent.ReasoningDelta(open, text) : new StreamEvent.TextDelta(open, text));
  }

  private void stop(StopReason reason, Consumer<StreamEvent> out) {
    close(out);
    stopped = true;
    out.accept(new StreamEvent.MessageStop(reason, null));
  }

  private void close(Consumer<StreamEvent> out) {
    if (open < 0) return;
    out.accept(new StreamEvent.BlockStop(open));
    open = -1;
    openKind = null;
  }
}
