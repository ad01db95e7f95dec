package dev.ossaat.orchestrator.usage;

import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.ledger.LedgerRecord;
import dev.ossaat.orchestrator.ledger.UsageLedger;
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
 *
 * <p>The usage is settled once, before the client sees the end of its answer (the responder waits
 * for {@link RequestExchange#settle}): the final usage and cost become the request's ledger record,
 * which is in the ledger's spool file before the last byte leaves, so an answered request is never
 * lost to a crash. The counters and the log line, after the answer, use the same settled numbers.
 */
public final class AccountStage implements Stage {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("orchestrator.usage");
  private static final RequestExchange.Key<Settled> SETTLED = new RequestExchange.Key<>("account-settled");

  /** The request's final usage and cost (empty: unpriced), fixed once. */
  private record Settled(Usage usage, Optional<Double> cost) {}

  private final UsageAccountant accountant;
  private final UsageEstimates estimates;
  private final UsageLedger ledger;

  public AccountStage(UsageAccountant accountant, UsageEstimates estimates) {
    this(accountant, estimates, UsageLedger.DISABLED);
  }

  public AccountStage(UsageAccountant accountant, UsageEstimates estimates, UsageLedger ledger) {
    this.accountant = accountant;
    this.estimates = estimates;
    this.ledger = ledger;
  }

  @Override
  public String name() {
    return "account";
  }

  @Override
  public Future<Reply> handle(RequestExchange ex, Chain next) {
    ex.beforeEnd(() -> {
      try {
        return settle(ex);
      } catch (RuntimeException e) {
        // A bug of ours must not keep the answer from ending; it must not pass silently either.
        LOG.error("settling request id={} failed, no ledger record: {}", ex.requestId(), e.toString());
        return Future.succeededFuture();
      }
    });
    return next.proceed();
  }

  private Future<Void> settle(RequestExchange ex) {
    Outcome o = ex.outcome();
    Usage usage = o.usage();
    if (o.errorType() == ErrorType.CANCELLED && o.attempts() > 0 && usage.totalTokens() == 0 && ex.request() != null) {
      usage = Usage.estimate(estimates.prompt(ex.request(), o.billedModel()), 0);
      o.usage(usage);
    }
    Optional<Double> cost = o.isCacheHit() || o.billedModel() == null ? Optional.of(0.0)
        : accountant.cost(o.provider(), o.billedModel(), usage);
    ex.set(SETTLED, new Settled(usage, cost));
    return ledger == UsageLedger.DISABLED ? Future.succeededFuture() : ledger.append(record(ex, usage, cost));
  }

  private static LedgerRecord record(RequestExchange ex, Usage usage, Optional<Double> cost) {
    Outcome o = ex.outcome();
    long latencyMs = (ex.deadline().clock().nanoTime() - ex.deadline().startNanos()) / 1_000_000;
    return new LedgerRecord(ex.requestId(), System.currentTimeMillis() - latencyMs, ex.caller().tenantId(), ex.caller().userId(),
        ex.caller().keyId(), ex.ingress().label(), ex.ingress().format().name().toLowerCase(java.util.Locale.ROOT),
        o.provider(), ex.request() == null ? "-" : ex.request().model(), o.billedModel(), usage.promptTokens(),
        usage.completionTokens(), usage.cacheReadTokens(), usage.cacheWriteTokens(), usage.reasoningTokens(), cost.orElse(null),
        usage.estimated(), o.status(), o.httpStatus(), o.errorType() == null ? null : o.errorType().label(), latencyMs,
        o.isCacheHit(), ex.stream(), o.attempts());
  }

  @Override
  public void after(RequestExchange ex) {
    ex.settle(); // an answer that never ended (the client left) is settled here
    Outcome o = ex.outcome();
    Settled s = ex.get(SETTLED);
    Usage usage = s == null ? o.usage() : s.usage();
    Optional<Double> cost = s == null ? Optional.of(0.0) : s.cost();
    if (!(o.isCacheHit() || o.billedModel() == null)) {
      accountant.record(o.provider(), ex.modelLabel(), ex.labels(), usage, cost);
    }
    if (!accountant.requestLog()) return;
    long latencyMs = (ex.deadline().clock().nanoTime() - ex.deadline().startNanos()) / 1_000_000;
    String operation = ex.request() == null ? ex.ingress().label() : ex.request().operation().label();
    RequestLog.request(new RequestRecord(ex.requestId(), operation, o.provider(),
        ex.request() == null ? "-" : ex.request().model(), ex.caller(), o.status(), o.errorType(), o.httpStatus(), usage, cost,
        latencyMs, ex.stream(), o.attempts(), o.isCacheHit(), o.message()));
  }
}
