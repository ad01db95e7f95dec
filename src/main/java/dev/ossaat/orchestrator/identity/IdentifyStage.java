package dev.ossaat.orchestrator.identity;

import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.exchange.Caller;
import dev.ossaat.orchestrator.exchange.CallerLabels;
import dev.ossaat.orchestrator.pipeline.Reply;
import dev.ossaat.orchestrator.pipeline.RequestExchange;
import dev.ossaat.orchestrator.pipeline.Stage;
import dev.ossaat.orchestrator.telemetry.BoundedLabel;
import io.vertx.core.Future;
import java.util.function.Predicate;

/**
 * Who is calling. Today the caller asserts it: {@code X-Tenant-Id}, and {@code X-User-Id} or the
 * body's end user ({@code user} for OpenAI, {@code metadata.user_id} for Anthropic), for a trusted
 * network; API keys will authenticate it here. The real ids (what the cache, limits and the ledger
 * key on) are kept apart from their bounded metric labels.
 */
public final class IdentifyStage implements Stage {
  /** Longer ids are refused rather than cut: two ids that share a prefix must never become one. */
  static final int MAX_ID_LENGTH = 256;

  private final BoundedLabel tenants;
  private final BoundedLabel users;
  private final BoundedLabel models;
  private final Predicate<String> configuredModel;

  /**
   * @param configuredModel whether a model is listed by some provider (its name is then a label as is;
   *     other names are client input and bounded)
   */
  public IdentifyStage(BoundedLabel tenants, BoundedLabel users, BoundedLabel models, Predicate<String> configuredModel) {
    this.tenants = tenants;
    this.users = users;
    this.models = models;
    this.configuredModel = configuredModel;
  }

  @Override
  public String name() {
    return "identify";
  }

  @Override
  public Future<Reply> handle(RequestExchange ex, Chain next) {
    String model = ex.request().model();
    ex.modelLabel(configuredModel.test(model) ? model : models.of(model));
    String tenant = ex.header("x-tenant-id");
    String user = ex.header("x-user-id");
    if (user == null) user = bodyUser(ex);
    if (tooLong(tenant) || tooLong(user)) {
      String what = tooLong(tenant) ? "X-Tenant-Id" : "the user id";
      ex.outcome().answeredByGateway(400, what + " is too long");
      return Future.succeededFuture(new Reply.Failure(ApiError.invalidRequest(
          what + " must be at most " + MAX_ID_LENGTH + " characters", null)));
    }
    Caller caller = new Caller(blank(tenant) ? Caller.DEFAULT_TENANT : tenant.strip(),
        blank(user) ? Caller.ANONYMOUS_USER : user.strip());
    ex.caller(caller, new CallerLabels(tenants.of(tenant), users.of(user)));
    return next.proceed();
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
