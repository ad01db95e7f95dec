package dev.ossaat.orchestrator.limits;

import dev.ossaat.orchestrator.config.LimitSet;
import dev.ossaat.orchestrator.resilience.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The open policy's stand-in while Redis cannot be asked: the same buckets kept by this replica
 * alone, each limit divided by {@code limits.replicas}, so the replicas together stay near the
 * configured limit. Budgets count only the spend this replica saw since it started deciding alone
 * (against its share of the budget): the shared spend is in Redis, out of reach. Admin overrides
 * are not seen either. A few lookups under one lock: it only runs during an outage.
 */
final class LocalLimiter {
  private final Clock clock;
  private final Map<String, double[]> buckets = new HashMap<>();
  private final Map<String, Long> inflight = new HashMap<>();
  private final Map<String, Long> spend = new HashMap<>();

  LocalLimiter(Clock clock) {
    this.clock = clock;
  }

  synchronized Decision admit(Plan plan, int replicas) {
    long now = clock.nanoTime() / 1_000_000;
    LimitSet[] shares = new LimitSet[plan.scopes().size()];
    for (int i = 0; i < shares.length; i++) {
      LimitSet l = plan.scopes().get(i).limits();
      shares[i] = new LimitSet(share(l.requestsPerMinute(), replicas), share(l.tokensPerMinute(), replicas),
          share(l.concurrentRequests(), replicas), l.dollarsPerDay() < 0 ? -1 : l.dollarsPerDay() / replicas,
          l.dollarsPerMonth() < 0 ? -1 : l.dollarsPerMonth() / replicas);
      Scope s = plan.scopes().get(i);
      LimitSet l2 = shares[i];
      if (l2.requestsPerMinute() >= 0 && level(s.base() + ":rpm", l2.requestsPerMinute(), now) < 1) {
        return refused("requests", i, l2.requestsPerMinute());
      }
      if (l2.tokensPerMinute() >= 0
          && level(s.base() + ":tpm", l2.tokensPerMinute(), now) < Math.min(plan.tokens(), l2.tokensPerMinute())) {
        return refused("tokens", i, l2.tokensPerMinute());
      }
      if (l2.concurrentRequests() >= 0 && inflight.getOrDefault(s.base(), 0L) >= l2.concurrentRequests()) {
        return refused("concurrency", i, -1);
      }
      long spent = spend.getOrDefault(s.base(), 0L);
      if (l2.dollarsPerDay() >= 0 && spent >= RedisLimiter.micros(l2.dollarsPerDay())) return refused("daily_budget", i, -1);
      if (l2.dollarsPerMonth() >= 0 && spent >= RedisLimiter.micros(l2.dollarsPerMonth())) return refused("monthly_budget", i, -1);
    }
    long rpmLimit = -1, rpmLeft = -1, tpmLimit = -1, tpmLeft = -1;
    for (int i = 0; i < shares.length; i++) {
      Scope s = plan.scopes().get(i);
      LimitSet l = shares[i];
      if (l.requestsPerMinute() >= 0) {
        double v = take(s.base() + ":rpm", l.requestsPerMinute(), now, 1);
        if (rpmLeft < 0 || v < rpmLeft) {
          rpmLimit = l.requestsPerMinute();
          rpmLeft = (long) Math.max(0, v);
        }
      }
      if (l.tokensPerMinute() >= 0) {
        double v = take(s.base() + ":tpm", l.tokensPerMinute(), now, plan.tokens());
        if (tpmLeft < 0 || v < tpmLeft) {
          tpmLimit = l.tokensPerMinute();
          tpmLeft = (long) Math.max(0, v);
        }
      }
      if (l.concurrentRequests() >= 0) inflight.merge(s.base(), 1L, Long::sum);
      if (plan.microDollars() > 0) spend.merge(s.base(), plan.microDollars(), Long::sum);
    }
    return new Decision(true, null, -1, 0, rpmLimit, rpmLeft, 60_000, tpmLimit, tpmLeft, 60_000, "0", "", 0, -1, 0, -1, true);
  }

  synchronized void settle(Plan plan, int replicas, long tokenDelta, long microDelta) {
    long now = clock.nanoTime() / 1_000_000;
    for (Scope s : plan.scopes()) {
      LimitSet l = s.limits();
      if (l.tokensPerMinute() >= 0) take(s.base() + ":tpm", share(l.tokensPerMinute(), replicas), now, tokenDelta);
      if (l.concurrentRequests() >= 0) inflight.computeIfPresent(s.base(), (k, n) -> n <= 1 ? null : n - 1);
      if (microDelta != 0) spend.merge(s.base(), microDelta, Long::sum);
    }
  }

  /** Back on Redis: the local counts are forgotten (Redis has the shared ones). */
  synchronized void reset() {
    buckets.clear();
    spend.clear();
  }

  private static long share(long limit, int replicas) {
    return limit < 0 ? -1 : limit == 0 ? 0 : Math.max(1, limit / replicas);
  }

  private double level(String key, long cap, long now) {
    double[] b = buckets.get(key);
    if (b == null) return cap;
    return Math.min(cap, b[0] + (now - b[1]) * cap / 60_000.0);
  }

  private double take(String key, long cap, long now, long amount) {
    double v = Math.min(cap, level(key, cap, now) - amount);
    buckets.put(key, new double[] {v, now});
    return v;
  }

  private static Decision refused(String reason, int scope, long limit) {
    return new Decision(false, reason, scope, reason.endsWith("budget") ? 60_000 : 1000,
        reason.equals("requests") ? limit : -1, 0, 1000, reason.equals("tokens") ? limit : -1, 0, 1000, "0", "", 0, -1, 0, -1,
        true);
  }
}
