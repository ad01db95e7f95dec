package dev.ossaat.orchestrator.codec.responses;

import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * Neutral events to the Responses API's typed events, each written as soon as it is known:
 * {@code response.created} and {@code response.in_progress} when the answer begins; per block an
 * {@code output_item.added}, its deltas ({@code output_text.delta}, {@code function_call_arguments.delta},
 * {@code reasoning_summary_text.delta}) and its {@code .done} events; at the end
 * {@code response.completed} (or {@code response.incomplete}) with the whole response and its usage.
 * Every event carries {@code sequence_number}, counted from 0. What is kept: the finished items (the
 * final event repeats them, as OpenAI's does) and the open block's text.
 */
final class ResponsesStreamEncoder implements StreamEncoder {
  private final StreamOptions options;
  private final String id = ResponseIds.response();
  private final ArrayNode output = Json.array();
  private final Map<Integer, Open> open = new HashMap<>();
  private String model = "";
  private long sequence;
  private int nextOutputIndex;
  private boolean started;
  private StopReason stop;

  /** An output item under way. */
  private static final class Open {
    final ContentBlock.Kind kind;
    final int outputIndex;
    final String itemId;
    final StringBuilder text = new StringBuilder();
    String callId;
    String name;
    String signature;

    Open(ContentBlock.Kind kind, int outputIndex, String itemId) {
      this.kind = kind;
      this.outputIndex = outputIndex;
      this.itemId = itemId;
    }
  }

  ResponsesStreamEncoder(StreamOptions options) {
    this.options = options;
  }

  @Override
  public void encode(StreamEvent event, Consumer<Buffer> out) {
    if (event instanceof StreamEvent.MessageStart s) {
      if (s.model() != null) model = s.model();
      start(out);
      return;
    }
    start(out);
    if (event instanceof StreamEvent.BlockStart b) {
      blockStart(b, out);
    } else if (event instanceof StreamEvent.TextDelta t) {
      Open o = open.get(t.index());
      if (o == null || o.kind != ContentBlock.Kind.TEXT) return;
      o.text.append(t.text());
      ObjectNode e = event("response.output_text.delta").put("item_id", o.itemId).put("output_index", o.outputIndex)
          .put("content_index", 0).put("delta", t.text());
      e.putArray("logprobs");
      emit(e, out);
    } else if (event instanceof StreamEvent.ToolArgumentsDelta a) {
      Open o = open.get(a.index());
      if (o == null || o.kind != ContentBlock.Kind.TOOL_CALL) return;
      o.text.append(a.partialJson());
      emit(event("response.function_call_arguments.delta").put("item_id", o.itemId).put("output_index", o.outputIndex)
          .put("delta", a.partialJson()), out);
    } else if (event instanceof StreamEvent.ReasoningDelta r) {
      Open o = open.get(r.index());
      if (o == null || o.kind != ContentBlock.Kind.REASONING) return;
      o.text.append(r.text());
      emit(event("response.reasoning_summary_text.delta").put("item_id", o.itemId).put("output_index", o.outputIndex)
          .put("summary_index", 0).put("delta", r.text()), out);
    } else if (event instanceof StreamEvent.SignatureDelta sig) {
      Open o = open.get(sig.index());
      if (o != null) o.signature = o.signature == null ? sig.signature() : o.signature + sig.signature();
    } else if (event instanceof StreamEvent.BlockStop b) {
      Open o = open.remove(b.index());
      if (o != null) blockStop(o, out);
    } else if (event instanceof StreamEvent.MessageStop m) {
      stop = m.reason();
    }
    // Redacted reasoning has no Responses form.
  }

  private void blockStart(StreamEvent.BlockStart b, Consumer<Buffer> out) {
    ObjectNode item;
    Open o;
    switch (b.kind()) {
      case TEXT -> {
        o = new Open(b.kind(), nextOutputIndex++, ResponseIds.message());
        item = ResponsesAnswers.messageItem(o.itemId, "in_progress");
      }
      case TOOL_CALL -> {
        o = new Open(b.kind(), nextOutputIndex++, ResponseIds.functionCall());
        o.callId = b.toolCallId();
        o.name = b.toolName();
        item = ResponsesAnswers.functionCallItem(o.itemId, o.callId, o.name, "", "in_progress");
      }
      case REASONING -> {
        o = new Open(b.kind(), nextOutputIndex++, ResponseIds.reasoning());
        item = ResponsesAnswers.reasoningItem(o.itemId, null, null);
      }
      default -> {
        return; // no item for redacted reasoning or foreign blocks
      }
    }
    open.put(b.index(), o);
    ObjectNode added = event("response.output_item.added").put("output_index", o.outputIndex);
    added.set("item", item);
    emit(added, out);
    if (o.kind == ContentBlock.Kind.TEXT) {
      ObjectNode part = event("response.content_part.added").put("item_id", o.itemId).put("output_index", o.outputIndex)
          .put("content_index", 0);
      part.set("part", ResponsesAnswers.textPart(""));
      emit(part, out);
    } else if (o.kind == ContentBlock.Kind.REASONING) {
      ObjectNode part = event("response.reasoning_summary_part.added").put("item_id", o.itemId)
          .put("output_index", o.outputIndex).put("summary_index", 0);
      part.putObject("part").put("type", "summary_text").put("text", "");
      emit(part, out);
    }
  }

  private void blockStop(Open o, Consumer<Buffer> out) {
    String text = o.text.toString();
    ObjectNode item;
    switch (o.kind) {
      case TEXT -> {
        ObjectNode done = event("response.output_text.done").put("item_id", o.itemId).put("output_index", o.outputIndex)
            .put("content_index", 0).put("text", text);
        done.putArray("logprobs");
        emit(done, out);
        ObjectNode partDone = event("response.content_part.done").put("item_id", o.itemId).put("output_index", o.outputIndex)
            .put("content_index", 0);
        partDone.set("part", ResponsesAnswers.textPart(text));
        emit(partDone, out);
        item = ResponsesAnswers.messageItem(o.itemId, "completed");
        ((ArrayNode) item.get("content")).add(ResponsesAnswers.textPart(text));
      }
      case TOOL_CALL -> {
        String arguments = text.isEmpty() ? "{}" : text;
        emit(event("response.function_call_arguments.done").put("item_id", o.itemId).put("output_index", o.outputIndex)
            .put("name", o.name).put("arguments", arguments), out);
        item = ResponsesAnswers.functionCallItem(o.itemId, o.callId, o.name, arguments, "completed");
      }
      default -> {
        emit(event("response.reasoning_summary_text.done").put("item_id", o.itemId).put("output_index", o.outputIndex)
            .put("summary_index", 0).put("text", text), out);
        ObjectNode partDone = event("response.reasoning_summary_part.done").put("item_id", o.itemId)
            .put("output_index", o.outputIndex).put("summary_index", 0);
        partDone.putObject("part").put("type", "summary_text").put("text", text);
        emit(partDone, out);
        item = ResponsesAnswers.reasoningItem(o.itemId, text, o.signature);
      }
    }
    ObjectNode done = event("response.output_item.done").put("output_index", o.outputIndex);
    done.set("item", item);
    emit(done, out);
    output.add(item);
  }

  @Override
  public void finish(Usage usage, Consumer<Buffer> out) {
    start(out);
    // A provider that ended without closing its blocks: close them, in order.
    open.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList()
        .forEach(o -> blockStop(o, out));
    open.clear();
    ObjectNode response = response("in_progress");
    ResponsesAnswers.finish(response, stop);
    response.set("output", output);
    if (usage != null) response.set("usage", ResponsesUsage.write(usage));
    String type = response.get("status").textValue().equals("completed") ? "response.completed" : "response.incomplete";
    ObjectNode e = event(type);
    e.set("response", response);
    emit(e, out);
  }

  private void start(Consumer<Buffer> out) {
    if (started) return;
    started = true;
    for (String type : new String[] {"response.created", "response.in_progress"}) {
      ObjectNode e = event(type);
      e.set("response", response("in_progress"));
      emit(e, out);
    }
  }

  private ObjectNode response(String status) {
    return ResponsesAnswers.skeleton(id, options.createdEpochSeconds(), model, status);
  }

  private static ObjectNode event(String type) {
    return Json.object().put("type", type);
  }

  private void emit(ObjectNode event, Consumer<Buffer> out) {
    event.put("sequence_number", sequence++);
    out.accept(Sse.event(event.get("type").textValue(), event));
  }
}
