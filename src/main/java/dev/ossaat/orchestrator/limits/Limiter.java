package dev.ossaat.orchestrator.limits;

import dev.ossaat.orchestrator.config.LimitsConfig;
import dev.ossaat.orchestrator.resilience.Clock;
import dev.ossaat.orchestrator.store.SharedRedis;
import io.vertx.core.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides admissions against Redis, and without it as {@code limits.onRedisUnavailable} says. A
 * failed Redis admission (within {@code redis.commandTimeout}) turns this replica to local decisions
 * for {@code limits.redisRetryInterval}, then one admission tries Redis again: an outage costs a
 * request at most one command timeout per interval, never a hang, and is logged once per transition.
 */
public final class Limiter {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator.limits");

  private final Supplier<SharedRedis> redisSupplier;
  private volatile RedisLimiter redis;
  private final LocalLimiter local;
  private final Clock clock;
  private final LimitsMetrics metrics;
  private final AtomicLong localUntilNanos = new AtomicLong(Long.MIN_VALUE);
  private volatile boolean degraded;

  public Limiter(Supplier<SharedRedis> redis, Clock clock, LimitsMetrics metrics) {
    this.redisSupplier = redis;
    this.local = new LocalLimiter(clock);
    this.clock = clock;
    this.metrics = metrics;
  }

  Future<Decision> admit(Plan plan, LimitsConfig config) {
    long start = System.nanoTime();
    long until = localUntilNanos.get();
    if (degraded && clock.nanoTime() < until) return Future.succeededFuture(withoutRedis(plan, config, start));
    // One admission at a time probes Redis after the interval; the others keep deciding locally.
    if (degraded && !localUntilNanos.compareAndSet(until, clock.nanoTime() + config.redisRetryInterval().toNanos())) {
      return Future.succeededFuture(withoutRedis(plan, config, start));
    }
    return redis().admit(plan).map(d -> {
      if (degraded) {
        degraded = false;
        metrics.degraded.set(0);
        local.reset();
        LOG.info("limits decided in Redis again");
      }
      metrics.admission.observe((System.nanoTime() - start) / 1e9);
      return d;
    }).recover(t -> {
      localUntilNanos.set(clock.nanoTime() + config.redisRetryInterval().toNanos());
      if (!degraded) {
        degraded = true;
        metrics.degraded.set(1);
        LOG.warn("limits cannot reach Redis ({}); deciding {} until it answers (limits.onRedisUnavailable={})",
            t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()),
            config.onRedisUnavailable() == LimitsConfig.FailurePolicy.OPEN
                ? "locally with 1/" + config.replicas() + " of each limit" : "to refuse every request",
            config.onRedisUnavailable().name().toLowerCase(java.util.Locale.ROOT));
      }
      return Future.succeededFuture(withoutRedis(plan, config, start));
    });
  }

  void settle(Plan plan, Decision admitted, LimitsConfig config, long tokenDelta, long microDelta) {
    if (admitted.local()) {
      local.settle(plan, config.replicas(), tokenDelta, microDelta);
      return;
    }
    redis().settle(plan, admitted, tokenDelta, microDelta).onFailure(t -> metrics.settleFailures.inc());
  }

  private Decision withoutRedis(Plan plan, LimitsConfig config, long start) {
    Decision d;
    if (config.onRedisUnavailable() == LimitsConfig.FailurePolicy.OPEN) {
      metrics.fallback.labelValues("local").inc();
      d = local.admit(plan, config.replicas());
    } else {
      metrics.fallback.labelValues("refused").inc();
      d = Decision.unavailable();
    }
    metrics.admission.observe((System.nanoTime() - start) / 1e9);
    return d;
  }

  private RedisLimiter redis() {
    RedisLimiter r = redis;
    if (r == null) {
      synchronized (this) {
        if (redis == null) redis = new RedisLimiter(redisSupplier.get());
        r = redis;
      }
    }
    return r;
  }
}
