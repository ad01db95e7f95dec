package dev.ossaat.orchestrator.cache;

import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.provider.ChatStream;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.StreamSink;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The client's stream, relayed untouched, with a copy of its events kept for the cache: when it ends
 * cleanly (and stayed under {@link #MAX_BYTES}), {@code done} gets the events just before the client
 * gets its end; a stream that breaks, or grows too big to be worth a cache entry, gives {@code done} null.
 */
final class RecordingStream implements ChatStream, StreamSink {
  static final int MAX_BYTES = 4 * 1024 * 1024;

  private final ChatStream inner;
  private final Consumer<List<Buffer>> done;
  private List<Buffer> events = new ArrayList<>();
  private int bytes;
  private StreamSink client;

  RecordingStream(ChatStream inner, Consumer<List<Buffer>> done) {
    this.inner = inner;
    this.done = done;
  }

  @Override
  public void start(StreamSink sink) {
    client = sink;
    inner.start(this);
  }

  @Override
  public void pause() {
    inner.pause();
  }

  @Override
  public void resume() {
    inner.resume();
  }

  @Override
  public void cancel(ProviderException why) {
    inner.cancel(why);
  }

  @Override
  public void event(Buffer sseEvent) {
    if (events != null) {
      bytes += sseEvent.length();
      if (bytes > MAX_BYTES) {
        events = null;
      } else {
        events.add(sseEvent.copy()); // the relay may hand the buffer on to the socket
      }
    }
    client.event(sseEvent);
  }

  @Override
  public void flush() {
    client.flush();
  }

  @Override
  public void usage(Usage usage) {
    client.usage(usage);
  }

  @Override
  public void end() {
    List<Buffer> recorded = events;
    events = null;
    // Before the client's end: that end runs the request's after-steps, and the flight must land with
    // the answer, not be closed empty by them.
    done.accept(recorded);
    client.end();
  }

  @Override
  public void fail(ProviderException error) {
    client.fail(error);
    events = null;
    done.accept(null);
  }
}
