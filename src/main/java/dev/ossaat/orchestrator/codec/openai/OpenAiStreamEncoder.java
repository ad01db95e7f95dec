package dev.ossaat.orchestrator.codec.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.Sse;
import dev.ossaat.orchestrator.codec.StreamEncoder;
import dev.ossaat.orchestrator.codec.StreamOptions;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.StopReason;
import dev.ossaat.orchestrator.exchange.StreamEvent;
import dev.ossaat.orchestrator.exchange.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Neutral events to OpenAI chunks, as OpenAI streams them: a first chunk with the role, one chunk
 * per delta, a chunk with the finish reason, and with {@code include_usage} a {@code "usage": null}
 * in every chunk and a final usage chunk with empty choices.
 */
final class OpenAiStreamEncoder implements StreamEncoder {
  private final StreamOptions options;
  private final Map<Integer, Integer> toolIndexes = new HashMap<>();
  private String id = "chatcmpl-orchestrator";
  private String model = "";
  private boolean started;
  private StopReason stop;

  OpenAiStreamEncoder(StreamOptions options) {
    this.options = options;
  }

  @Override
  public void encode(StreamEvent event, Consumer<Buffer> out) {
    if (event instanceof StreamEvent.MessageStart s) {
      if (!s.id().isEmpty()) id = s.id().startsWith("chatcmpl") ? s.id() : "chatcmpl-" + s.id();
      model = s.model();
      start(out);
    } else if (event instanceof StreamEvent.TextDelta t) {
      start(out);
      ObjectNode chunk = chunk();
      delta(chunk).put("content", t.text());
      out.accept(Sse.data(chunk));
    } else if (event instanceof StreamEvent.ReasoningDelta r) {
      start(out);
      ObjectNode chunk = chunk();
      delta(chunk).put("reasoning_content", r.text());
      out.accept(Sse.data(chunk));
    } else if (event instanceof StreamEvent.BlockStart b && b.kind() == ContentBlock.Kind.TOOL_CALL) {
      start(out);
      int toolIndex = toolIndexes.size();
      toolIndexes.put(b.index(), toolIndex);
      ObjectNode chunk = chunk();
      ObjectNode call = delta(chunk).putArray("tool_calls").addObject().put("index", toolIndex)
          .put("id", b.toolCallId()).put("type", "function");
      call.putObject("function").put("name", b.toolName()).put("arguments", "");
      out.accept(Sse.data(chunk));
    } else if (event instanceof StreamEvent.ToolArgumentsDelta a) {
      Integer toolIndex = toolIndexes.get(a.index());
      if (toolIndex == null) return;
      ObjectNode chunk = chunk();
      delta(chunk).putArray("tool_calls").addObject().put("index", toolIndex)
          .putObject("function").put("arguments", a.partialJson());
      out.accept(Sse.data(chunk));
    } else if (event instanceof StreamEvent.MessageStop m) {
      stop = m.reason();
    }
    // Block boundaries, signatures and redacted reasoning have no OpenAI form.
  }

  @Override
  public void finish(Usage usage, Consumer<Buffer> out) {
    start(out);
    ObjectNode last = chunk();
    ((ObjectNode) last.get("choices").get(0)).put("finish_reason", OpenAiStops.write(stop));
    out.accept(Sse.data(last));
    if (options.includeUsage() && usage != null) {
      ObjectNode report = header();
      report.putArray("choices");
      report.set("usage", OpenAiUsage.write(usage));
      out.accept(Sse.data(report));
    }
  }

  private void start(Consumer<Buffer> out) {
    if (started) return;
    started = true;
    ObjectNode chunk = chunk();
    delta(chunk).put("role", "assistant").put("content", "");
    out.accept(Sse.data(chunk));
  }

  private ObjectNode header() {
    return Json.object().put("id", id).put("object", "chat.completion.chunk")
        .put("created", options.createdEpochSeconds()).put("model", model);
  }

  private ObjectNode chunk() {
    ObjectNode chunk = header();
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    choice.putObject("delta");
    choice.putNull("finish_reason");
    if (options.includeUsage()) chunk.putNull("usage");
    return chunk;
  }

  private static ObjectNode delta(ObjectNode chunk) {
    return (ObjectNode) chunk.get("choices").get(0).get("delta");
  }
}
