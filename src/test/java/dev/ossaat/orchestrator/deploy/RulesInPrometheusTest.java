package dev.ossaat.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rendered rules in a real Prometheus that scrapes live metrics over HTTP: a failing provider
 * takes ProviderHighErrorRate and ProviderCircuitBreakerOpen to pending, a healthy one takes
 * nothing. The target here is a stand-in that serves orchestrator's exposition format with fixed
 * rates (a check of the harness and the rules, independent of the gateway); the same harness pointed
 * at a running orchestrator whose simulated provider fails is {@link EndToEndAlertsTest}.
 */
class RulesInPrometheusTest {

  @Test
  void failingProviderAlertsGoPendingInARealPrometheus(@TempDir Path tmp) throws Exception {
    // Shortened rate window (scrapes every second); `for` stays as shipped, so the alerts go pending.
    Chart.Rendered rendered = Chart.render(List.of(Chart.MONITORING_VALUES), Map.of("monitoring.prometheus.alerts.rateWindow", "10s"));
    Path rules = AlertRulesTest.writeRules(rendered, tmp);

    long start = System.nanoTime();
    HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    target.createContext("/metrics", exchange -> {
      double seconds = (System.nanoTime() - start) / 1e9;
      byte[] body = exposition(seconds).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    target.start();
    try (PrometheusServer prometheus = PrometheusServer.start(tmp, rules, "127.0.0.1:" + target.getAddress().getPort())) {
      List<JsonNode> alerts = awaitAlerts(prometheus, Duration.ofSeconds(45), "ProviderHighErrorRate", "ProviderCircuitBreakerOpen");
      assertThat(alerts).anySatisfy(a -> {
        assertThat(a.at("/labels/alertname").asText()).isEqualTo("ProviderHighErrorRate");
        assertThat(a.at("/labels/provider").asText()).isEqualTo("openai");
        assertThat(a.path("state").asText()).isIn("pending", "firing");
      });
      assertThat(alerts).anySatisfy(a -> {
        assertThat(a.at("/labels/alertname").asText()).isEqualTo("ProviderCircuitBreakerOpen");
        assertThat(a.at("/labels/provider").asText()).isEqualTo("mistral");
      });
      // The healthy provider, a half-open breaker and the global alert stay quiet.
      assertThat(alerts).noneMatch(a -> "ollama".equals(a.at("/labels/provider").asText()));
      assertThat(alerts).noneMatch(a -> "ProviderCircuitBreakerOpen".equals(a.at("/labels/alertname").asText())
          && "openai".equals(a.at("/labels/provider").asText()));
      assertThat(alerts).noneMatch(a -> "AllProvidersDown".equals(a.at("/labels/alertname").asText()));
    } finally {
      target.stop(0);
    }
  }

  /**
   * orchestrator's series: openai fails 10% of attempts and its breaker is half-open, mistral's breaker
   * is open, ollama is fine.
   */
  private static String exposition(double seconds) {
    long t = (long) (seconds * 10);
    return String.join("\n",
        "# TYPE orchestrator_provider_requests_total counter",
        "orchestrator_provider_requests_total{provider=\"openai\",model=\"gpt-4o\",status=\"success\",error_type=\"\",tenant_id=\"t1\"} " + 9 * t,
        "orchestrator_provider_requests_total{provider=\"openai\",model=\"gpt-4o\",status=\"error\",error_type=\"server_error\",tenant_id=\"t1\"} " + t,
        "orchestrator_provider_requests_total{provider=\"ollama\",model=\"llama3.2\",status=\"success\",error_type=\"\",tenant_id=\"t1\"} " + 5 * t,
        // One series per provider: 0 closed, 1 open, 2 half-open.
        "# TYPE orchestrator_provider_circuit_breaker_state gauge",
        "orchestrator_provider_circuit_breaker_state{provider=\"mistral\"} 1",
        "orchestrator_provider_circuit_breaker_state{provider=\"openai\"} 2",
        "orchestrator_provider_circuit_breaker_state{provider=\"ollama\"} 0",
        "");
  }

  private static List<JsonNode> awaitAlerts(PrometheusServer prometheus, Duration timeout, String... names) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonNode> alerts = List.of();
    while (System.nanoTime() < deadline) {
      alerts = prometheus.alerts();
      List<String> seen = alerts.stream().map(a -> a.at("/labels/alertname").asText()).toList();
      if (seen.containsAll(List.of(names))) return alerts;
      Thread.sleep(500);
    }
    throw new AssertionError("alerts " + List.of(names) + " not active within " + timeout + "; active: " + alerts);
  }
}
