package dev.ossaat.orchestrator.codec.anthropic;

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
 * Neutral events to Anthropic's stream: {@code message_start}, blocks numbered from 0 in order,
 * then {@code message_delta} (stop reason and the whole usage) and {@code message_stop}. A provider
 * in another format reports usage only at its end, so {@code message_start} announces our estimate
 * of the input and {@code message_delta} the provider's exact counts (input included).
 */
final class AnthropicStreamEncoder implements StreamEncoder {
  private final StreamOptions options;
  private final Map<Integer, Integer> blocks = new HashMap<>();
  private int open = -1;
  private boolean started;
  private String id = "msg_orchestrator";
  private String model = "";
  private StopReason stop;
  private String stopSequence;

  AnthropicStreamEncoder(StreamOptions options) {
    this.options = options;
  }

  @Override
  public void encode(StreamEvent event, Consumer<Buffer> out) {
    if (event instanceof StreamEvent.MessageStart s) {
      id = AnthropicResponses.messageId(s.id());
      model = s.model();
      start(out);
    } else if (event instanceof StreamEvent.BlockStart b) {
      start(out);
      // Opaque blocks have no stream form; redacted reasoning opens with its data, which comes next.
      if (b.kind() == ContentBlock.Kind.OPAQUE || b.kind() == ContentBlock.Kind.REDACTED_REASONING) return;
      openBlock(b.index(), b.kind(), b.toolCallId(), b.toolName(), null, out);
    } else if (event instanceof StreamEvent.RedactedReasoning r) {
      start(out);
      openBlock(r.index(), ContentBlock.Kind.REDACTED_REASONING, null, null, r.data(), out);
    } else if (event instanceof StreamEvent.TextDelta t) {
      delta(t.index(), ContentBlock.Kind.TEXT, Json.object().put("type", "text_delta").put("text", t.text()), out);
    } else if (event instanceof StreamEvent.ToolArgumentsDelta a) {
      delta(a.index(), ContentBlock.Kind.TOOL_CALL, Json.object().put("type", "input_json_delta").put("partial_json", a.partialJson()), out);
    } else if (event instanceof StreamEvent.ReasoningDelta r) {
      delta(r.index(), ContentBlock.Kind.REASONING, Json.object().put("type", "thinking_delta").put("thinking", r.text()), out);
    } else if (event instanceof StreamEvent.SignatureDelta s) {
      delta(s.index(), ContentBlock.Kind.REASONING, Json.object().put("type", "signature_delta").put("signature", s.signature()), out);
    } else if (event instanceof StreamEvent.BlockStop b) {
      Integer mine = blocks.get(b.index());
      if (mine != null && mine == open) closeBlock(out);
    } else if (event instanceof StreamEvent.MessageStop m) {
      stop = m.reason();
      stopSequence = m.stopSequence();
    }
  }

  @Override
  public void finish(Usage usage, Consumer<Buffer> out) {
    start(out);
    closeBlock(out);
    ObjectNode delta = Json.object().put("type", "message_delta");
    ObjectNode d = delta.putObject("delta").put("stop_reason", AnthropicStops.write(stop));
    if (stopSequence == null) d.putNull("stop_sequence"); else d.put("stop_sequence", stopSequence);
    delta.set("usage", AnthropicUsage.write(usage == null ? Usage.NONE : usage));
    out.accept(Sse.event("message_delta", delta));
    out.accept(Sse.event("message_stop", Json.object().put("type", "message_stop")));
  }

  private void start(Consumer<Buffer> out) {
    if (started) return;
    started = true;
    ObjectNode event = Json.object().put("type", "message_start");
    ObjectNode message = event.putObject("message").put("id", id).put("type", "message").put("role", "assistant");
    message.putArray("content");
    message.put("model", model).putNull("stop_reason").putNull("stop_sequence");
    message.putObject("usage").put("input_tokens", options.estimatedPromptTokens()).put("output_tokens", 0);
    out.accept(Sse.event("message_start", event));
  }

  /** A delta for a block this encoder may not have seen start (a format without block starts). */
  private void delta(int index, ContentBlock.Kind kind, ObjectNode delta, Consumer<Buffer> out) {
    start(out);
    Integer mine = blocks.get(index);
    if (mine == null || mine != open) {
      if (mine != null) return; // a delta for a block already closed: Anthropic has no way to reopen it
      openBlock(index, kind, null, null, null, out);
      mine = open;
    }
    ObjectNode event = Json.object().put("type", "content_block_delta").put("index", mine);
    event.set("delta", delta);
    out.accept(Sse.event("content_block_delta", event));
  }

  private void openBlock(int index, ContentBlock.Kind kind, String toolId, String toolName, String data,
      Consumer<Buffer> out) {
    closeBlock(out);
    int mine = blocks.size();
    blocks.put(index, mine);
    open = mine;
    ObjectNode event = Json.object().put("type", "content_block_start").put("index", mine);
    ObjectNode block = event.putObject("content_block");
    switch (kind) {
      case TOOL_CALL -> {
        block.put("type", "tool_use").put("id", toolId == null ? "toolu_orchestrator_" + mine : toolId)
            .put("name", toolName == null ? "" : toolName);
        block.putObject("input");
      }
      case REASONING -> block.put("type", "thinking").put("thinking", "").put("signature", "");
      case REDACTED_REASONING -> block.put("type", "redacted_thinking").put("data", data == null ? "" : data);
      default -> block.put("type", "text").put("text", "");
    }
    out.accept(Sse.event("content_block_start", event));
  }

  private void closeBlock(Consumer<Buffer> out) {
    if (open < 0) return;
    out.accept(Sse.event("content_block_stop", Json.object().put("type", "content_block_stop").put("index", open)));
    open = -1;
  }
}
