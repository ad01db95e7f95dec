package dev.ossaat.orchestrator.codec.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.SseEventSplitter;
import dev.ossaat.orchestrator.codec.StreamDecoder;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.StopReason;
import dev.ossaat.orchestrator.exchange.StreamEvent;
import io.vertx.core.buffer.Buffer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A Responses stream to neutral events: a text content part, a function call item or a reasoning
 * item is a block; their deltas are the block's deltas; {@code response.completed} or
 * {@code response.incomplete} is the stop. Built-in tool events and the rest carry nothing neutral.
 */
final class ResponsesStreamDecoder implements StreamDecoder {
  private final Map<String, Integer> blocks = new HashMap<>();
  private int nextIndex;
  private boolean started;
  private boolean toolCall;

  @Override
  public void decode(Buffer sseEvent, Consumer<StreamEvent> out) {
    String data = SseEventSplitter.data(sseEvent);
    if (data == null || data.isEmpty() || data.equals("[DONE]")) return;
    ObjectNode e = Json.parseObject(data);
    String type = e.path("type").asText("");
    int output = e.path("output_index").asInt(0);
    switch (type) {
      case "response.created" -> start(e.path("response"), out);
      case "response.content_part.added" -> {
        start(null, out);
        if (e.path("part").path("type").asText("").equals("output_text")) {
          open(output + "/" + e.path("content_index").asInt(0), ContentBlock.Kind.TEXT, null, null, out);
        }
      }
      case "response.output_text.delta" -> {
        Integer index = blocks.get(output + "/" + e.path("content_index").asInt(0));
        if (index != null) out.accept(new StreamEvent.TextDelta(index, e.path("delta").asText("")));
      }
      case "response.content_part.done" -> close(output + "/" + e.path("content_index").asInt(0), out);
      case "response.output_item.added" -> {
        start(null, out);
        JsonNode item = e.path("item");
        String kind = item.path("type").asText("");
        if (kind.equals("function_call")) {
          toolCall = true;
          open(output + "/item", ContentBlock.Kind.TOOL_CALL, item.path("call_id").asText(""), item.path("name").asText(""), out);
        } else if (kind.equals("reasoning")) {
          open(output + "/item", ContentBlock.Kind.REASONING, null, null, out);
        }
      }
      case "response.function_call_arguments.delta" -> {
        Integer index = blocks.get(output + "/item");
        if (index != null) out.accept(new StreamEvent.ToolArgumentsDelta(index, e.path("delta").asText("")));
      }
      case "response.reasoning_summary_text.delta", "response.reasoning_text.delta" -> {
        Integer index = blocks.get(output + "/item");
        if (index != null) out.accept(new StreamEvent.ReasoningDelta(index, e.path("delta").asText("")));
      }
      case "response.output_item.done" -> close(output + "/item", out);
      case "response.completed", "response.incomplete" -> {
        start(e.path("response"), out);
        String reason = e.path("response").path("incomplete_details").path("reason").asText("");
        StopReason stop = reason.equals("max_output_tokens") ? StopReason.MAX_TOKENS
            : reason.equals("content_filter") ? StopReason.CONTENT_FILTER : toolCall ? StopReason.TOOL_USE : StopReason.END_TURN;
        out.accept(new StreamEvent.MessageStop(stop, null));
      }
      default -> { }
    }
  }

  private void start(JsonNode response, Consumer<StreamEvent> out) {
    if (started) return;
    started = true;
    JsonNode r = response == null ? Json.object() : response;
    out.accept(new StreamEvent.MessageStart(r.path("id").asText(""), r.path("model").asText("")));
  }

  private void open(String key, ContentBlock.Kind kind, String callId, String name, Consumer<StreamEvent> out) {
    if (blocks.containsKey(key)) return;
    int index = nextIndex++;
    blocks.put(key, index);
    out.accept(new StreamEvent.BlockStart(index, kind, callId, name));
  }

  private void close(String key, Consumer<StreamEvent> out) {
    Integer index = blocks.remove(key);
    if (index != null) out.accept(new StreamEvent.BlockStop(index));
  }
}
