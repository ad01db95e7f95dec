package dev.ossaat.orchestrator.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.config.ProviderConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * {@code /healthz} (the process serves), {@code /readyz} (config loaded and a provider to route to;
 * it never waits on an upstream call), and {@code /health/providers} (what traffic actually saw).
 */
public final class HealthEndpoints {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Supplier<OrchestratorConfig> config;
  private final HealthRegistry registry;
  private final BooleanSupplier draining;
  private final BooleanSupplier warming;

  /**
   * @param config the current config (it may be reloaded)
   * @param draining true once shutdown has begun: readiness then fails so no new traffic arrives
   * @param warming true while the start-up warm-up runs ({@code server.warmUp}): not ready yet
   */
  public HealthEndpoints(Supplier<OrchestratorConfig> config, HealthRegistry registry, BooleanSupplier draining,
      BooleanSupplier warming) {
    this.config = config;
    this.registry = registry;
    this.draining = draining;
    this.warming = warming;
  }

  public void live(RoutingContext rc) {
    send(rc, 200, JSON.createObjectNode().put("status", "ok"));
  }

  public void ready(RoutingContext rc) {
    OrchestratorConfig current = config.get();
    long routable = current.routableProviders().size();
    ObjectNode body = JSON.createObjectNode();
    if (draining.getAsBoolean()) {
      body.put("status", "not_ready").put("reason", "shutting down: draining in-flight requests");
      send(rc, 503, body);
      return;
    }
    if (warming.getAsBoolean()) {
      body.put("status", "not_ready").put("reason", "warming up: compiling the request path before taking traffic (server.warmUp)");
      send(rc, 503, body);
      return;
    }
    if (routable == 0) {
      body.put("status", "not_ready").put("reason", "no provider is both enabled and configured with a credential");
      send(rc, 503, body);
      return;
    }
    body.put("status", "ready").put("config", current.source()).put("providers", routable);
    send(rc, 200, body);
  }

  public void providers(RoutingContext rc) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode providers = JSON.createObjectNode();
    Map<String, HealthStatus> statuses = new LinkedHashMap<>();
    for (ProviderConfig p : registry.providers()) {
      ProviderHealth.Snapshot s = registry.of(p.name()).snapshot();
      HealthStatus status = registry.status(p, s);
      statuses.put(p.name(), status);
      ObjectNode n = providers.putObject(p.name());
      n.put("enabled", p.enabled());
      n.put("configured", p.configured());
      n.put("status", status.label());
      n.put("circuitBreaker", registry.breakerState(p.name()));
      n.put("recentRequests", s.requests());
      n.put("errorRate", round(s.errorRate()));
      n.put("p95LatencySeconds", round(s.p95LatencySeconds()));
      putTime(n, "lastSuccess", s.lastSuccess());
      putTime(n, "lastError", s.lastError());
      if (s.lastErrorMessage() == null) {
        n.putNull("lastErrorMessage");
      } else {
        n.put("lastErrorMessage", s.lastErrorMessage()); // redacted when it was recorded
      }
      if (!p.configured()) n.put("reason", "no credential: set " + dev.ossaat.orchestrator.config.CredentialResolver.variableName(p.name()));
      n.put("baseUrl", p.baseUrl());
      n.put("defaultModel", p.defaultModel());
      n.putPOJO("models", p.models());
    }
    HealthStatus overall = HealthRegistry.overall(statuses);
    body.put("status", overall.label());
    body.set("providers", providers);
    send(rc, overall == HealthStatus.UNHEALTHY ? 503 : 200, body);
  }

  private static void putTime(ObjectNode n, String field, Instant t) {
    if (t == null) {
      n.putNull(field);
    } else {
      n.put(field, t.toString());
    }
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }

  private static void send(RoutingContext rc, int status, ObjectNode body) {
    rc.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end(body.toString());
  }
}
