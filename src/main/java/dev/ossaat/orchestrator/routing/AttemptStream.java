package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.exchange.Operation;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.provider.ChatStream;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.StreamSink;
import io.vertx.core.buffer.Buffer;

/**
 * A committed stream still owned by its attempt: it holds the provider's admission slot and breaker
 * permit until the stream ends, then records the attempt's outcome (success, or the failure that cut
 * it) exactly once. The request's one deadline and the client's departure cancel it.
 */
final class AttemptStream implements ChatStream, StreamSink {
  private final Dispatched<ChatStream> dispatched;
  private final RequestExchange ex;
  private final AttemptRecorder recorder;
  private StreamSink downstream;
  private long firstEventNanos;
  private boolean over;

  AttemptStream(Dispatched<ChatStream> dispatched, RequestExchange ex, AttemptRecorder recorder) {
    this.dispatched = dispatched;
    this.ex = ex;
    this.recorder = recorder;
    String provider = dispatched.candidate().name();
    ex.onDeadline(() -> dispatched.control().cancel(ProviderException.deadline(provider,
        "request deadline of " + ex.deadline().budgetMillis() + " ms reached mid-stream")));
    ex.onClientGone(() -> dispatched.control().cancel(ProviderException.of(provider, ErrorType.CANCELLED, "client disconnected")));
  }

  @Override
  public void start(StreamSink sink) {
    this.downstream = sink;
    dispatched.value().start(this);
  }

  @Override
  public void cancel(ProviderException why) {
    dispatched.control().cancel(why);
  }

  @Override
  public void pause() {
    dispatched.value().pause();
  }

  @Override
  public void resume() {
    dispatched.value().resume();
  }

  @Override
  public void event(Buffer sseEvent) {
    if (firstEventNanos == 0) firstEventNanos = ex.deadline().clock().nanoTime();
    downstream.event(sseEvent);
  }

  @Override
  public void flush() {
    downstream.flush();
  }

  @Override
  public void usage(Usage usage) {
    downstream.usage(usage);
  }

  @Override
  public void end() {
    if (over) return;
    over = true;
    long latency = (firstEventNanos == 0 ? ex.deadline().clock().nanoTime() : firstEventNanos) - dispatched.startNanos();
    recorder.succeeded(ex, dispatched.candidate().name(), Operation.CHAT_STREAM, latency, dispatched.breakerPermit());
    dispatched.releaseSlot().run(); // after the outcome is recorded: it also gives back an unsettled permit
    downstream.end();
  }

  @Override
  public void fail(ProviderException error) {
    if (over) return;
    over = true;
    recorder.failed(ex, Operation.CHAT_STREAM, error, ex.deadline().clock().nanoTime() - dispatched.startNanos(), null,
        dispatched.breakerPermit());
    dispatched.releaseSlot().run();
    downstream.fail(error);
  }
}
