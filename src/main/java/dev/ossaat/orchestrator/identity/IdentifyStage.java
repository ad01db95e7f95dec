package dev.ossaat.orchestrator.identity;

import dev.ossaat.orchestrator.config.AuthConfig;
import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.exchange.Caller;
import dev.ossaat.orchestrator.exchange.CallerLabels;
import dev.ossaat.orchestrator.pipeline.Reply;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.pipeline.Stage;
import dev.ossaat.orchestrator.telemetry.BoundedLabel;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Who is calling. With {@code auth.mode: headers} the caller asserts it: {@code X-Tenant-Id}, and
 * {@code X-User-Id} or the body's end user ({@code user} for OpenAI, {@code metadata.user_id} for
 * Anthropic), for a trusted network and the demo. With {@code auth.mode: keys} a gateway API key
 * ({@code Authorization: Bearer} or {@code x-api-key}) is required: it fixes the tenant (a sent
 * {@code X-Tenant-Id} is ignored), the user when the key has one (else the request may name its end
 * user within the key's tenant), and the models it may use. The real ids (what the cache, limits and
 * the ledger key on) are kept apart from their bounded metric labels; the key itself is never kept
 * beyond this stage, only its id.
 */
public final class IdentifyStage implements Stage {
  /** Longer ids are refused rather than cut: two ids that share a prefix must never become one. */
  static final int MAX_ID_LENGTH = 256;

  /** The authenticating key, for the limits stage (its own limits). */
  public static final RequestExchange.Key<ApiKey> KEY = new RequestExchange.Key<>("apiKey");

  private final BoundedLabel tenants;
  private final BoundedLabel users;
  private final BoundedLabel models;
  private final Predicate<String> configuredModel;
  private final Optional<KeyAuthenticator> keys;
  private final IdentityMetrics metrics;

  /**
   * @param configuredModel whether a model is listed by some provider (its name is then a label as is;
   *     other names are client input and bounded)
   */
  public IdentifyStage(BoundedLabel tenants, BoundedLabel users, BoundedLabel models, Predicate<String> configuredModel) {
    this(tenants, users, models, configuredModel, Optional.empty(), null);
  }

  /** @param keys checks gateway API keys when a request's config says {@code auth.mode: keys} */
  public IdentifyStage(BoundedLabel tenants, BoundedLabel users, BoundedLabel models, Predicate<String> configuredModel,
      Optional<KeyAuthenticator> keys, IdentityMetrics metrics) {
    this.tenants = tenants;
    this.users = users;
    this.models = models;
    this.configuredModel = configuredModel;
    this.keys = keys;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return "identify";
  }

  @Override
  public Future<Reply> handle(RequestExchange ex, Chain next) {
    String model = ex.request().model();
    ex.modelLabel(configuredModel.test(model) ? model : models.of(model));
    String user = ex.header("x-user-id");
    if (user == null) user = bodyUser(ex);
    if (ex.config().auth().mode() == AuthConfig.Mode.KEYS && keys.isPresent()) {
      String endUser = user;
      if (tooLong(endUser)) return tooLong(ex, "the user id");
      return keys.get().check(presentedKey(ex)).compose(result -> {
        Reply refused = refusal(ex, result, model);
        if (refused != null) return Future.succeededFuture(refused);
        ApiKey key = result.key();
        String u = key.user() != null ? key.user() : blank(endUser) ? Caller.ANONYMOUS_USER : endUser.strip();
        ex.set(KEY, key);
        ex.caller(new Caller(key.tenant(), u, key.id()), new CallerLabels(tenants.of(key.tenant()), users.of(u)));
        return next.proceed();
      });
    }
    String tenant = ex.header("x-tenant-id");
    if (tooLong(tenant) || tooLong(user)) return tooLong(ex, tooLong(tenant) ? "X-Tenant-Id" : "the user id");
    Caller caller = new Caller(blank(tenant) ? Caller.DEFAULT_TENANT : tenant.strip(),
        blank(user) ? Caller.ANONYMOUS_USER : user.strip());
    ex.caller(caller, new CallerLabels(tenants.of(tenant), users.of(user)));
    return next.proceed();
  }

  private Reply refusal(RequestExchange ex, KeyAuthenticator.Result result, String model) {
    ApiError error;
    long retryAfter = -1;
    String id = result.key() == null ? null : result.key().id();
    switch (result.verdict()) {
      case OK:
        if (result.key().allows(model)) return null;
        metrics.modelNotAllowed();
        error = new ApiError(403, "permission_error", "model_not_allowed",
            "the API key " + id + " may not use the model '" + model + "'", "model");
        ex.outcome().answeredByGateway(403, error.message());
        return new Reply.Failure(error);
      case MISSING:
        error = new ApiError(401, "authentication_error", "missing_api_key",
            "this gateway needs an API key: send 'Authorization: Bearer <key>' or 'x-api-key: <key>'", null);
        break;
      case DISABLED:
        error = new ApiError(401, "authentication_error", "api_key_disabled", "the API key " + id + " is disabled", null);
        break;
      case EXPIRED:
        error = new ApiError(401, "authentication_error", "api_key_expired", "the API key " + id + " expired at "
            + java.time.Instant.ofEpochMilli(result.key().expiresAtMillis()), null);
        break;
      case UNAVAILABLE:
        error = new ApiError(503, "service_unavailable", "auth_unavailable",
            "the API key cannot be checked right now (the key store is unavailable); retry shortly", null);
        retryAfter = 1000;
        break;
      default:
        error = new ApiError(401, "authentication_error", "invalid_api_key", "the API key is not valid", null);
        break;
    }
    metrics.refused(result.verdict());
    if (result.key() != null) {
      // A refused key's owner is still known: the log line and the ledger say whose key it was.
      ex.caller(new Caller(result.key().tenant(), Caller.ANONYMOUS_USER, id),
          new CallerLabels(tenants.of(result.key().tenant()), Caller.ANONYMOUS_USER));
    }
    ex.outcome().answeredByGateway(error.status(), error.message());
    return new Reply.Failure(error, retryAfter);
  }

  /** The key as sent: {@code Authorization: Bearer <key>} (OpenAI's SDKs) or {@code x-api-key} (Anthropic's). */
  private static String presentedKey(RequestExchange ex) {
    String auth = ex.header("authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) return auth.substring(7).strip();
    return ex.header("x-api-key");
  }

  private static Future<Reply> tooLong(RequestExchange ex, String what) {
    ex.outcome().answeredByGateway(400, what + " is too long");
    return Future.succeededFuture(new Reply.Failure(ApiError.invalidRequest(
        what + " must be at most " + MAX_ID_LENGTH + " characters", null)));
  }

  private static String bodyUser(RequestExchange ex) {
    var body = ex.request().body();
    if (body.path("user").isTextual()) return body.get("user").textValue();
    var metadata = body.path("metadata").path("user_id");
    return metadata.isTextual() ? metadata.textValue() : null;
  }

  private static boolean tooLong(String id) {
    return id != null && id.length() > MAX_ID_LENGTH;
  }

  private static boolean blank(String id) {
    return id == null || id.isBlank();
  }
}
