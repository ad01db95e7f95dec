package dev.ossaat.orchestrator.limits;

import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.pipeline.Reply;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.pipeline.Stage;
import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Where a request is admitted before any provider is called, one stage for every route. Today it
 * sheds the gateway's own overload: past {@code server.maxInflightRequests} requests in flight on this
 * process, a new one is refused at once with 503 {@code gateway_overloaded} and {@code Retry-After},
 * instead of being accepted into a backlog whose event-loop lag would time out calls to healthy
 * providers. Caller limits (rate, tokens, budgets) come here with API keys.
 */
public final class AdmitStage implements Stage {
  private static final RequestExchange.Key<Boolean> ADMITTED = new RequestExchange.Key<>("admitted");

  private final IntSupplier maxInflight;
  private final AtomicInteger inflight = new AtomicInteger();
  private final Runnable onShed;

  /**
   * @param maxInflight the limit of the current config
   * @param onShed counts a shed request
   */
  public AdmitStage(IntSupplier maxInflight, Runnable onShed) {
    this.maxInflight = maxInflight;
    this.onShed = onShed;
  }

  @Override
  public String name() {
    return "admit";
  }

  @Override
  public Future<Reply> handle(RequestExchange ex, Chain next) {
    if (inflight.incrementAndGet() > maxInflight.getAsInt()) {
      inflight.decrementAndGet();
      onShed.run();
      ApiError error = new ApiError(503, "service_unavailable", "gateway_overloaded",
          "orchestrator is at its limit of " + maxInflight.getAsInt() + " requests in flight; retry shortly", null);
      ex.outcome().answeredByGateway(503, error.message());
      return Future.succeededFuture(new Reply.Failure(error, 1000));
    }
    ex.set(ADMITTED, Boolean.TRUE);
    return next.proceed();
  }

  @Override
  public void after(RequestExchange ex) {
    if (ex.get(ADMITTED) != null) inflight.decrementAndGet();
  }
}
