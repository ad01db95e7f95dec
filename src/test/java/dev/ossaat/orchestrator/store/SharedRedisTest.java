package dev.ossaat.orchestrator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ossaat.orchestrator.config.RedisConfig;
import dev.ossaat.orchestrator.config.Secret;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared connection against the real Redis on its standard port, one that refuses and one that hangs. */
class SharedRedisTest {
  private final String prefix = "orchestrator-test:" + UUID.randomUUID() + ":";
  private Vertx vertx;
  private PrometheusRegistry registry;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    registry = new PrometheusRegistry();
  }

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private SharedRedis redis(String url) {
    return new SharedRedis(vertx, new RedisConfig(url, Secret.none(), prefix, Duration.ofMillis(300), 4), registry);
  }

  @Test
  void commandsAndScriptsRunAgainstTheRealRedis() throws Exception {
    SharedRedis redis = redis("redis://127.0.0.1:6379");
    String key = redis.key("k");
    assertThat(key).startsWith(prefix);
    try {
      redis.send("test", Request.cmd(Command.SET).arg(key).arg("v")).await(5, TimeUnit.SECONDS);
      assertThat(redis.send("test", Request.cmd(Command.GET).arg(key)).await(5, TimeUnit.SECONDS).toString())
          .isEqualTo("v");
      // A script Redis has never seen: EVALSHA answers NOSCRIPT, and the script is loaded and run in its place.
      RedisScript script = RedisScript.of("-- " + UUID.randomUUID() + "\nreturn redis.call('INCRBY', KEYS[1], ARGV[1])");
      assertThat(redis.eval("test", script, List.of(redis.key("n")), List.of("5")).await(5, TimeUnit.SECONDS).toLong())
          .isEqualTo(5);
      assertThat(redis.eval("test", script, List.of(redis.key("n")), List.of("2")).await(5, TimeUnit.SECONDS).toLong())
          .isEqualTo(7);
      assertThat(redis.available()).isTrue();
    } finally {
      redis.send("test", Request.cmd(Command.DEL).arg(key).arg(redis.key("n"))).await(5, TimeUnit.SECONDS);
      redis.close();
    }
  }

  @Test
  void aRedisThatNeverAnswersFailsWithinTheCommandTimeout() throws Exception {
    NetServer silent = vertx.createNetServer().connectHandler(socket -> {}).listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
    SharedRedis redis = redis("redis://127.0.0.1:" + silent.actualPort());
    assertThatThrownBy(() -> redis.send("cache", Request.cmd(Command.GET).arg(redis.key("x"))).await(5, TimeUnit.SECONDS))
        .isInstanceOf(TimeoutException.class);
    assertThat(redis.available()).isFalse();
    assertThat(errors("cache", "timeout")).isEqualTo(1.0);
    assertThat(up()).isEqualTo(0.0);
    redis.close();
  }

  @Test
  void aRefusedConnectionIsCountedAsAnError() {
    SharedRedis redis = redis("redis://127.0.0.1:1");
    assertThatThrownBy(() -> redis.send("limits", Request.cmd(Command.PING)).await(5, TimeUnit.SECONDS))
        .isNotInstanceOf(TimeoutException.class);
    assertThat(errors("limits", "error")).isEqualTo(1.0);
    assertThat(redis.available()).isFalse();
    redis.close();
  }

  private double errors(String use, String reason) {
    return registry.scrape().stream().filter(s -> s.getMetadata().getName().equals("orchestrator_redis_errors"))
        .flatMap(s -> ((CounterSnapshot) s).getDataPoints().stream())
        .filter(d -> d.getLabels().get("use").equals(use) && d.getLabels().get("reason").equals(reason))
        .mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue).sum();
  }

  private double up() {
    return registry.scrape().stream().filter(s -> s.getMetadata().getName().equals("orchestrator_redis_up"))
        .flatMap(s -> ((GaugeSnapshot) s).getDataPoints().stream())
        .mapToDouble(GaugeSnapshot.GaugeDataPointSnapshot::getValue).sum();
  }
}
