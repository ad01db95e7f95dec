package dev.ossaat.orchestrator.cache;

import dev.ossaat.orchestrator.codec.StreamEncoder;
import dev.ossaat.orchestrator.exchange.ChatResponse;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.StreamEvent;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.provider.ChatStream;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.StreamSink;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A cached answer played back as a stream in the client's format: the answer's neutral events
 * (message start, each block's start, content and stop, the stop reason) through the client's own
 * stream encoder, then its closing events with the cached usage (OpenAI's usage chunk when the client
 * asked for {@code include_usage}; Anthropic's {@code message_delta} and {@code message_stop}). The
 * events are rendered when the reply is built and written in one go: a cached answer is small and whole.
 */
final class StreamReplay implements ChatStream {
  private final List<Buffer> events;
  private final Usage usage;

  StreamReplay(ChatResponse answer, Usage usage, StreamEncoder encoder) {
    this.usage = usage;
    this.events = new ArrayList<>();
    for (StreamEvent e : events(answer)) encoder.encode(e, events::add);
    encoder.finish(usage, events::add);
  }

  static List<StreamEvent> events(ChatResponse answer) {
    List<StreamEvent> out = new ArrayList<>();
    out.add(new StreamEvent.MessageStart(answer.id(), answer.model()));
    int index = 0;
    for (ContentBlock b : answer.content()) {
      if (b instanceof ContentBlock.Text t) {
        out.add(new StreamEvent.BlockStart(index, ContentBlock.Kind.TEXT, null, null));
        out.add(new StreamEvent.TextDelta(index, t.text()));
      } else if (b instanceof ContentBlock.ToolCall c) {
        out.add(new StreamEvent.BlockStart(index, ContentBlock.Kind.TOOL_CALL, c.id(), c.name()));
        out.add(new StreamEvent.ToolArgumentsDelta(index, c.argumentsJson()));
      } else if (b instanceof ContentBlock.Reasoning r) {
        out.add(new StreamEvent.BlockStart(index, ContentBlock.Kind.REASONING, null, null));
        out.add(new StreamEvent.ReasoningDelta(index, r.text()));
        if (r.signature() != null && !r.signature().isEmpty()) out.add(new StreamEvent.SignatureDelta(index, r.signature()));
      } else if (b instanceof ContentBlock.RedactedReasoning r) {
        out.add(new StreamEvent.BlockStart(index, ContentBlock.Kind.REDACTED_REASONING, null, null));
        out.add(new StreamEvent.RedactedReasoning(index, r.data()));
      } else {
        continue; // opaque blocks have no stream form
      }
      out.add(new StreamEvent.BlockStop(index));
      index++;
    }
    out.add(new StreamEvent.MessageStop(answer.stop(), answer.stopSequence()));
    return out;
  }

  @Override
  public void start(StreamSink sink) {
    for (Buffer e : events) sink.event(e);
    sink.flush();
    sink.usage(usage);
    sink.end();
  }

  @Override
  public void pause() {}

  @Override
  public void resume() {}

  @Override
  public void cancel(ProviderException why) {}
}
