package dev.ossaat.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.cache.CacheKey;
import dev.ossaat.orchestrator.provider.ApiRequest;
import dev.ossaat.orchestrator.provider.Completion;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.Operation;
import dev.ossaat.orchestrator.resilience.Deadline;
import dev.ossaat.orchestrator.routing.Candidate;
import dev.ossaat.orchestrator.routing.DispatchFailure;
import dev.ossaat.orchestrator.routing.Dispatched;
import dev.ossaat.orchestrator.routing.RequestContext;
import dev.ossaat.orchestrator.routing.RoutingSnapshot;
import dev.ossaat.orchestrator.usage.Identity;
import dev.ossaat.orchestrator.usage.Usage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/chat/completions} and {@code POST /v1/embeddings}: validate, pick candidates,
 * dispatch with fallback, account usage, answer. Streams are handed to {@link StreamRelay}.
 */
final class CompletionRoutes {
  static final String PROVIDER_HEADER = "x-orchestrator-provider";
  static final String CACHE_HEADER = "x-orchestrator-cache";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private final ApiServices s;
  private final Outcomes outcomes;

  CompletionRoutes(ApiServices services) {
    this.s = services;
    this.outcomes = new Outcomes(services);
  }

  void chat(RoutingContext rc) {
    handle(rc, RequestParser.chat(rc.body().buffer()));
  }

  void embeddings(RoutingContext rc) {
    handle(rc, RequestParser.embeddings(rc.body().buffer()));
  }

  private void handle(RoutingContext rc, RequestParser.Parsed parsed) {
    if (parsed instanceof RequestParser.Invalid invalid) {
      HttpApi.sendError(rc, invalid.error());
      return;
    }
    ApiRequest request = ((RequestParser.Valid) parsed).request();
    RoutingSnapshot routing = s.routing().get();
    RequestContext ctx = context(rc, request, routing);
    List<Candidate> candidates = routing.router().candidates(request.model());
    if (candidates.isEmpty()) {
      ApiError error = routing.router().hasProviders()
          ? ApiError.notFound("model_not_found", "The model '" + request.model() + "' is not served by any configured provider")
          : ApiError.unavailable("no provider is enabled and configured");
      HttpApi.sendError(rc, error);
      return;
    }
    if (request.stream()) {
      new StreamRelay(s, outcomes, rc.response(), ctx).run(candidates);
    } else {
      whole(rc, ctx, candidates);
    }
  }

  private RequestContext context(RoutingContext rc, ApiRequest request, RoutingSnapshot routing) {
    HttpServerRequest http = rc.request();
    String user = http.getHeader("x-user-id");
    if (user == null && request.body().path("user").isTextual()) user = request.body().path("user").textValue();
    Identity identity = new Identity(s.labels().tenants().of(http.getHeader("x-tenant-id")), s.labels().users().of(user));
    String modelLabel = routing.router().isKnown(request.model()) ? request.model() : s.labels().models().of(request.model());
    String requestId = requestId(http.getHeader("x-request-id"));
    rc.response().putHeader("x-request-id", requestId);
    java.time.Duration budget = deadline(rc, routing);
    return new RequestContext(requestId, request, identity, modelLabel, Deadline.in(budget),
        budget.compareTo(routing.config().server().requestTimeout()) < 0);
  }

  /**
   * The request's deadline: {@code server.requestTimeout}, or less when the client asks for less with
   * {@code X-Request-Timeout} (milliseconds, or a duration like {@code 5s}). A client can only lower it.
   */
  private static java.time.Duration deadline(RoutingContext rc, RoutingSnapshot routing) {
    java.time.Duration max = routing.config().server().requestTimeout();
    String asked = rc.request().getHeader("x-request-timeout");
    if (asked == null || asked.isBlank()) return max;
    try {
      String text = asked.trim();
      java.time.Duration d = text.chars().allMatch(Character::isDigit)
          ? java.time.Duration.ofMillis(Long.parseLong(text)) : dev.ossaat.orchestrator.config.Durations.parse(text);
      return d.isZero() || d.compareTo(max) > 0 ? max : d;
    } catch (IllegalArgumentException e) {
      return max; // an unreadable hint is ignored rather than failing the request
    }
  }

  private void whole(RoutingContext rc, RequestContext ctx, List<Candidate> candidates) {
    ApiRequest request = ctx.request();
    String cacheKey = null;
    if (s.cache().isPresent() && request.operation() == Operation.CHAT) {
      cacheKey = CacheKey.of(ctx.identity().tenantId(), request.operation().label(), request.body());
      Optional<Buffer> hit = s.cache().get().get(cacheKey);
      if (hit.isPresent()) {
        s.metrics().cacheHits.labelValues(ctx.modelLabel()).inc();
        rc.response().putHeader(CACHE_HEADER, "hit");
        sendJson(rc.response(), 200, hit.get());
        outcomes.cacheHit(ctx);
        return;
      }
      s.metrics().cacheMisses.labelValues(ctx.modelLabel()).inc();
      rc.response().putHeader(CACHE_HEADER, "miss");
    }
    String key = cacheKey;
    HttpServerResponse response = rc.response();
    s.dispatcher().<Completion>dispatch(ctx, candidates, request.operation(),
            (candidate, call) -> request.operation() == Operation.EMBEDDINGS
                ? candidate.provider().embed(call)
                : candidate.provider().complete(call),
            onGone -> response.closeHandler(v -> onGone.run()))
        .onSuccess(done -> succeeded(rc, ctx, done, key))
        .onFailure(t -> outcomes.dispatchFailed(rc.response(), ctx, (DispatchFailure) t));
  }

  private void succeeded(RoutingContext rc, RequestContext ctx, Dispatched<Completion> done, String cacheKey) {
    Completion completion = done.value();
    String provider = done.candidate().name();
    Usage usage = completion.usage() != null ? completion.usage() : estimate(ctx, done.candidate().upstreamModel(), completion.body());
    if (!rc.response().closed()) {
      rc.response().putHeader(PROVIDER_HEADER, provider);
      sendJson(rc.response(), 200, completion.body());
    }
    if (cacheKey != null) s.cache().get().put(cacheKey, completion.body());
    outcomes.finish(ctx, provider, done.candidate().upstreamModel(), "success", null, 200, usage, false, done.attempts(), null);
  }

  private Usage estimate(RequestContext ctx, String model, Buffer body) {
    Usage prompt = outcomes.promptEstimate(ctx, model);
    long completion = 0;
    try {
      for (JsonNode choice : JSON.readTree(body.getBytes()).path("choices")) {
        completion += s.estimator().countText(model, choice.path("message").path("content").asText(""));
      }
    } catch (IOException e) {
      // unreadable body: prompt tokens only
    }
    return new Usage(prompt.promptTokens(), completion, 0, true);
  }

  static void sendJson(HttpServerResponse response, int status, Buffer body) {
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body);
  }

  /** The client's request id when it is a sane token, else a fresh one. */
  private static String requestId(String fromClient) {
    if (fromClient != null && SAFE_REQUEST_ID.matcher(fromClient).matches()) return fromClient;
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return Long.toHexString(r.nextLong() | Long.MIN_VALUE) + Long.toHexString(r.nextLong() | Long.MIN_VALUE);
  }
}
