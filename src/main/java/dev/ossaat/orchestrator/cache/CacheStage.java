package dev.ossaat.orchestrator.cache;

import dev.ossaat.orchestrator.codec.StreamDecoder;
import dev.ossaat.orchestrator.codec.StreamOptions;
import dev.ossaat.orchestrator.config.CacheConfig;
import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.exchange.ChatResponse;
import dev.ossaat.orchestrator.exchange.Operation;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.pipeline.Reply;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.pipeline.Stage;
import dev.ossaat.orchestrator.telemetry.GatewayMetrics;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a repeated chat request, streamed or not, from the response cache, and stores the answer of
 * a miss on its way back (a stream once it has ended cleanly, assembled into the whole answer).
 *
 * <p>The key ({@link CacheKey}) is the request as canonical JSON without {@code stream}, scoped by the
 * real tenant and the client's wire format: an OpenAI request and an Anthropic one never share an entry,
 * and a streamed and a non-streamed request with the same content do. An entry is the whole answer as a
 * body of that format; a streaming client gets it replayed as a stream in its format
 * ({@link StreamReplay}), a non-streaming one as the body.
 *
 * <p>Identical requests that arrive while the first is still being answered wait for its answer
 * ({@link SingleFlight}, per pod), each within its own deadline, instead of calling the provider
 * again. What a request may do with the cache is {@link CachePolicy}'s: {@code Cache-Control},
 * {@code x-orchestrator-cache-ttl} and the non-deterministic rule. Every answer that consulted or
 * skipped the cache says {@code x-orchestrator-cache: hit|miss|bypass}.
 */
public final class CacheStage implements Stage {
  static final String CACHE_HEADER = "x-orchestrator-cache";
  private static final Logger LOG = LoggerFactory.getLogger("orchestrator.cache");
  private static final RequestExchange.Key<Landing> LANDING = new RequestExchange.Key<>("cache.flight");

  private final ResponseCache cache;
  private final CacheConfig config;
  private final GatewayMetrics metrics;
  private final CacheMetrics cacheMetrics;
  private final CachePricing pricing;
  private final CacheClock clock;
  private final SingleFlight flights = new SingleFlight();

  public CacheStage(ResponseCache cache, CacheConfig config, GatewayMetrics metrics, CacheMetrics cacheMetrics,
      CachePricing pricing, CacheClock clock) {
    this.cache = cache;
    this.config = config;
    this.metrics = metrics;
    this.cacheMetrics = cacheMetrics;
    this.pricing = pricing;
    this.clock = clock;
  }

  @Override
  public String name() {
    return "cache";
  }

  /** A leader's flight, landed at the latest by the after-step so that waiters never wait for nothing. */
  private record Landing(String key, Promise<CachedAnswer> promise) {}

  @Override
  public Future<Reply> handle(RequestExchange ex, Chain next) {
    Operation op = ex.request().operation();
    if (op != Operation.CHAT && op != Operation.CHAT_STREAM) return next.proceed();
    CachePolicy policy;
    try {
      policy = CachePolicy.of(config, ex.request().body(), ex::header);
    } catch (CachePolicy.BadTtl e) {
      ex.outcome().answeredByGateway(400, e.getMessage());
      return Future.succeededFuture(new Reply.Failure(ApiError.invalidRequest(e.getMessage(), null)));
    }
    if (policy.mode() == CachePolicy.Mode.BYPASS) {
      ex.responseHeader(CACHE_HEADER, "bypass");
      cacheMetrics.skipped(policy.reason());
      return next.proceed();
    }
    String key = CacheKey.of(ex.caller().tenantId(), ex.request().format().label() + "/" + Operation.CHAT.label(),
        ex.request().body());
    if (policy.mode() == CachePolicy.Mode.REFRESH) {
      // A fresh answer is asked for: not read from the cache, but stored for the requests after it.
      ex.responseHeader(CACHE_HEADER, "bypass");
      cacheMetrics.skipped(policy.reason());
      return next.proceed().map(reply -> store(ex, key, policy, reply, null));
    }
    Context loop = ex.vertx().getOrCreateContext();
    return onLoop(loop, cache.get(key)).compose(hit -> {
      Reply cached = hit.isPresent() ? serve(ex, hit.get(), false) : null;
      if (cached != null) return Future.succeededFuture(cached);
      Promise<CachedAnswer> mine = Promise.promise();
      Future<CachedAnswer> leader = flights.join(key, mine);
      if (leader == null) return lead(ex, next, key, policy, mine);
      return waitFor(ex, loop, leader).compose(shared -> {
        Reply answer = shared == null ? null : serve(ex, shared, true);
        // The leader had nothing to share (it failed, or its answer is not cacheable): call on our own.
        return answer != null ? Future.succeededFuture(answer) : miss(ex, next, key, policy, null);
      });
    });
  }

  private Future<Reply> lead(RequestExchange ex, Chain next, String key, CachePolicy policy, Promise<CachedAnswer> mine) {
    Landing landing = new Landing(key, mine);
    ex.set(LANDING, landing);
    return miss(ex, next, key, policy, landing);
  }

  private Future<Reply> miss(RequestExchange ex, Chain next, String key, CachePolicy policy, Landing landing) {
    metrics.cacheMisses.labelValues(ex.modelLabel()).inc();
    ex.responseHeader(CACHE_HEADER, "miss");
    return next.proceed().map(reply -> store(ex, key, policy, reply, landing));
  }

  @Override
  public void after(RequestExchange ex) {
    Landing landing = ex.get(LANDING);
    if (landing != null) flights.land(landing.key(), landing.promise(), null);
  }

  /** The leader's answer, or null when the wait outlasts this request's own deadline (then it calls itself). */
  private Future<CachedAnswer> waitFor(RequestExchange ex, Context loop, Future<CachedAnswer> leader) {
    Promise<CachedAnswer> out = Promise.promise();
    long timer = ex.vertx().setTimer(Math.max(1, ex.deadline().remainingMillis()), t -> out.tryComplete(null));
    leader.onComplete(ar -> loop.runOnContext(v -> {
      ex.vertx().cancelTimer(timer);
      out.tryComplete(ar.succeeded() ? ar.result() : null);
    }));
    return out.future();
  }

  private Reply serve(RequestExchange ex, CachedAnswer answer, boolean coalesced) {
    Reply reply;
    try {
      reply = ex.stream() ? replay(ex, answer) : new Reply.Answer(200, answer.body());
    } catch (RuntimeException e) {
      // An entry this codec cannot read back (written by another release): treat it as absent.
      LOG.warn("cache entry unreadable as a {} answer, ignored: {}", ex.codec().format().label(), e.toString());
      return null;
    }
    metrics.cacheHits.labelValues(ex.modelLabel()).inc();
    if (coalesced) cacheMetrics.coalesced();
    ex.responseHeader(CACHE_HEADER, "hit");
    ex.outcome().cacheHit();
    Usage saved = answer.usage();
    cacheMetrics.saved(ex.modelLabel(), ex.labels().tenant(), saved,
        pricing.dollars(answer.provider(), answer.model(), saved).orElse(0.0));
    return reply;
  }

  private Reply.Events replay(RequestExchange ex, CachedAnswer answer) {
    ChatResponse response = ex.codec().decodeResponse(answer.body());
    var encoder = ex.codec().streamEncoder(new StreamOptions(ex.request().includeUsage(), answer.usage().promptTokens(),
        clock.millis() / 1000));
    return new Reply.Events(new StreamReplay(response, answer.usage(), encoder), ex.codec().streamEnd());
  }

  private Reply store(RequestExchange ex, String key, CachePolicy policy, Reply reply, Landing landing) {
    if (reply instanceof Reply.Answer answer && answer.status() == 200) {
      CachedAnswer entry = entry(ex, answer.body(), ex.outcome().usage(), policy);
      land(landing, entry);
      cache.put(key, entry);
    } else if (reply instanceof Reply.Events events) {
      return new Reply.Events(new RecordingStream(events.stream(), recorded -> {
        CachedAnswer entry = recorded == null ? null : assemble(ex, recorded, policy);
        land(landing, entry);
        if (entry != null) cache.put(key, entry);
      }), events.endMarker());
    } else {
      land(landing, null);
    }
    return reply;
  }

  private void land(Landing landing, CachedAnswer entry) {
    if (landing != null) flights.land(landing.key(), landing.promise(), entry);
  }

  private CachedAnswer entry(RequestExchange ex, Buffer body, Usage usage, CachePolicy policy) {
    String provider = ex.outcome().provider();
    String model = ex.outcome().billedModel() == null ? ex.request().model() : ex.outcome().billedModel();
    return new CachedAnswer(body, provider, model, usage, clock.millis() + policy.ttl().toMillis());
  }

  /** The streamed answer as the whole body of the client's format; null when it cannot be read back. */
  private CachedAnswer assemble(RequestExchange ex, List<Buffer> events, CachePolicy policy) {
    if (!"success".equals(ex.outcome().status())) return null;
    try {
      StreamDecoder decoder = ex.codec().streamDecoder();
      StreamAssembler assembler = new StreamAssembler();
      for (Buffer e : events) decoder.decode(e, assembler);
      Usage usage = ex.outcome().usage();
      ChatResponse response = assembler.response(usage);
      if (response == null) return null;
      return entry(ex, ex.codec().encodeResponse(response), usage, policy);
    } catch (RuntimeException e) {
      LOG.debug("streamed answer not cached: {}", e.toString());
      return null;
    }
  }

  private static <T> Future<T> onLoop(Context loop, Future<T> f) {
    if (f.isComplete()) return f;
    Promise<T> p = Promise.promise();
    f.onComplete(ar -> loop.runOnContext(v -> p.handle(ar)));
    return p.future();
  }
}
