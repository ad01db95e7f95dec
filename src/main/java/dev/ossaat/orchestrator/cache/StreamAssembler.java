package dev.ossaat.orchestrator.cache;

import dev.ossaat.orchestrator.exchange.ChatResponse;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.StopReason;
import dev.ossaat.orchestrator.exchange.StreamEvent;
import dev.ossaat.orchestrator.exchange.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/** Neutral stream events put back together into the whole answer they describe. */
final class StreamAssembler implements Consumer<StreamEvent> {
  private static final class Block {
    ContentBlock.Kind kind;
    String toolCallId;
    String toolName;
    final StringBuilder text = new StringBuilder();
    String signature;
    String data;
  }

  private final TreeMap<Integer, Block> blocks = new TreeMap<>();
  private String id;
  private String model;
  private StopReason stop;
  private String stopSequence;

  @Override
  public void accept(StreamEvent e) {
    if (e instanceof StreamEvent.MessageStart s) {
      if (id == null) id = s.id();
      if (model == null) model = s.model();
    } else if (e instanceof StreamEvent.BlockStart b) {
      Block block = block(b.index(), b.kind());
      if (b.toolCallId() != null) block.toolCallId = b.toolCallId();
      if (b.toolName() != null) block.toolName = b.toolName();
    } else if (e instanceof StreamEvent.TextDelta t) {
      block(t.index(), ContentBlock.Kind.TEXT).text.append(t.text());
    } else if (e instanceof StreamEvent.ToolArgumentsDelta a) {
      block(a.index(), ContentBlock.Kind.TOOL_CALL).text.append(a.partialJson());
    } else if (e instanceof StreamEvent.ReasoningDelta r) {
      block(r.index(), ContentBlock.Kind.REASONING).text.append(r.text());
    } else if (e instanceof StreamEvent.SignatureDelta s) {
      block(s.index(), ContentBlock.Kind.REASONING).signature = s.signature();
    } else if (e instanceof StreamEvent.RedactedReasoning r) {
      block(r.index(), ContentBlock.Kind.REDACTED_REASONING).data = r.data();
    } else if (e instanceof StreamEvent.MessageStop m) {
      stop = m.reason();
      stopSequence = m.stopSequence();
    }
  }

  private Block block(int index, ContentBlock.Kind kind) {
    Block b = blocks.computeIfAbsent(index, i -> new Block());
    if (b.kind == null) b.kind = kind;
    return b;
  }

  /** The answer, or null when the stream never said why it stopped (it did not finish). */
  ChatResponse response(Usage usage) {
    if (stop == null) return null;
    List<ContentBlock> content = new ArrayList<>();
    for (Block b : blocks.values()) {
      if (b.kind == null) continue;
      switch (b.kind) {
        case TEXT -> content.add(new ContentBlock.Text(b.text.toString()));
        case TOOL_CALL -> content.add(new ContentBlock.ToolCall(b.toolCallId, b.toolName,
            b.text.length() == 0 ? "{}" : b.text.toString(), null));
        case REASONING -> content.add(new ContentBlock.Reasoning(b.text.toString(), b.signature));
        case REDACTED_REASONING -> content.add(new ContentBlock.RedactedReasoning(b.data == null ? "" : b.data));
        default -> { } // opaque blocks have no stream form
      }
    }
    return new ChatResponse(id, model, content, stop, stopSequence, usage);
  }
}
