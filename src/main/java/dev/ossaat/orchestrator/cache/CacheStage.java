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
 * stores every successful answer on its way back.
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
    String key = CacheKey.of(ex.caller().tenantId(), ex.request().format().label() + "/" + Operation.CHAT.label(),
        ex.request().body());
    Optional<io.vertx.core.buffer.Buffer> hit = cache.get(key);
    if (hit.isPresent()) {
      metrics.cacheHits.labelValues(ex.modelLabel()).inc();
      ex.responseHeader(CACHE_HEADER, "hit");
      ex.outcome().cacheHit();
      return Future.succeededFuture(new Reply.Answer(200, hit.get()));
    }
    metrics.cacheMisses.labelValues(ex.modelLabel()).inc();
    ex.responseHeader(CACHE_HEADER, "miss");
    return next.proceed().map(reply -> {
      if (reply instanceof Reply.Answer answer && answer.status() == 200) cache.put(key, answer.body());
      return reply;
    });
  }
}
