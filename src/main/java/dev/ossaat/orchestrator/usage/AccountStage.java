package dev.ossaat.orchestrator.usage;

import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.pipeline.Outcome;
import dev.ossaat.orchestrator.pipeline.Reply;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.pipeline.Stage;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.telemetry.RequestLog;
import dev.ossaat.orchestrator.telemetry.RequestRecord;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * The outermost stage: its after-step runs last and exactly once for every request that reached the
 * pipeline, whatever path it took. Usage is accounted (reported, or estimated and marked) and the one
 * log line written. A request whose call had gone out when the client left is billed its estimated
 * prompt: the provider may bill it.
 */
public final class AccountStage implements Stage {
  private final UsageAccountant accountant;
  private final UsageEstimates estimates;

  public AccountStage(UsageAccountant accountant, UsageEstimates estimates) {
    this.accountant = accountant;
    this.estimates = estimates;
  }

  @Override
  public String name() {
    return "account";
  }

  @Override
  public Future<Reply> handle(RequestExchange ex, Chain next) {
    return next.proceed();
  }

  @Override
  public void after(RequestExchange ex) {
    Outcome o = ex.outcome();
    Usage usage = o.usage();
    if (o.errorType() == ErrorType.CANCELLED && o.attempts() > 0 && usage.totalTokens() == 0 && ex.request() != null) {
      usage = Usage.estimate(estimates.prompt(ex.request(), o.billedModel()), 0);
      o.usage(usage);
    }
    Optional<Double> cost = o.isCacheHit() || o.billedModel() == null ? Optional.of(0.0)
        : accountant.account(o.provider(), ex.modelLabel(), o.billedModel(), ex.labels(), usage);
    if (!accountant.requestLog()) return;
    long latencyMs = (ex.deadline().clock().nanoTime() - ex.deadline().startNanos()) / 1_000_000;
    String operation = ex.request() == null ? ex.ingress().label() : ex.request().operation().label();
    RequestLog.request(new RequestRecord(ex.requestId(), operation, o.provider(),
        ex.request() == null ? "-" : ex.request().model(), ex.caller(), o.status(), o.errorType(), o.httpStatus(), usage, cost,
        latencyMs, ex.stream(), o.attempts(), o.isCacheHit(), o.message()));
  }
}
