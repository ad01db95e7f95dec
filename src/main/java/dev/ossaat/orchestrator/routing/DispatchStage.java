package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.exchange.Operation;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.pipeline.Reply;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.pipeline.Stage;
import dev.ossaat.orchestrator.provider.ChatStream;
import dev.ossaat.orchestrator.provider.Completion;
import dev.ossaat.orchestrator.provider.Provider;
import dev.ossaat.orchestrator.provider.ProviderCall;
import dev.ossaat.orchestrator.provider.ProviderException;
import io.vertx.core.Future;
import java.util.function.BiFunction;

/**
 * Calls the candidates (through the {@link Dispatcher}'s fallback loop) and hands the winner's answer
 * back in the provider's format. The last stage: it never calls {@code next}.
 */
public final class DispatchStage implements Stage {
  static final String PROVIDER_HEADER = "x-orchestrator-provider";
  /** Honoured by the OpenAI SDKs: {@code false} stops their own retries. */
  static final String SHOULD_RETRY_HEADER = "x-should-retry";

  private final Dispatcher dispatcher;
  private final BiFunction<Provider, ProviderCall, Future<Completion>> embed;

  public DispatchStage(Dispatcher dispatcher) {
    this(dispatcher, Provider::embed);
  }

  /**
   * @param embed how one attempt's embeddings call reaches its provider: directly, or through request
   *     batching ({@code batching.EmbeddingBatcher}), which may combine it with other requests' calls
   */
  public DispatchStage(Dispatcher dispatcher, BiFunction<Provider, ProviderCall, Future<Completion>> embed) {
    this.dispatcher = dispatcher;
    this.embed = embed;
  }

  @Override
  public String name() {
    return "dispatch";
  }

  @Override
  public Future<Reply> handle(RequestExchange ex, Chain next) {
    Operation operation = ex.request().operation();
    var candidates = ex.get(RouteStage.CANDIDATES);
    if (operation == Operation.CHAT_STREAM) {
      return dispatcher.<ChatStream>dispatch(ex, candidates, operation, (c, call) -> c.provider().stream(call))
          .map(done -> {
            answered(ex, done);
            // The usage comes when the stream ends (the encode stage's ClientStream sets it).
            ex.outcome().succeeded(done.candidate().name(), done.candidate().upstreamModel(), Usage.NONE);
            return (Reply) new Reply.UpstreamStream(new AttemptStream(done, ex, dispatcher.recorder()),
                done.candidate().provider().answerFormat(ex.request(), done.candidate().config()));
          })
          .recover(t -> failed(ex, t));
    }
    return dispatcher.<Completion>dispatch(ex, candidates, operation, (c, call) -> operation == Operation.EMBEDDINGS
            ? embed.apply(c.provider(), call) : c.provider().complete(call))
        .map(done -> {
          answered(ex, done);
          Usage usage = done.value().usage();
          ex.outcome().succeeded(done.candidate().name(), done.candidate().upstreamModel(), usage == null ? Usage.NONE : usage);
          return (Reply) new Reply.Upstream(done.value());
        })
        .recover(t -> failed(ex, t));
  }

  private static void answered(RequestExchange ex, Dispatched<?> done) {
    ex.responseHeader(PROVIDER_HEADER, done.candidate().name());
    ex.outcome().attempts(done.attempts());
  }

  private static Future<Reply> failed(RequestExchange ex, Throwable t) {
    if (!(t instanceof DispatchFailure failure)) return Future.failedFuture(t);
    ProviderException last = failure.last();
    ex.outcome().attempts(failure.attempts());
    ex.responseHeader(PROVIDER_HEADER, last.provider());
    if (failure.attempts() > 1 && ex.config().routing().shouldRetryHeader()) {
      // Orchestrator already retried and fell back; an SDK retrying on top (the OpenAI SDKs retry 5xx
      // and 429 twice) would multiply provider calls, not the chance of an answer.
      ex.responseHeader(SHOULD_RETRY_HEADER, "false");
    }
    Reply reply = FailureResponses.of(failure, ex.codec().format());
    int status = reply instanceof Reply.Answer a ? a.status() : ((Reply.Failure) reply).error().status();
    ex.outcome().failed(last.provider(), ex.request().model(), last.type(), status, Usage.NONE, last.getMessage());
    return Future.succeededFuture(reply);
  }
}
