package dev.ossaat.orchestrator.codec.ollama;

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
 * Ollama's NDJSON chunks (each as one {@code data:} event) to neutral events: {@code message.thinking}
 * and {@code message.content} deltas open a reasoning or text block (closing the other), tool calls
 * arrive whole in one chunk (a block each: start, the whole arguments, stop), and the {@code done}
 * chunk closes the open block and gives the stop reason.
 */
final class OllamaStreamDecoder implements StreamDecoder {
  private boolean started;
  private int next;
  private int open = -1;
  private ContentBlock.Kind openKind;
  private boolean sawTool;

  @Override
  public void decode(Buffer sseEvent, Consumer<StreamEvent> out) {
    String data = SseEventSplitter.data(sseEvent);
    if (data == null || data.isEmpty()) return;
    ObjectNode chunk = Json.parseObject(data);
    if (chunk.has("error")) return;
    if (!started) {
      started = true;
      out.accept(new StreamEvent.MessageStart(OllamaCodec.answerId(), chunk.path("model").asText("")));
    }
    JsonNode m = chunk.path("message");
    String thinking = m.path("thinking").asText("");
    if (!thinking.isEmpty()) out.accept(new StreamEvent.ReasoningDelta(block(ContentBlock.Kind.REASONING, out), thinking));
    String text = m.path("content").asText("");
    if (!text.isEmpty()) out.accept(new StreamEvent.TextDelta(block(ContentBlock.Kind.TEXT, out), text));
    int i = 0;
    for (JsonNode call : m.path("tool_calls")) {
      close(out);
      int index = next++;
      JsonNode f = call.path("function");
      out.accept(new StreamEvent.BlockStart(index, ContentBlock.Kind.TOOL_CALL, OllamaCodec.callId(call, i++), f.path("name").asText("")));
      out.accept(new StreamEvent.ToolArgumentsDelta(index, OllamaCodec.argumentsText(f.path("arguments"))));
      out.accept(new StreamEvent.BlockStop(index));
      sawTool = true;
    }
    if (chunk.path("done").asBoolean(false)) {
      close(out);
      StopReason stop = sawTool ? StopReason.TOOL_USE : OllamaCodec.stop(chunk.path("done_reason").asText(null));
      out.accept(new StreamEvent.MessageStop(stop, null));
    }
  }

  private int block(ContentBlock.Kind kind, Consumer<StreamEvent> out) {
    if (open >= 0 && openKind == kind) return open;
    close(out);
    open = next++;
    openKind = kind;
    out.accept(new StreamEvent.BlockStart(open, kind, null, null));
    return open;
  }

  private void close(Consumer<StreamEvent> out) {
    if (open < 0) return;
    out.accept(new StreamEvent.BlockStop(open));
    open = -1;
    openKind = null;
  }
}
