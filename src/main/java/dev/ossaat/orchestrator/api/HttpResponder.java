package dev.ossaat.orchestrator.api;

import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.exchange.WireFormat;
import dev.ossaat.orchestrator.pipeline.Reply;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.pipeline.Responder;
import dev.ossaat.orchestrator.pipeline.StreamFailure;
import dev.ossaat.orchestrator.provider.ChatStream;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.StreamSink;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * Writes replies to the HTTP response: bodies and errors in the client's format, streams as SSE,
 * event by event, with backpressure (the provider is paused while the client's write queue is full).
 * Once a stream's first byte is sent there is no going back: a stream that breaks ends with the
 * format's error event, never a clean end.
 */
final class HttpResponder implements Responder {
  private static final RequestExchange.Key<HttpServerResponse> RESPONSE = new RequestExchange.Key<>("http-response");

  void bind(RequestExchange ex, HttpServerResponse response) {
    ex.set(RESPONSE, response);
  }

  @Override
  public Future<Void> respond(RequestExchange ex, Reply reply) {
    HttpServerResponse response = ex.get(RESPONSE);
    if (reply instanceof Reply.Events events) return relay(ex, response, events);
    if (response.closed() || response.ended()) return Future.succeededFuture();
    headers(ex, response);
    if (reply instanceof Reply.Answer answer) {
      return send(ex, response, answer.status(), answer.body());
    }
    if (reply instanceof Reply.Failure failure) {
      ApiError error = failure.error();
      if (failure.retryAfterMillis() > 0) {
        response.putHeader("retry-after", Long.toString((failure.retryAfterMillis() + 999) / 1000));
        response.putHeader("retry-after-ms", Long.toString(failure.retryAfterMillis()));
      }
      return send(ex, response, error.status(), ex.codec().encodeError(error));
    }
    // An answer still in the provider's format reached the client: the pipeline is composed wrongly.
    return send(ex, response, 500, ex.codec().encodeError(ApiError.internal("internal error in orchestrator")));
  }

  private static void headers(RequestExchange ex, HttpServerResponse response) {
    ex.responseHeaders().forEach(response::putHeader);
    // Anthropic's SDKs report the request-id header with every error.
    if (ex.codec().format() == WireFormat.ANTHROPIC) response.putHeader("request-id", ex.requestId());
  }

  /** The answer is written once the request is settled (its ledger record spooled: {@link RequestExchange#settle}). */
  private static Future<Void> send(RequestExchange ex, HttpServerResponse response, int status, Buffer body) {
    return ex.settle().compose(v -> response.closed() || response.ended() ? Future.<Void>succeededFuture()
            : response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body))
        .recover(t -> Future.succeededFuture()); // a client gone mid-write: nothing more to do
  }

  /** Relays a stream; the future completes when the stream is over, however it ended. */
  private static Future<Void> relay(RequestExchange ex, HttpServerResponse response, Reply.Events events) {
    Promise<Void> over = Promise.promise();
    if (!response.closed()) {
      headers(ex, response);
      response.setStatusCode(200)
          .setChunked(true)
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
          .putHeader("x-accel-buffering", "no");
    }
    // Started even when the client has already gone: the attempt must see the stream end to free its slot.
    events.stream().start(new Relay(ex, response, events, over));
    return over.future();
  }

  /** Events of one read leave in one write (one syscall); the end marker rides on the last write. */
  private static final class Relay implements StreamSink {
    private final RequestExchange ex;
    private final HttpServerResponse response;
    private final ChatStream stream;
    private final Buffer endMarker;
    private final Promise<Void> over;
    private Buffer pending;
    private boolean pendingOwned;

    Relay(RequestExchange ex, HttpServerResponse response, Reply.Events events, Promise<Void> over) {
      this.ex = ex;
      this.response = response;
      this.stream = events.stream();
      this.endMarker = events.endMarker();
      this.over = over;
    }

    @Override
    public void event(Buffer sseEvent) {
      if (pending == null) {
        pending = sseEvent;
      } else {
        if (!pendingOwned) {
          pending = Buffer.buffer(pending.length() + sseEvent.length() + 256).appendBuffer(pending);
          pendingOwned = true;
        }
        pending.appendBuffer(sseEvent);
      }
    }

    @Override
    public void flush() {
      Buffer out = take();
      if (out == null || response.closed()) return;
      response.write(out);
      if (response.writeQueueFull()) {
        stream.pause();
        response.drainHandler(v -> stream.resume());
      }
    }

    @Override
    public void usage(Usage usage) {
      // accounted by the encode stage
    }

    @Override
    public void end() {
      Buffer last = take();
      Buffer out = last == null ? endMarker : Buffer.buffer(last.length() + endMarker.length()).appendBuffer(last).appendBuffer(endMarker);
      finish(out);
    }

    @Override
    public void fail(ProviderException error) {
      Buffer last = take();
      if (error.type() == ErrorType.CANCELLED) {
        finish(last == null ? Buffer.buffer() : last);
        return;
      }
      Buffer event = ex.codec().encodeStreamError(StreamFailure.of(error));
      finish(last == null ? event : Buffer.buffer(last.length() + event.length()).appendBuffer(last).appendBuffer(event));
    }

    private void finish(Buffer out) {
      if (response.closed() || response.ended()) {
        over.tryComplete();
        return;
      }
      // The stream's usage is final here: settle (spool the ledger record) before the last bytes leave.
      ex.settle().onComplete(settled -> {
        if (response.closed() || response.ended()) {
          over.tryComplete();
          return;
        }
        response.end(out).onComplete(ar -> over.tryComplete());
      });
    }

    private Buffer take() {
      Buffer out = pending;
      pending = null;
      pendingOwned = false;
      return out;
    }
  }
}
