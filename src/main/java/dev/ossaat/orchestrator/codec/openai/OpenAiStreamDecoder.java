package dev.ossaat.orchestrator.codec.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.SseEventSplitter;
import dev.ossaat.orchestrator.codec.StreamDecoder;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.StopReason;
import dev.ossaat.orchestrator.exchange.StreamEvent;
import io.vertx.core.buffer.Buffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * OpenAI chunks to neutral events. OpenAI has no block boundaries: a block starts with the first
 * delta of its kind (text, reasoning, or a tool call's first fragment, which carries its id and name)
 * and stops when another kind starts or the answer finishes. The first tool call streams fragment by
 * fragment; further (parallel) calls are held and follow whole at the end, since a provider may
 * interleave their fragments and a block cannot be reopened. The usage-only chunk and {@code [DONE]}
 * carry no events (the stream reader reports usage and the end).
 */
final class OpenAiStreamDecoder implements StreamDecoder {
  private boolean started;
  private int nextIndex;
  private int open = -1;
  private ContentBlock.Kind openKind;
  private int openToolIndex = -1;
  /** The one tool call streamed as it arrives (its OpenAI index), or -1. */
  private int streamedTool = -1;
  /** Further tool calls, held whole until the answer finishes (blocks cannot interleave). */
  private final Map<Integer, HeldCall> held = new LinkedHashMap<>();

  /** A tool call whose fragments arrive while another call's block is open. */
  private static final class HeldCall {
    String id;
    String name;
    final StringBuilder arguments = new StringBuilder();
  }

  @Override
  public void decode(Buffer sseEvent, Consumer<StreamEvent> out) {
    String data = SseEventSplitter.data(sseEvent);
    if (data == null || data.equals("[DONE]")) return;
    ObjectNode chunk = Json.parseObject(data);
    if (!started) {
      started = true;
      out.accept(new StreamEvent.MessageStart(chunk.path("id").asText(""), chunk.path("model").asText("")));
    }
    JsonNode choice = chunk.path("choices").path(0);
    if (!choice.isObject()) return;
    JsonNode delta = choice.path("delta");
    JsonNode reasoning = delta.get("reasoning_content");
    if (reasoning != null && reasoning.isTextual() && !reasoning.textValue().isEmpty()) {
      ensure(ContentBlock.Kind.REASONING, -1, null, null, out);
      out.accept(new StreamEvent.ReasoningDelta(open, reasoning.textValue()));
    }
    JsonNode content = delta.get("content");
    if (content != null && content.isTextual() && !content.textValue().isEmpty()) {
      ensure(ContentBlock.Kind.TEXT, -1, null, null, out);
      out.accept(new StreamEvent.TextDelta(open, content.textValue()));
    }
    for (JsonNode call : delta.path("tool_calls")) {
      int toolIndex = call.path("index").asInt(0);
      JsonNode fn = call.path("function");
      String id = call.path("id").asText(null);
      String name = fn.path("name").asText(null);
      String args = fn.path("arguments").asText("");
      if (streamedTool < 0 && held.isEmpty()) {
        // The first tool call streams as it comes, fragment by fragment.
        ensure(ContentBlock.Kind.TOOL_CALL, toolIndex, id, name, out);
        streamedTool = toolIndex;
      }
      if (toolIndex == streamedTool && open >= 0 && openKind == ContentBlock.Kind.TOOL_CALL) {
        if (!args.isEmpty()) out.accept(new StreamEvent.ToolArgumentsDelta(open, args));
      } else {
        // Parallel calls: providers may send every call's header first and the arguments after,
        // interleaved. Blocks cannot interleave, so the others are held whole and follow at the end.
        HeldCall h = held.computeIfAbsent(toolIndex, k -> new HeldCall());
        if (id != null) h.id = id;
        if (name != null) h.name = name;
        h.arguments.append(args);
      }
    }
    JsonNode finish = choice.get("finish_reason");
    if (finish != null && finish.isTextual()) {
      close(out);
      for (HeldCall h : held.values()) {
        int index = nextIndex++;
        out.accept(new StreamEvent.BlockStart(index, ContentBlock.Kind.TOOL_CALL, h.id, h.name));
        if (h.arguments.length() > 0) out.accept(new StreamEvent.ToolArgumentsDelta(index, h.arguments.toString()));
        out.accept(new StreamEvent.BlockStop(index));
      }
      held.clear();
      StopReason reason = OpenAiStops.read(finish.textValue());
      out.accept(new StreamEvent.MessageStop(reason, null));
    }
  }

  /** Makes the block of this kind (and tool call) the open one, closing another. */
  private void ensure(ContentBlock.Kind kind, int toolIndex, String id, String name, Consumer<StreamEvent> out) {
    if (open >= 0 && openKind == kind && (kind != ContentBlock.Kind.TOOL_CALL || openToolIndex == toolIndex)) return;
    close(out);
    open = nextIndex++;
    openKind = kind;
    openToolIndex = toolIndex;
    out.accept(new StreamEvent.BlockStart(open, kind, id, name));
  }

  private void close(Consumer<StreamEvent> out) {
    if (open < 0) return;
    out.accept(new StreamEvent.BlockStop(open));
    open = -1;
    openKind = null;
    openToolIndex = -1;
  }
}
