package dev.ossaat.orchestrator.cache;

import dev.ossaat.orchestrator.exchange.Operation;
import dev.ossaat.orchestrator.pipeline.Reply;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.pipeline.Stage;
import dev.ossaat.orchestrator.telemetry.GatewayMetrics;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Answers a repeated non-streaming chat request from the response cache, keyed on the real tenant
 * (never its metric label) and the request's wire format (an entry holds an answer in that format);
 * stores every successful answer on its way back. A client may opt out per request with
 * {@code Cache-Control: no-cache} (a fresh answer, still stored) or {@code no-store} (neither read nor
 * stored); the answer then says {@code x-orchestrator-cache: bypass}.
 */
public final class CacheStage implements Stage {
  static final String CACHE_HEADER = "x-orchestrator-cache";

  private final ResponseCache cache;
  private final GatewayMetrics metrics;

  public CacheStage(ResponseCache cache, GatewayMetrics metrics) {
    this.cache = cache;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return "cache";
  }

  @Override
  public Future<Reply> handle(RequestExchange ex, Chain next) {
    if (ex.request().operation() != Operation.CHAT) return next.proceed();
    Directive directive = Directive.of(ex.header("cache-control"));
    if (directive == Directive.NO_STORE) {
      ex.responseHeader(CACHE_HEADER, "bypass");
      return next.proceed();
    }
    String key = CacheKey.of(ex.caller().tenantId(), ex.request().format().label() + "/" + Operation.CHAT.label(),
        ex.request().body());
    if (directive == Directive.NO_CACHE) {
      // A fresh answer is asked for: not read from the cache, but stored for the requests after it.
      ex.responseHeader(CACHE_HEADER, "bypass");
      return next.proceed().map(reply -> store(key, reply));
    }
    Optional<io.vertx.core.buffer.Buffer> hit = cache.get(key);
    if (hit.isPresent()) {
      metrics.cacheHits.labelValues(ex.modelLabel()).inc();
      ex.responseHeader(CACHE_HEADER, "hit");
      ex.outcome().cacheHit();
      return Future.succeededFuture(new Reply.Answer(200, hit.get()));
    }
    metrics.cacheMisses.labelValues(ex.modelLabel()).inc();
    ex.responseHeader(CACHE_HEADER, "miss");
    return next.proceed().map(reply -> store(key, reply));
  }

  private Reply store(String key, Reply reply) {
    if (reply instanceof Reply.Answer answer && answer.status() == 200) cache.put(key, answer.body());
    return reply;
  }

  /** The client's say, from its {@code Cache-Control} request header (RFC 9111's request directives). */
  enum Directive {
    /** Use the cache as configured. */
    DEFAULT,
    /** Do not answer from the cache; a fresh answer may be stored. */
    NO_CACHE,
    /** Neither read nor store: the answer must not be kept. */
    NO_STORE;

    static Directive of(String header) {
      if (header == null || header.isBlank()) return DEFAULT;
      Directive out = DEFAULT;
      for (String part : header.split(",")) {
        String d = part.strip().toLowerCase(java.util.Locale.ROOT);
        if (d.equals("no-store")) return NO_STORE;
        if (d.equals("no-cache") || d.startsWith("max-age=0")) out = NO_CACHE;
      }
      return out;
    }
  }
}
