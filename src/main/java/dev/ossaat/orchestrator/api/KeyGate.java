package dev.ossaat.orchestrator.api;

import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.identity.KeyAuthenticator;
import io.vertx.ext.web.RoutingContext;

/**
 * The key check for API routes outside the request pipeline ({@code GET /v1/models}): with
 * {@code auth.mode: keys} they need a valid key too, so a caller without one learns nothing, not even
 * which models are served. The pipeline's routes are checked by {@code identity.IdentifyStage}.
 */
final class KeyGate {
  private final ApiServices s;

  KeyGate(ApiServices services) {
    this.s = services;
  }

  void guard(RoutingContext rc, Runnable then) {
    if (!s.routing().get().config().auth().keys()) {
      then.run();
      return;
    }
    String auth = rc.request().getHeader("authorization");
    String key = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip()
        : rc.request().getHeader("x-api-key");
    s.access().authenticator().check(key).onComplete(ar -> {
      KeyAuthenticator.Verdict v = ar.succeeded() ? ar.result().verdict() : KeyAuthenticator.Verdict.UNAVAILABLE;
      if (v == KeyAuthenticator.Verdict.OK) {
        then.run();
      } else if (v == KeyAuthenticator.Verdict.UNAVAILABLE) {
        rc.response().putHeader("retry-after", "1");
        HttpApi.sendError(rc, new ApiError(503, "service_unavailable", "auth_unavailable",
            "the API key cannot be checked right now (the key store is unavailable); retry shortly", null));
      } else {
        HttpApi.sendError(rc, new ApiError(401, "authentication_error",
            v == KeyAuthenticator.Verdict.MISSING ? "missing_api_key" : "invalid_api_key",
            v == KeyAuthenticator.Verdict.MISSING
                ? "this gateway needs an API key: send 'Authorization: Bearer <key>' or 'x-api-key: <key>'"
                : "the API key is not valid, disabled or expired", null));
      }
    });
  }
}
