package dev.ossaat.orchestrator.store;

import dev.ossaat.orchestrator.config.RedisConfig;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Redis connection set-up every replica-shared feature uses (the response cache, limits and
 * budgets, the Responses store): a pooled non-blocking client, every command bounded by
 * {@code redis.commandTimeout}, keys under {@code redis.keyPrefix}, and one place that knows whether
 * Redis answers. Callers decide what unavailability means for them (a cache miss, the limits' fallback
 * policy); this class only guarantees they find out quickly, never by hanging.
 *
 * <p>Availability is logged once per transition (not once per failed command, which under load would
 * flood the log) and exported as {@code orchestrator_redis_up} and
 * {@code orchestrator_redis_errors_total{use, reason}}.
 */
public final class SharedRedis implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator.redis");

  private final RedisConfig config;
  private final Vertx vertx;
  private final RedisOptions options;
  private final Redis client;
  private Redis subscriber;
  private final AtomicBoolean up = new AtomicBoolean(true);
  private final Counter errors;
  private final Gauge upGauge;

  public SharedRedis(Vertx vertx, RedisConfig config, PrometheusRegistry registry) {
    this.config = config;
    RedisOptions options = new RedisOptions()
        .setConnectionString(config.url())
        .setMaxPoolSize(config.maxPoolSize())
        // Commands wait for a pooled connection rather than each opening its own; past this many waiters
        // a command fails at once, which its caller treats as Redis unavailable.
        .setMaxPoolWaiting(4096)
        .setMaxWaitingHandlers(4096);
    if (config.password().isPresent()) options.setPassword(config.password().reveal());
    options.getNetClientOptions().setConnectTimeout((int) Math.max(1, config.commandTimeout().toMillis()));
    options.getNetClientOptions().setTcpNoDelay(true);
    this.vertx = vertx;
    this.options = options;
    this.client = Redis.createClient(vertx, options);
    this.errors = Counter.builder()
        .name("orchestrator_redis_errors_total")
        .help("Redis commands that failed or timed out (redis.commandTimeout), by the feature that sent them "
            + "(cache, limits, responses) and reason (timeout, error). Each caller then degrades as documented.")
        .labelNames("use", "reason")
        .register(registry);
    this.upGauge = Gauge.builder()
        .name("orchestrator_redis_up")
        .help("1 while the last Redis command succeeded, 0 after one failed (until one succeeds again).")
        .register(registry);
    upGauge.set(1);
    // Every feature that uses Redis, exported at 0 from the start so an alert can rate() them.
    for (String use : USES) {
      errors.labelValues(use, "timeout");
      errors.labelValues(use, "error");
    }
  }

  /** The features that send commands: the {@code use} label's values. */
  public static final java.util.List<String> USES = java.util.List.of("cache", "limits", "responses");

  public RedisConfig config() {
    return config;
  }

  /**
   * A feature that will send commands as {@code use}: its error series exist from now on, at 0, so
   * that a rate over them (and an alert) sees a Redis that has never failed.
   */
  public void declareUse(String use) {
    errors.labelValues(use, "timeout");
    errors.labelValues(use, "error");
  }

  /** {@code redis.keyPrefix} + {@code name}: every key this gateway writes goes through here. */
  public String key(String name) {
    return config.keyPrefix() + name;
  }

  /** Whether the last command succeeded; a hint for readiness and logs, not a gate (commands still run). */
  public boolean available() {
    return up.get();
  }

  /**
   * Sends one command, failing within {@code redis.commandTimeout} when Redis is slow, down or
   * unreachable.
   *
   * @param use the feature sending it, the {@code use} label of the error counter
   */
  public Future<Response> send(String use, Request request) {
    return track(use, client.send(request));
  }

  /** Sends commands in one round trip (a pipeline), bounded like {@link #send}. */
  public Future<List<Response>> batch(String use, List<Request> requests) {
    return track(use, client.batch(requests));
  }

  /**
   * Runs a Lua script atomically by its SHA1, loading it on first use or after Redis forgot it
   * (NOSCRIPT after a restart or SCRIPT FLUSH): one round trip in the usual case.
   */
  public Future<Response> eval(String use, RedisScript script, List<String> keys, List<String> args) {
    Request byHash = script.request(Command.EVALSHA, script.sha1(), keys, args);
    return client.send(byHash)
        .recover(t -> isNoScript(t)
            ? client.send(script.request(Command.EVAL, script.source(), keys, args))
            : Future.failedFuture(t))
        .timeout(config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .andThen(ar -> outcome(use, ar.succeeded(), ar.cause()));
  }

  private <T> Future<T> track(String use, Future<T> command) {
    return command.timeout(config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .andThen(ar -> outcome(use, ar.succeeded(), ar.cause()));
  }

  private void outcome(String use, boolean ok, Throwable cause) {
    if (ok) {
      if (up.compareAndSet(false, true)) {
        upGauge.set(1);
        LOG.info("redis available again at {}", config.displayUrl());
      }
      return;
    }
    // A script error (a bug of ours, or a wrong-type key) is an answer: Redis is up.
    if (isReply(cause)) return;
    String reason = cause instanceof TimeoutException ? "timeout" : "error";
    errors.labelValues(use, reason).inc();
    if (up.compareAndSet(true, false)) {
      upGauge.set(0);
      LOG.warn("redis unavailable at {} ({}: {}); features that use it degrade as configured", config.displayUrl(),
          reason, message(cause));
    }
  }

  private static boolean isNoScript(Throwable t) {
    return t.getMessage() != null && t.getMessage().startsWith("NOSCRIPT");
  }

  /** An error reply from Redis itself (ERR, WRONGTYPE, ...), as opposed to no reply at all. */
  private static boolean isReply(Throwable t) {
    return t != null && t.getClass().getName().equals("io.vertx.redis.client.impl.types.ErrorType");
  }

  private static String message(Throwable t) {
    String m = t.getMessage();
    return m == null ? t.getClass().getSimpleName() : m;
  }

  /**
   * A connection of its own for pub/sub (SUBSCRIBE holds it for good), from a one-connection client
   * apart from the command pool, so subscribers never take a pooled connection away from commands.
   */
  public synchronized Future<io.vertx.redis.client.RedisConnection> subscriberConnection() {
    if (subscriber == null) subscriber = Redis.createClient(vertx, new RedisOptions(options).setMaxPoolSize(1));
    return subscriber.connect().timeout(config.commandTimeout().toMillis() * 4, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    client.close();
    synchronized (this) {
      if (subscriber != null) subscriber.close();
    }
  }
}
