package dev.ossaat.orchestrator.cache;

import dev.ossaat.orchestrator.testkit.TestGateway;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The machine's Redis under a key prefix of this test's own, removed again on close. */
final class RedisFixture implements AutoCloseable {
  final String prefix = "test-cache-" + UUID.randomUUID() + ":";
  private final Vertx vertx = Vertx.vertx();
  private final Redis redis = Redis.createClient(vertx, "redis://127.0.0.1:6379");

  /** The gateway config lines that point at this Redis and prefix. */
  String redisYaml(String url) {
    return "redis: {url: \"" + url + "\", keyPrefix: \"" + prefix + "\", commandTimeout: 1s}\n";
  }

  String redisYaml() {
    return redisYaml("redis://127.0.0.1:6379");
  }

  List<String> keys() {
    Response r = TestGateway.await(redis.send(Request.cmd(Command.KEYS).arg(prefix + "*")));
    List<String> out = new ArrayList<>();
    for (Response k : r) out.add(k.toString());
    return out;
  }

  /** Entry keys (the index aside). */
  List<String> entries() {
    return keys().stream().filter(k -> !k.endsWith("cache:index")).toList();
  }

  long indexSize() {
    return TestGateway.await(redis.send(Request.cmd(Command.ZCARD).arg(prefix + "cache:index"))).toLong();
  }

  byte[] raw(String key) {
    Response r = TestGateway.await(redis.send(Request.cmd(Command.GET).arg(key)));
    return r == null ? null : r.toBuffer().getBytes();
  }

  @Override
  public void close() {
    try {
      List<String> keys = keys();
      if (!keys.isEmpty()) {
        Request del = Request.cmd(Command.DEL);
        keys.forEach(del::arg);
        TestGateway.await(redis.send(del));
      }
    } finally {
      redis.close();
      TestGateway.await(vertx.close());
    }
  }
}
