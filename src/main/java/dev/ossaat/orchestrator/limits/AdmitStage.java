package dev.ossaat.orchestrator.limits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.config.LimitSet;
import dev.ossaat.orchestrator.config.LimitsConfig;
import dev.ossaat.orchestrator.config.ModelPrice;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.exchange.Caller;
import dev.ossaat.orchestrator.exchange.ClientRequest;
import dev.ossaat.orchestrator.exchange.Operation;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.identity.ApiKey;
import dev.ossaat.orchestrator.identity.IdentifyStage;
import dev.ossaat.orchestrator.pipeline.Ingress;
import dev.ossaat.orchestrator.pipeline.Outcome;
import dev.ossaat.orchestrator.pipeline.Reply;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.pipeline.Stage;
import dev.ossaat.orchestrator.usage.PriceTable;
import dev.ossaat.orchestrator.usage.UsageEstimates;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Where a request is admitted before any provider is called, one stage for every route (chat,
 * streams, embeddings, {@code /v1/messages}, {@code count_tokens}). First the gateway's own overload:
 * past {@code server.maxInflightRequests} requests in flight on this process, a new one is refused at
 * once with 503 {@code gateway_overloaded}. Then, with {@code limits.enabled}, the caller's limits:
 * the per-request caps ({@code limits.maxTokens}, clamped or refused; {@code limits.maxPromptTokens}),
 * and one atomic admission in Redis over every scope the request counts against (its key, its user,
 * its tenant, the tenant's use of the model), reserving the prompt estimate plus {@code max_tokens}
 * and the estimated dollars. After the answer (for a stream: after its end, whatever its length),
 * the after-step settles the reservation with the real usage and its real cost.
 */
public final class AdmitStage implements Stage {
  private static final RequestExchange.Key<Boolean> ADMITTED = new RequestExchange.Key<>("admitted");
  private static final RequestExchange.Key<Reservation> RESERVED = new RequestExchange.Key<>("limitsReservation");

  private record Reservation(Plan plan, Decision decision, LimitsConfig config) {}

  private final IntSupplier maxInflight;
  private final AtomicInteger inflight = new AtomicInteger();
  private final Runnable onShed;
  private final Optional<Limiter> limiter;
  private final LimitsMetrics metrics;
  private final UsageEstimates estimates;
  private final Supplier<PriceTable> prices;

  /**
   * @param maxInflight the limit of the current config
   * @param onShed counts a shed request
   */
  public AdmitStage(IntSupplier maxInflight, Runnable onShed) {
    this(maxInflight, onShed, Optional.empty(), null);
  }

  /** @param limits the caller limits (empty: only the gateway's own overload is checked) */
  public AdmitStage(IntSupplier maxInflight, Runnable onShed, Optional<CallerLimits> limits, UsageEstimates estimates) {
    this.maxInflight = maxInflight;
    this.onShed = onShed;
    this.limiter = limits.map(CallerLimits::limiter);
    this.metrics = limits.map(CallerLimits::metrics).orElse(null);
    this.estimates = estimates;
    this.prices = limits.map(CallerLimits::prices).orElse(null);
  }

  @Override
  public String name() {
    return "admit";
  }

  @Override
  public Future<Reply> handle(RequestExchange ex, Chain next) {
    if (inflight.incrementAndGet() > maxInflight.getAsInt()) {
      inflight.decrementAndGet();
      onShed.run();
      ApiError error = new ApiError(503, "service_unavailable", "gateway_overloaded",
          "orchestrator is at its limit of " + maxInflight.getAsInt() + " requests in flight; retry shortly", null);
      ex.outcome().answeredByGateway(503, error.message());
      return Future.succeededFuture(new Reply.Failure(error, 1000));
    }
    ex.set(ADMITTED, Boolean.TRUE);
    LimitsConfig config = ex.config().limits();
    if (limiter.isEmpty() || !config.enabled()) return next.proceed();
    return callerLimits(ex, next, config);
  }

  private Future<Reply> callerLimits(RequestExchange ex, Chain next, LimitsConfig config) {
    ClientRequest request = ex.request();
    boolean counting = ex.ingress() == Ingress.COUNT_TOKENS;
    Integer asked = counting ? null : maxTokens(request.body());
    if (config.maxTokens() > 0 && asked != null && asked > config.maxTokens()) {
      if (config.maxTokensPolicy() == LimitsConfig.MaxTokensPolicy.REJECT) {
        return refuse(ex, "max_tokens", "request", new ApiError(400, "invalid_request_error", "max_tokens_too_large",
            "max_tokens is " + asked + "; this gateway allows at most " + config.maxTokens(), "max_tokens"), -1);
      }
      clamp(ex, request, config.maxTokens());
      ex.responseHeader("x-orchestrator-max-tokens-clamped", Integer.toString(config.maxTokens()));
      asked = config.maxTokens();
    }
    long prompt = estimates.prompt(request);
    if (config.maxPromptTokens() > 0 && prompt > config.maxPromptTokens()) {
      return refuse(ex, "prompt_too_large", "request", new ApiError(400, "invalid_request_error", "prompt_too_large",
          "the prompt is about " + prompt + " tokens; this gateway allows at most " + config.maxPromptTokens(), "messages"), -1);
    }
    long completion = counting || request.operation() == Operation.EMBEDDINGS ? 0
        : asked != null ? asked : config.maxTokens() > 0 ? Math.min(config.maxTokens(), config.completionEstimate())
        : config.completionEstimate();
    long tokens = counting ? 0 : prompt + completion;
    long micros = counting ? 0 : estimatedMicros(ex, request.model(), prompt, completion);
    Plan plan = plan(ex, config, tokens, micros);
    return limiter.get().admit(plan, config).compose(d -> {
      RateLimitHeaders.put(ex, d);
      budgetGauge(ex, d);
      if (!d.admitted()) return refused(ex, plan, d);
      ex.set(RESERVED, new Reservation(plan, d, config));
      return next.proceed();
    });
  }

  private Plan plan(RequestExchange ex, LimitsConfig config, long tokens, long micros) {
    Caller caller = ex.caller();
    String tag = tag(ex.config().redis().keyPrefix(), caller.tenantId());
    List<Scope> scopes = new ArrayList<>(4);
    ApiKey key = ex.get(IdentifyStage.KEY);
    if (key != null) scopes.add(new Scope("key", key.id(), tag + "k:" + key.id(), config.key().with(key.limits())));
    scopes.add(new Scope("user", caller.userId(), tag + "u:" + safe(caller.userId()), config.user()));
    scopes.add(new Scope("tenant", caller.tenantId(), tag + "t", config.tenantLimits(caller.tenantId())));
    int tenantIndex = scopes.size();
    LimitSet perModel = config.models().get(ex.request().model());
    if (perModel != null) scopes.add(new Scope("model", ex.request().model(), tag + "m:" + safe(ex.request().model()), perModel));
    long lease = ex.config().server().requestTimeout().toMillis() + 60_000;
    return new Plan(ex.requestId(), scopes, tokens, micros, lease, tenantIndex);
  }

  private Future<Reply> refused(RequestExchange ex, Plan plan, Decision d) {
    if ("limits_unavailable".equals(d.reason())) {
      return refuse(ex, d.reason(), "request", new ApiError(503, "service_unavailable", "limits_unavailable",
          "caller limits cannot be checked right now (limits.onRedisUnavailable is closed); retry shortly", null), 1000);
    }
    Scope s = plan.scopes().get(d.scope());
    String who = describe(s);
    ApiError error;
    if (d.budget()) {
      String period = d.reason().equals("daily_budget") ? "daily" : "monthly";
      // Not worth retrying until the period turns: OpenAI's and Anthropic's SDKs honour x-should-retry.
      ex.responseHeader("x-should-retry", "false");
      error = new ApiError(429, "insufficient_quota", "budget_exceeded",
          "the " + period + " spend budget of " + who + " is used up; it resets at the start of the next UTC "
              + (period.equals("daily") ? "day" : "month"), null);
    } else if (d.reason().equals("concurrency")) {
      error = new ApiError(429, "rate_limit_error", "concurrency_limit_exceeded",
          "too many concurrent requests for " + who + "; retry when one has finished", null);
    } else {
      String what = d.reason().equals("tokens") ? "tokens per minute" : "requests per minute";
      error = new ApiError(429, "rate_limit_error", "rate_limit_exceeded",
          "rate limit of " + what + " reached for " + who + "; retry in " + RateLimitHeaders.duration(d.retryMillis()), null);
    }
    return refuse(ex, d.reason(), s.kind(), error, Math.max(1, d.retryMillis()));
  }

  private Future<Reply> refuse(RequestExchange ex, String reason, String scope, ApiError error, long retryMillis) {
    metrics.rejections.labelValues(reason, scope, ex.labels().tenant()).inc();
    // Anthropic's error shape has no code: the reason (budget_exceeded vs a rate limit) is a header in every format.
    ex.responseHeader("x-orchestrator-limit", reason + (scope.equals("request") ? "" : "; scope=" + scope));
    ex.outcome().answeredByGateway(error.status(), error.message());
    return Future.succeededFuture(new Reply.Failure(error, retryMillis));
  }

  @Override
  public void after(RequestExchange ex) {
    if (ex.get(ADMITTED) != null) inflight.decrementAndGet();
    Reservation r = ex.get(RESERVED);
    if (r == null) return;
    // The account stage's after-step runs after this one and may still settle a cancelled request's
    // usage (its estimated prompt): settle once the current after-steps are all done.
    Context context = ex.vertx().getOrCreateContext();
    context.runOnContext(v -> settle(ex, r));
  }

  private void settle(RequestExchange ex, Reservation r) {
    Outcome o = ex.outcome();
    Usage usage = o.usage();
    long tokens = o.isCacheHit() ? 0 : usage.totalTokens();
    long micros = 0;
    if (!o.isCacheHit() && o.billedModel() != null && tokens > 0) {
      Optional<ModelPrice> price = prices.get().price(o.provider(), o.billedModel());
      if (price.isPresent()) {
        micros = Math.round(1_000_000 * price.get().costOf(usage.promptTokens(), usage.cacheReadTokens(),
            usage.cacheWriteTokens(), usage.completionTokens(), usage.reasoningTokens()));
      }
    }
    limiter.get().settle(r.plan(), r.decision(), r.config(), tokens - r.plan().tokens(), micros - r.plan().microDollars());
  }

  private void budgetGauge(RequestExchange ex, Decision d) {
    if (d.tenantDayCap() > 0) {
      metrics.budgetUsed.labelValues(ex.labels().tenant(), "day").set((double) d.tenantDaySpent() / d.tenantDayCap());
      metrics.budgetSpent.labelValues(ex.labels().tenant(), "day").set(d.tenantDaySpent() / 1e6);
    }
    if (d.tenantMonthCap() > 0) {
      metrics.budgetUsed.labelValues(ex.labels().tenant(), "month").set((double) d.tenantMonthSpent() / d.tenantMonthCap());
      metrics.budgetSpent.labelValues(ex.labels().tenant(), "month").set(d.tenantMonthSpent() / 1e6);
    }
  }

  /** The dearest price any provider asks for the model, so a reservation never under-estimates the route taken. */
  private long estimatedMicros(RequestExchange ex, String model, long prompt, long completion) {
    PriceTable table = prices.get();
    double most = 0;
    for (ProviderConfig p : ex.config().providers()) {
      Optional<ModelPrice> price = table.price(p.name(), model);
      if (price.isPresent()) most = Math.max(most, price.get().costOf(prompt, 0, 0, completion, 0));
    }
    return Math.round(most * 1_000_000);
  }

  private static Integer maxTokens(JsonNode body) {
    for (String field : new String[] {"max_tokens", "max_completion_tokens"}) {
      JsonNode v = body.get(field);
      if (v != null && v.canConvertToInt()) return v.intValue();
    }
    return null;
  }

  /** The request from here on asks for at most {@code cap} tokens (a copy: the parsed body is never modified). */
  private static void clamp(RequestExchange ex, ClientRequest request, int cap) {
    ObjectNode body = request.body().deepCopy();
    for (String field : new String[] {"max_tokens", "max_completion_tokens"}) {
      if (body.path(field).canConvertToInt() && body.get(field).intValue() > cap) body.put(field, cap);
    }
    ex.request(new ClientRequest(request.format(), request.operation(), body, Json.buffer(body), request.model(),
        request.includeUsage(), ex.codec()::decodeRequest));
  }

  private static String describe(Scope s) {
    switch (s.kind()) {
      case "key":
        return "API key " + s.id();
      case "user":
        return "user '" + s.id() + "'";
      case "model":
        return "model '" + s.id() + "' of this tenant";
      default:
        return "tenant '" + s.id() + "'";
    }
  }

  /** Every key of a tenant's scopes shares one hash tag: the script's keys stay in one slot of a Redis Cluster. */
  static String tag(String prefix, String tenant) {
    return prefix + "lim:{" + safe(tenant) + "}:";
  }

  /** Ids are client input: the characters that would break the hash tag or the key's structure are escaped. */
  static String safe(String id) {
    StringBuilder b = null;
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c == '{' || c == '}' || c == ':' || c == '%') {
        if (b == null) b = new StringBuilder(id.substring(0, i));
        b.append('%').append(String.format("%02X", (int) c));
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? id : b.toString();
  }
}
