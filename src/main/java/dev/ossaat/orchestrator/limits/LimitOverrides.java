package dev.ossaat.orchestrator.limits;

import dev.ossaat.orchestrator.config.LimitSet;
import dev.ossaat.orchestrator.store.SharedRedis;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.function.Supplier;

/**
 * Limits an operator sets at run time for one tenant or one user (the admin API), over the config's:
 * a hash {@code <scope base>:pol} that the admission script reads itself, so a change applies to the
 * next request on every replica at once, with no restart and no cache to expire. A key's own limits
 * live in its record (PATCH /admin/keys/{id}).
 */
public final class LimitOverrides {
  private static final String[] FIELDS = {"rpm", "tpm", "conc", "dpd", "dpm"};

  private final Supplier<SharedRedis> redis;

  public LimitOverrides(Supplier<SharedRedis> redis) {
    this.redis = redis;
  }

  /** @param user null for the tenant's own limits */
  public Future<LimitSet> get(String tenant, String user) {
    SharedRedis r = redis.get();
    Request hmget = Request.cmd(Command.HMGET).arg(policyKey(r, tenant, user));
    for (String f : FIELDS) hmget.arg(f);
    return r.send(RedisLimiter.USE, hmget).map(LimitOverrides::parse);
  }

  /** Sets the given limits (a negative value removes that one override); returns what is now set. */
  public Future<LimitSet> set(String tenant, String user, LimitSet limits) {
    SharedRedis r = redis.get();
    String key = policyKey(r, tenant, user);
    long[] values = {limits.requestsPerMinute(), limits.tokensPerMinute(), limits.concurrentRequests(),
        RedisLimiter.micros(limits.dollarsPerDay()), RedisLimiter.micros(limits.dollarsPerMonth())};
    Request hset = Request.cmd(Command.HSET).arg(key);
    Request hdel = Request.cmd(Command.HDEL).arg(key);
    boolean anySet = false, anyDel = false;
    for (int i = 0; i < FIELDS.length; i++) {
      if (values[i] >= 0) {
        hset.arg(FIELDS[i]).arg(Long.toString(values[i]));
        anySet = true;
      } else {
        hdel.arg(FIELDS[i]);
        anyDel = true;
      }
    }
    List<Request> batch = new java.util.ArrayList<>();
    if (anySet) batch.add(hset);
    if (anyDel) batch.add(hdel);
    return r.batch(RedisLimiter.USE, batch).compose(v -> get(tenant, user));
  }

  public Future<Void> clear(String tenant, String user) {
    SharedRedis r = redis.get();
    return r.send(RedisLimiter.USE, Request.cmd(Command.DEL).arg(policyKey(r, tenant, user))).mapEmpty();
  }

  private static String policyKey(SharedRedis r, String tenant, String user) {
    String tag = AdmitStage.tag(r.config().keyPrefix(), tenant);
    return (user == null ? tag + "t" : tag + "u:" + AdmitStage.safe(user)) + ":pol";
  }

  private static LimitSet parse(Response r) {
    long[] v = new long[5];
    for (int i = 0; i < 5; i++) v[i] = r.get(i) == null ? -1 : Long.parseLong(r.get(i).toString());
    return new LimitSet(v[0], v[1], v[2], v[3] < 0 ? -1 : v[3] / 1e6, v[4] < 0 ? -1 : v[4] / 1e6);
  }
}
