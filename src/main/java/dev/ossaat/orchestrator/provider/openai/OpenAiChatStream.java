package dev.ossaat.orchestrator.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.provider.CallControl;
import dev.ossaat.orchestrator.provider.ChatStream;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.SseEventSplitter;
import dev.ossaat.orchestrator.provider.StreamSink;
import dev.ossaat.orchestrator.provider.UpstreamErrors;
import dev.ossaat.orchestrator.usage.Usage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.io.IOException;

/**
 * Reads an OpenAI-format SSE body and hands whole events to the sink (after {@link #firstEvent}). Events pass through as bytes;
 * only the rare ones that carry usage or an error are parsed. The stream counts as complete only when
 * {@code data: [DONE]} arrives: anything else (end of body, reset, idle gap) is a failure.
 */
final class OpenAiChatStream implements ChatStream {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final HttpClientResponse response;
  private final CallControl control;
  private final UpstreamErrors errors;
  private final long idleMillis;
  private final boolean clientWantsUsage;
  private final SseEventSplitter splitter = new SseEventSplitter();

  private StreamSink sink;
  private long idleTimer = -1;
  private boolean finished;

  OpenAiChatStream(Vertx vertx, HttpClientResponse response, CallControl control, UpstreamErrors errors,
      long idleMillis, boolean clientWantsUsage) {
    this.vertx = vertx;
    this.response = response;
    this.control = control;
    this.errors = errors;
    this.idleMillis = idleMillis;
    this.clientWantsUsage = clientWantsUsage;
  }

  /**
   * Reads until the first data event and pauses there. Only then does the stream count as accepted:
   * a provider that answers 200 and breaks before saying anything fails this future, and the request
   * can still fall back, since nothing has reached the client yet.
   */
  Future<ChatStream> firstEvent() {
    Promise<ChatStream> ready = Promise.promise();
    Buffered buffered = new Buffered(ready);
    this.sink = buffered;
    control.onCancel(() -> finish(control.reason()));
    response.handler(this::onChunk);
    response.exceptionHandler(t -> finish(broken(t)));
    response.endHandler(v -> finish(ProviderException.of(providerName(), ErrorType.STREAM_CUT,
        "stream from " + providerName() + " ended before its end marker")));
    armIdleTimer();
    response.resume();
    return ready.future();
  }

  @Override
  public void start(StreamSink target) {
    Buffered buffered = (Buffered) sink;
    this.sink = target;
    buffered.replayTo(target);
    if (finished) return;
    armIdleTimer();
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
      if (SseEventSplitter.classify(sseEvent) != SseEventSplitter.Kind.COMMENT) commit();
    }

    @Override
    public void usage(Usage u) {
      usage = u;
    }

    @Override
    public void end() {
      ended = true;
      ready.tryComplete(OpenAiChatStream.this); // a clean, if empty, answer
    }

    @Override
    public void fail(ProviderException error) {
      failure = error;
      // Before the first event nothing was relayed: a drop here is a plain connection failure, which
      // the caller may retry or fall back from (a cut stream, after the first event, may not).
      ready.tryFail(error.type() == ErrorType.STREAM_CUT
          ? ProviderException.of(error.provider(), ErrorType.NETWORK, error.getMessage() + " (before its first event)")
          : error);
    }

    private void commit() {
      if (ready.future().isComplete()) return;
      response.pause();
      cancelIdleTimer();
      ready.tryComplete(OpenAiChatStream.this);
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
  public void pause() {
    response.pause();
    // A paused stream is waiting on the client, not on the provider: no idle timeout meanwhile.
    cancelIdleTimer();
  }

  @Override
  public void resume() {
    if (finished) return;
    armIdleTimer();
    response.resume();
  }

  private void onChunk(Buffer chunk) {
    if (finished) return;
    armIdleTimer();
    try {
      splitter.feed(chunk, this::onEvent);
    } catch (IllegalStateException e) {
      finish(ProviderException.of(providerName(), ErrorType.STREAM_CUT, providerName() + " sent an oversized stream event"));
    }
    if (!finished) sink.flush(); // everything this read brought goes out in one write
  }

  private void onEvent(Buffer event) {
    if (finished) return;
    switch (SseEventSplitter.classify(event)) {
      case PLAIN, COMMENT -> sink.event(event); // a comment or keep-alive is harmless, and keeps proxies open
      case DONE -> finish(null);
      case NOTABLE -> onNotableEvent(event);
    }
  }

  /** An event that may carry usage or an error: decoded and looked at. */
  private void onNotableEvent(Buffer event) {
    String data = SseEventSplitter.data(event);
    if (data.equals("[DONE]")) {
      finish(null);
      return;
    }
    if (data.contains("\"error\"") && isError(data)) {
      finish(ProviderException.of(providerName(), ErrorType.STREAM_CUT, "stream from " + providerName() + " reported an error"));
      return;
    }
    if (data.contains("\"usage\":{") || data.contains("\"usage\": {")) {
      try {
        JsonNode json = JSON.readTree(data);
        Usage usage = Usage.fromOpenAi(json.get("usage"));
        if (usage != null) sink.usage(usage);
        boolean usageOnly = json.path("choices").isArray() && json.path("choices").isEmpty();
        if (usageOnly && !clientWantsUsage) return; // we asked for it, the client did not
      } catch (IOException e) {
        // unparseable usage: the event still goes to the client, and usage will be estimated
      }
    }
    sink.event(event);
  }

  /** An in-stream error object (some providers send one instead of closing), wherever its key stands. */
  private static boolean isError(String data) {
    try {
      JsonNode json = JSON.readTree(data);
      return json.has("error") && !json.has("choices");
    } catch (IOException e) {
      return false;
    }
  }

  private void finish(ProviderException error) {
    if (finished) return;
    finished = true;
    // Cancelling resets the upstream request, which surfaces here as a reset: report the cause instead.
    if (error != null && control.cancelled()) error = control.reason();
    cancelIdleTimer();
    if (error == null) {
      sink.end();
      // Release the connection: anything after [DONE] is not ours to read.
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

  private void armIdleTimer() {
    cancelIdleTimer();
    idleTimer = vertx.setTimer(idleMillis, t -> {
      idleTimer = -1;
      control.cancel(errors.timeout(idleMillis, "with its next stream chunk"));
    });
  }

  private void cancelIdleTimer() {
    if (idleTimer >= 0) {
      vertx.cancelTimer(idleTimer);
      idleTimer = -1;
    }
  }

  private String providerName() {
    return errors.provider();
  }
}
