package dev.ossaat.orchestrator.limits;

import dev.ossaat.orchestrator.config.LimitSet;
import dev.ossaat.orchestrator.store.RedisScript;
import dev.ossaat.orchestrator.store.SharedRedis;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one source of truth: {@code admit.lua} checks and reserves every bucket of every scope in one
 * atomic script (one round trip), {@code settle.lua} replaces the reservation with the real usage.
 */
final class RedisLimiter {
  static final String USE = "limits";
  private static final RedisScript ADMIT = RedisScript.of(resource("limits/admit.lua"));
  private static final RedisScript SETTLE = RedisScript.of(resource("limits/settle.lua"));

  private final SharedRedis redis;

  RedisLimiter(SharedRedis redis) {
    this.redis = redis;
  }

  SharedRedis redis() {
    return redis;
  }

  Future<Decision> admit(Plan plan) {
    List<String> keys = new ArrayList<>(plan.scopes().size());
    List<String> args = new ArrayList<>(5 + 5 * plan.scopes().size());
    args.add(plan.requestId());
    args.add(Long.toString(plan.tokens()));
    args.add(Long.toString(plan.microDollars()));
    args.add(Long.toString(plan.leaseMillis()));
    args.add(Integer.toString(plan.tenantIndex()));
    for (Scope s : plan.scopes()) {
      keys.add(s.base());
      LimitSet l = s.limits();
      args.add(Long.toString(l.requestsPerMinute()));
      args.add(Long.toString(l.tokensPerMinute()));
      args.add(Long.toString(l.concurrentRequests()));
      args.add(Long.toString(micros(l.dollarsPerDay())));
      args.add(Long.toString(micros(l.dollarsPerMonth())));
    }
    return redis.eval(USE, ADMIT, keys, args).map(RedisLimiter::decision);
  }

  Future<Void> settle(Plan plan, Decision admitted, long tokenDelta, long microDelta) {
    List<String> keys = new ArrayList<>(plan.scopes().size());
    List<String> args = new ArrayList<>(5 + 3 * plan.scopes().size());
    args.add(plan.requestId());
    args.add(Long.toString(tokenDelta));
    args.add(Long.toString(microDelta));
    args.add(admitted.day());
    args.add(admitted.month());
    for (Scope s : plan.scopes()) {
      keys.add(s.base());
      args.add(Long.toString(s.limits().tokensPerMinute()));
      args.add(Long.toString(micros(s.limits().dollarsPerDay())));
      args.add(Long.toString(micros(s.limits().dollarsPerMonth())));
    }
    return redis.eval(USE, SETTLE, keys, args).mapEmpty();
  }

  static long micros(double dollars) {
    return dollars < 0 ? -1 : Math.round(dollars * 1_000_000);
  }

  private static Decision decision(Response r) {
    long[] v = new long[17];
    String day = r.get(10).toString();
    String month = r.get(11).toString();
    for (int i : new int[] {2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15}) v[i] = (long) Double.parseDouble(r.get(i).toString());
    String reason = r.get(1).toString();
    return new Decision("1".equals(r.get(0).toString()), reason.isEmpty() ? null : reason, (int) v[2] - 1, v[3], v[4], v[5],
        v[6], v[7], v[8], v[9], day, month, v[12], v[13], v[14], v[15], false);
  }

  private static String resource(String name) {
    try (InputStream in = RedisLimiter.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) throw new IllegalStateException(name + " missing from the jar");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
