package dev.ossaat.orchestrator.provider;

import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.timing.DeadlineTimer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * Reads a provider's SSE body and hands whole events to the sink (after {@link #firstEvent}), as
 * bytes: what the events mean is the {@link StreamDialect}'s to say, and only the events it picks are
 * parsed. The stream counts as complete only at the dialect's end marker: anything else (end of
 * body, reset, idle gap, an error event) is a failure.
 */
public final class SseChatStream implements ChatStream {
  private final Vertx vertx;
  private final HttpClientResponse response;
  private final CallControl control;
  private final UpstreamErrors errors;
  private final long idleMillis;
  private final StreamDialect dialect;
  private final StreamFraming framing;

  private StreamSink sink;
  /** The gap since the last chunk: moved on every chunk, stopped while paused on a slow client. */
  private final DeadlineTimer idle;
  private boolean finished;

  public SseChatStream(Vertx vertx, HttpClientResponse response, CallControl control, UpstreamErrors errors,
      long idleMillis, StreamDialect dialect) {
    this(vertx, response, control, errors, idleMillis, dialect, StreamFraming.sse());
  }

  /** @param framing how the body is cut into events (SSE, or a format rendered as SSE-shaped events) */
  public SseChatStream(Vertx vertx, HttpClientResponse response, CallControl control, UpstreamErrors errors,
      long idleMillis, StreamDialect dialect, StreamFraming framing) {
    this.framing = framing;
    this.vertx = vertx;
    this.response = response;
    this.control = control;
    this.errors = errors;
    this.idleMillis = idleMillis;
    this.dialect = dialect;
    this.idle = new DeadlineTimer(vertx, due -> {
      if (!finished) errors.expired(due, idleMillis, "with its next stream chunk", control);
    });
  }

  /**
   * Reads until the answer has begun (the dialect says which event shows it) and pauses there. Only
   * then does the stream count as accepted: a provider that answers 200 and breaks before that fails
   * this future, and the request can still fall back, since nothing has reached the client yet.
   */
  public Future<ChatStream> firstEvent() {
    Promise<ChatStream> ready = Promise.promise();
    Buffered buffered = new Buffered(ready);
    this.sink = buffered;
    control.onCancel(() -> finish(control.reason()));
    response.handler(this::onChunk);
    response.exceptionHandler(t -> finish(broken(t)));
    response.endHandler(v -> finish(dialect.endsCleanlyAtBodyEnd() ? null : ProviderException.of(providerName(),
        ErrorType.STREAM_CUT, "stream from " + providerName() + " ended before its end marker")));
    idle.in(idleMillis);
    response.resume();
    return ready.future();
  }

  @Override
  public void start(StreamSink target) {
    Buffered buffered = (Buffered) sink;
    this.sink = target;
    buffered.replayTo(target);
    if (finished) return;
    idle.in(idleMillis);
    response.resume();
  }

  /** Holds what arrives until the caller commits, then hands it over in order. */
  private final class Buffered implements StreamSink {
    private final Promise<ChatStream> ready;
    private final java.util.List<Buffer> events = new java.util.ArrayList<>(2);
    private Usage usage;
    private boolean ended;
    private ProviderException failure;

    Buffered(Promise<ChatStream> ready) {
      this.ready = ready;
    }

    @Override
    public void event(Buffer sseEvent) {
      events.add(sseEvent);
      if (dialect.commits(sseEvent)) commit();
    }

    @Override
    public void usage(Usage u) {
      usage = u;
    }

    @Override
    public void end() {
      ended = true;
      ready.tryComplete(SseChatStream.this); // a clean, if empty, answer
    }

    @Override
    public void fail(ProviderException error) {
      failure = error;
      // Before the answer began nothing was relayed: a drop here is a plain connection failure, which
      // the caller may retry or fall back from (a cut stream, after it began, may not).
      ready.tryFail(error.type() == ErrorType.STREAM_CUT
          ? ProviderException.of(error.provider(), ErrorType.NETWORK, error.getMessage() + " (before its first event)")
          : error);
    }

    private void commit() {
      if (ready.future().isComplete()) return;
      response.pause();
      idle.stop();
      ready.tryComplete(SseChatStream.this);
    }

    void replayTo(StreamSink target) {
      events.forEach(target::event);
      target.flush();
      if (usage != null) target.usage(usage);
      if (ended) target.end();
      if (failure != null) target.fail(failure);
    }
  }

  @Override
  public void cancel(ProviderException why) {
    control.cancel(why);
  }

  @Override
  public void pause() {
    response.pause();
    // A paused stream is waiting on the client, not on the provider: no idle timeout meanwhile.
    idle.stop();
  }

  @Override
  public void resume() {
    if (finished) return;
    idle.in(idleMillis);
    response.resume();
  }

  private void onChunk(Buffer chunk) {
    if (finished) return;
    idle.in(idleMillis);
    try {
      framing.feed(chunk, this::onEvent);
    } catch (IllegalStateException e) {
      finish(ProviderException.of(providerName(), ErrorType.STREAM_CUT, providerName() + " sent an oversized stream event"));
    } catch (RuntimeException e) {
      // An event the dialect could not read: the stream is broken, never a handler left half-way.
      finish(ProviderException.of(providerName(), ErrorType.STREAM_CUT, providerName() + " sent a stream event that could not be read"));
    }
    if (!finished) sink.flush(); // everything this read brought goes out in one write
  }

  private void onEvent(Buffer event) {
    if (finished) return;
    switch (dialect.inspect(event, sink)) {
      case FORWARD -> sink.event(event);
      case REPLACE -> sink.event(dialect.replacement());
      case DROP -> { }
      case END -> finish(null);
      case FORWARD_AND_END -> {
        sink.event(event);
        finish(null);
      }
      case FAIL -> finish(dialect.error());
    }
  }

  private void finish(ProviderException error) {
    if (finished) return;
    finished = true;
    // Cancelling resets the upstream request, which surfaces here as a reset: report the cause instead.
    if (error != null && control.cancelled()) error = control.reason();
    idle.stop();
    if (error == null) {
      sink.end();
      // Release the connection: anything after the end marker is not ours to read.
      response.handler(null);
      response.endHandler(null);
      response.resume();
    } else {
      response.request().reset();
      sink.fail(error);
    }
  }

  /** A reset mid-stream is a cut stream; an idle timeout stays a timeout. */
  private ProviderException broken(Throwable t) {
    ProviderException e = errors.exception(t);
    if (e.type() == ErrorType.TIMEOUT) return e;
    return ProviderException.of(providerName(), ErrorType.STREAM_CUT, "stream from " + providerName() + " broke: " + e.getMessage());
  }

  private String providerName() {
    return errors.provider();
  }
}
