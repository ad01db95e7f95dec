package dev.ossaat.orchestrator.api;

import dev.ossaat.orchestrator.provider.ChatStream;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.Operation;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.StreamSink;
import dev.ossaat.orchestrator.routing.Candidate;
import dev.ossaat.orchestrator.routing.DispatchFailure;
import dev.ossaat.orchestrator.routing.Dispatched;
import dev.ossaat.orchestrator.routing.RequestContext;
import dev.ossaat.orchestrator.usage.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/**
 * Relays one streaming completion. Until the chosen provider accepts, failures fall back like any
 * request and the client gets a JSON error. Once the first byte is sent, there is no going back: a
 * stream that breaks ends with an SSE error event (never a clean {@code [DONE]}), counts as an error,
 * and its usage is estimated if the provider never reported it. Events are written as they arrive,
 * with backpressure: the provider is paused while the client's write queue is full.
 */
final class StreamRelay implements StreamSink {
  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private final ApiServices s;
  private final Outcomes outcomes;
  private final HttpServerResponse response;
  private final RequestContext ctx;
  private final StreamTranscript transcript = new StreamTranscript();

  private Dispatched<ChatStream> dispatched;
  private Buffer pending;
  private boolean pendingOwned;
  private Runnable onClientGone = () -> {};
  private Usage reported;
  private long firstEventNanos;
  private long deadlineTimer = -1;
  private boolean over;

  StreamRelay(ApiServices services, Outcomes outcomes, HttpServerResponse response, RequestContext ctx) {
    this.s = services;
    this.outcomes = outcomes;
    this.response = response;
    this.ctx = ctx;
  }

  void run(List<Candidate> candidates) {
    response.closeHandler(v -> onClientGone.run());
    s.dispatcher().<ChatStream>dispatch(ctx, candidates, Operation.CHAT_STREAM,
            (candidate, call) -> candidate.provider().stream(call),
            action -> onClientGone = action)
        .onSuccess(this::begin)
        .onFailure(t -> outcomes.dispatchFailed(response, ctx, (DispatchFailure) t));
  }

  private void begin(Dispatched<ChatStream> d) {
    this.dispatched = d;
    onClientGone = () -> d.control().cancel(ProviderException.of(d.candidate().name(), ErrorType.CANCELLED, "client disconnected"));
    if (response.closed()) {
      onClientGone.run();
    }
    response.setStatusCode(200)
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .putHeader("x-accel-buffering", "no")
        .putHeader(CompletionRoutes.PROVIDER_HEADER, d.candidate().name());
    // What is left of the request's deadline bounds the rest of the stream too.
    long remaining = Math.max(1, ctx.deadline().remainingMillis());
    deadlineTimer = s.vertx().setTimer(remaining, t -> d.control().cancel(ProviderException.deadline(d.candidate().name(),
        "request deadline of " + ctx.deadline().budgetMillis() + " ms reached mid-stream")));
    d.value().start(this);
  }

  @Override
  public void event(Buffer sseEvent) {
    if (over) return;
    if (firstEventNanos == 0) firstEventNanos = System.nanoTime();
    transcript.add(sseEvent);
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
    Buffer out = pending;
    pending = null;
    pendingOwned = false;
    if (out == null || response.closed()) return;
    response.write(out);
    if (response.writeQueueFull()) {
      ChatStream stream = dispatched.value();
      stream.pause();
      response.drainHandler(v -> stream.resume());
    }
  }

  @Override
  public void usage(Usage usage) {
    this.reported = usage;
  }

  @Override
  public void end() {
    if (over) return;
    over = true;
    s.vertx().cancelTimer(deadlineTimer);
    dispatched.releaseSlot().run();
    Buffer last = pending == null ? DONE : Buffer.buffer(pending.length() + DONE.length()).appendBuffer(pending).appendBuffer(DONE);
    pending = null;
    if (!response.closed()) response.end(last); // the final events and [DONE] in one write
    long latency = (firstEventNanos == 0 ? System.nanoTime() : firstEventNanos) - dispatched.startNanos();
    s.recorder().succeeded(ctx, dispatched.candidate().name(), Operation.CHAT_STREAM, latency, dispatched.breakerPermit());
    outcomes.finish(ctx, dispatched.candidate().name(), dispatched.candidate().upstreamModel(), "success", null, 200,
        usage(), true, dispatched.attempts(), null);
  }

  @Override
  public void fail(ProviderException error) {
    if (over) return;
    over = true;
    s.vertx().cancelTimer(deadlineTimer);
    dispatched.releaseSlot().run();
    boolean cancelled = error.type() == ErrorType.CANCELLED;
    flush();
    if (!cancelled && !response.closed()) {
      response.end(FailureResponses.streamErrorEvent(error));
    }
    long latency = System.nanoTime() - dispatched.startNanos();
    s.recorder().failed(ctx, Operation.CHAT_STREAM, error, latency, null, dispatched.breakerPermit());
    outcomes.finish(ctx, dispatched.candidate().name(), dispatched.candidate().upstreamModel(),
        cancelled ? "cancelled" : "error", error.type(), cancelled ? 499 : 200, usage(), true, dispatched.attempts(),
        error.getMessage());
  }

  /** The provider's usage when it reported any; otherwise an estimate of what was relayed, marked so. */
  private Usage usage() {
    if (reported != null) return reported;
    String model = dispatched.candidate().upstreamModel();
    long prompt = s.estimator().countPrompt(model, ctx.request().body());
    StreamTranscript.Estimate relayed = transcript.completion();
    long completion = Math.round(s.estimator().countText(model, relayed.text()) * relayed.scale());
    return new Usage(prompt, completion, 0, true);
  }
}
