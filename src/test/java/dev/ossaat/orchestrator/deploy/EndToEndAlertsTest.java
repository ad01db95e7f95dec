package dev.ossaat.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ossaat.orchestrator.testkit.Metrics;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: a real Prometheus scrapes the real /metrics of a running orchestrator (the test kit's
 * in-process gateway in front of the provider simulator) every second and evaluates the alert rules
 * rendered from the chart, with the rate window shortened to 10s ({@code for} stays as shipped, so
 * the alerts go pending). The preferred provider fails with 500s while the second one stays healthy,
 * so every request still succeeds by fallback. Loopback only, bounded loops only.
 */
class EndToEndAlertsTest {
  private static final String FAILING = "primary";
  private static final String HEALTHY = "backup";
  private static final Map<String, String> ENV = Map.of("PROVIDER_PREFERENCE", FAILING + "," + HEALTHY);
  private static final String FAIL_WITH_500 = "{\"fault\":\"error\",\"errorStatus\":500}";
  private static final String ADMIN_TOKEN = "e2e-admin-token";

  /** Two providers serving the same model; breakers with the given threshold (runbook: 5). */
  private static String config(int breakerThreshold) {
    return """
        admin: {token: %s}
        providers:
          circuitBreaker: {threshold: %d, timeout: 60s, halfOpenRequests: 3}
          primary: {baseUrl: "${SIM:primary}", apiKeyRequired: false, model: sim-small}
          backup: {baseUrl: "${SIM:backup}", apiKeyRequired: false, model: sim-small}
        """.formatted(ADMIN_TOKEN, breakerThreshold);
  }

  @Test
  void providerHighErrorRateGoesPendingForTheFailingProviderOnly(@TempDir Path tmp) throws Exception {
    // A breaker threshold no run reaches: the failing provider keeps being tried, whatever breakers
    // do with fast failures, so this alert is tested on its own.
    try (TestGateway gw = TestGateway.start(config(1000), ENV)) {
      gw.simulate(FAILING, FAIL_WITH_500);
      try (PrometheusServer prometheus = PrometheusServer.start(tmp, rules(tmp), target(gw))) {
        List<JsonNode> alerts = driveUntil(gw, prometheus, Duration.ofSeconds(25),
            a -> isAlert(a, "ProviderHighErrorRate", FAILING));

        assertThat(alerts).anySatisfy(a -> {
          assertThat(isAlert(a, "ProviderHighErrorRate", FAILING)).isTrue();
          assertThat(a.path("state").asText()).isIn("pending", "firing");
          assertThat(a.at("/labels/severity").asText()).isEqualTo("warning");
        });
        assertThat(alerts).as("no alert for the healthy provider")
            .noneMatch(a -> HEALTHY.equals(a.at("/labels/provider").asText()));
        assertThat(alerts).as("requests succeed by fallback, so not all providers are down")
            .noneMatch(a -> "AllProvidersDown".equals(a.at("/labels/alertname").asText()));

        // Prometheus saw both providers of the real orchestrator: the healthy one is quiet because it
        // succeeds, not because it is missing.
        assertThat(prometheus.activeTargets()).singleElement()
            .satisfies(t -> assertThat(t.path("health").asText()).as(t.toString()).isEqualTo("up"));
        List<JsonNode> rates = prometheus.query("sum by (provider, status) (rate(orchestrator_provider_requests_total[10s]))");
        assertThat(rates).anyMatch(r -> series(r, HEALTHY, "success") && value(r) > 0);
        assertThat(rates).anyMatch(r -> series(r, FAILING, "error") && value(r) > 0);
        assertThat(rates).noneMatch(r -> series(r, HEALTHY, "error"));
        assertThat(rates).noneMatch(r -> series(r, FAILING, "success"));
      }
    }
  }

  @Test
  void providerCircuitBreakerOpenGoesPendingOnceTheBreakerOpensAndTheAdminResetClosesIt(@TempDir Path tmp) throws Exception {
    try (TestGateway gw = TestGateway.start(config(5), ENV)) {
      gw.simulate(FAILING, FAIL_WITH_500);
      int sent = 12; // more than twice the threshold
      for (int i = 0; i < sent; i++) assertThat(request(gw, i).statusCode()).isEqualTo(200);

      // The real breaker opened (threshold 5 consecutive failures, same-provider retries included)
      // and keeps requests away from the failing provider; the gauge shows it at once.
      // One series per provider, as the runbook reads it: 1 = open, 0 = closed.
      Metrics metrics = gw.metrics();
      assertThat(breaker(metrics, FAILING)).isEqualTo(OPEN);
      assertThat(breaker(metrics, HEALTHY)).isEqualTo(CLOSED);
      assertThat(metrics.sum("orchestrator_provider_requests_total", "provider", FAILING, "error_type", "circuit_open"))
          .as("requests that skipped the open provider").isPositive();
      long calls = gw.simStats(FAILING).path("chatRequests").asLong();
      assertThat(calls).as("an open breaker keeps requests away from %s", FAILING).isLessThan(sent);

      try (PrometheusServer prometheus = PrometheusServer.start(tmp, rules(tmp), target(gw))) {
        List<JsonNode> alerts = driveUntil(gw, prometheus, Duration.ofSeconds(20),
            a -> isAlert(a, "ProviderCircuitBreakerOpen", FAILING));
        assertThat(alerts).anySatisfy(a -> {
          assertThat(isAlert(a, "ProviderCircuitBreakerOpen", FAILING)).isTrue();
          assertThat(a.path("state").asText()).isIn("pending", "firing");
        });
        assertThat(alerts).noneMatch(a -> isAlert(a, "ProviderCircuitBreakerOpen", HEALTHY));
        // As Prometheus stores it: one series per provider, with only the target's labels added.
        List<JsonNode> states = prometheus.query("orchestrator_provider_circuit_breaker_state");
        assertThat(states).hasSize(2).allSatisfy(r -> assertThat(Chart.JSON.convertValue(r.path("metric"), Map.class))
            .containsOnlyKeys("__name__", "provider", "instance", "job"));
        assertThat(states).anyMatch(r -> FAILING.equals(r.at("/metric/provider").asText()) && value(r) == OPEN);
        assertThat(states).anyMatch(r -> HEALTHY.equals(r.at("/metric/provider").asText()) && value(r) == CLOSED);
        assertThat(prometheus.query("changes(orchestrator_provider_circuit_breaker_state[30m])")).hasSize(2);
        assertThat(alerts).noneMatch(a -> "AllProvidersDown".equals(a.at("/labels/alertname").asText()));
        // Full admission queues are not provider faults: none here.
        assertThat(alerts).noneMatch(a -> "ProviderQueueSaturated".equals(a.at("/labels/alertname").asText()));
      }

      // The runbook's response: the admin reset instead of restarting pods (without the token: 401).
      String path = "/admin/providers/" + FAILING + "/circuit-breaker/reset";
      assertThat(gw.post(path, "").statusCode()).isEqualTo(401);
      assertThat(gw.post(path, "", "Authorization", "Bearer wrong").statusCode()).isEqualTo(403);
      HttpResponse<String> reset = gw.post(path, "", "Authorization", "Bearer " + ADMIN_TOKEN);
      assertThat(reset.statusCode()).as(reset.body()).isEqualTo(200);
      JsonNode body = Chart.JSON.readTree(reset.body());
      assertThat(body.path("provider").asText()).isEqualTo(FAILING);
      assertThat(body.path("previousState").asText()).isEqualTo("open");
      assertThat(body.path("state").asText()).isEqualTo("closed");
      assertThat(breaker(gw.metrics(), FAILING)).isEqualTo(CLOSED);

      // Drained on purpose (the admin open): the breaker reads 1, open, like one that tripped.
      HttpResponse<String> open = gw.post("/admin/providers/" + HEALTHY + "/circuit-breaker/open", "",
          "Authorization", "Bearer " + ADMIN_TOKEN);
      assertThat(open.statusCode()).as(open.body()).isEqualTo(200);
      assertThat(breaker(gw.metrics(), HEALTHY)).isEqualTo(OPEN);
    }
  }

  /** The runbook's reading of orchestrator_provider_circuit_breaker_state: 0 closed, 1 open, 2 half-open. */
  private static final double CLOSED = 0;
  private static final double OPEN = 1;

  /** The provider's one breaker series, labelled provider only. */
  private static double breaker(Metrics metrics, String provider) {
    List<Metrics.Sample> series = metrics.samples("orchestrator_provider_circuit_breaker_state").stream()
        .filter(s -> provider.equals(s.labels().get("provider"))).toList();
    assertThat(series).as("breaker series of %s", provider).singleElement()
        .satisfies(s -> assertThat(s.labels()).containsOnlyKeys("provider"));
    return series.get(0).value();
  }

  /** The chart's rules with the rate window shortened to 10s (the same render RulesInPrometheusTest uses). */
  private static Path rules(Path dir) {
    Chart.Rendered rendered = Chart.render(List.of(Chart.MONITORING_VALUES), Map.of("monitoring.prometheus.alerts.rateWindow", "10s"));
    return AlertRulesTest.writeRules(rendered, dir);
  }

  private static String target(TestGateway gw) {
    return "127.0.0.1:" + gw.gateway.port();
  }

  /**
   * Sends a request every 100 ms (each must succeed, by fallback when the first provider fails) and
   * polls the alerts every 500 ms until one matches or the timeout passes. Returns the active alerts.
   */
  private static List<JsonNode> driveUntil(TestGateway gw, PrometheusServer prometheus, Duration timeout,
      Predicate<JsonNode> wanted) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    int maxRequests = (int) (timeout.toMillis() / 100) + 1;
    List<JsonNode> alerts = List.of();
    for (int i = 0; i < maxRequests && System.nanoTime() < deadline; i++) {
      assertThat(request(gw, i).statusCode()).isEqualTo(200);
      if (i % 5 == 4) {
        alerts = prometheus.alerts();
        if (alerts.stream().anyMatch(wanted)) return alerts;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the alert did not go pending within " + timeout + "; active alerts: " + alerts
        + "; request rates: " + prometheus.query("sum by (provider, status) (rate(orchestrator_provider_requests_total[10s]))")
        + "; targets: " + prometheus.activeTargets());
  }

  private static HttpResponse<String> request(TestGateway gw, int i) {
    // Distinct content, so no response cache could ever answer instead of the providers.
    String body = "{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"request " + i + " " + System.nanoTime() + "\"}]}";
    return gw.post("/v1/chat/completions", body, "x-tenant-id", "e2e", "x-user-id", "alerts");
  }

  private static boolean isAlert(JsonNode alert, String name, String provider) {
    return name.equals(alert.at("/labels/alertname").asText()) && provider.equals(alert.at("/labels/provider").asText());
  }

  private static boolean series(JsonNode result, String provider, String status) {
    return provider.equals(result.at("/metric/provider").asText()) && status.equals(result.at("/metric/status").asText());
  }

  private static double value(JsonNode result) {
    return Double.parseDouble(result.at("/value/1").asText());
  }
}
