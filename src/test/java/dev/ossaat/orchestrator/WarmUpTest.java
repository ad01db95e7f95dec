package dev.ossaat.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ossaat.orchestrator.config.ConfigException;
import dev.ossaat.orchestrator.testkit.LogCapture;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code server.warmUp}: readiness waits for the warm-up traffic, which never shows in the real
 * gateway's metrics, request log or provider counters, and the gateway serves normally afterwards.
 */
class WarmUpTest {
  private static final String CONFIG = String.join("\n",
      "server:",
      "  warmUp:",
      "    duration: 1500ms",
      "    concurrency: 4",
      "providers:",
      "  sim:",
      "    baseUrl: ${SIM:ok}",
      "    apiKeyRequired: false",
      "    model: sim-small",
      "");

  @Test
  void readyOnlyAfterWarmUpAndWarmUpTrafficLeavesNoTrace() throws Exception {
    try (TestGateway gw = TestGateway.start(CONFIG); LogCapture log = new LogCapture()) {
      HttpResponse<String> warming = gw.get("/readyz");
      assertThat(warming.statusCode()).isEqualTo(503);
      assertThat(warming.body()).contains("warming up");
      assertThat(gw.get("/healthz").statusCode()).isEqualTo(200); // liveness answers meanwhile

      long started = System.nanoTime();
      gw.gateway.warmUp(); // what Main does on its own thread
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));

      assertThat(gw.get("/readyz").statusCode()).isEqualTo(200);
      String done = log.grep("warm-up done").get(0);
      assertThat(done).matches(".* INFO warm-up done: [1-9][0-9]* requests \\(0 failed\\) in [0-9]+ ms; ready");
      assertThat(log.grep(" tokens ")).isEmpty(); // no request log line for warm-up traffic
      assertThat(log.grep("listening on port")).isEmpty(); // the throwaway gateway does not announce itself
      assertThat(log.grep("shutting down")).isEmpty();

      // The real gateway's counters never saw the warm-up, nor its simulator the warm-up's requests.
      var metrics = gw.metrics();
      assertThat(metrics.sum("orchestrator_provider_requests_total")).isZero();
      assertThat(metrics.sum("orchestrator_http_requests_total", "route", "/v1/chat/completions")).isZero();
      assertThat(metrics.samples("orchestrator_provider_requests_total"))
          .noneMatch(s -> s.labels().getOrDefault("provider", "").startsWith("warmup"));

      HttpResponse<String> answer = gw.post("/v1/chat/completions", TestGateway.chat("sim-small"));
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "provider", "sim")).isEqualTo(1.0);
    }
  }

  @Test
  void warmUpIsOffByDefaultAndBounded() {
    try (TestGateway gw = TestGateway.start(CONFIG.replace("1500ms", "0s"))) {
      assertThat(gw.get("/readyz").statusCode()).isEqualTo(200);
    }
    assertThat(TestGateway.config("providers: {}\n", Map.of(), s -> "http://x").server().warmUp().enabled()).isFalse();
    assertThatThrownBy(() -> TestGateway.config(CONFIG.replace("1500ms", "6m"), Map.of(), s -> "http://127.0.0.1:1/v1"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("server.warmUp.duration");
    assertThatThrownBy(() -> TestGateway.config(CONFIG.replace("concurrency: 4", "conurrency: 4"), Map.of(),
        s -> "http://127.0.0.1:1/v1")).isInstanceOf(ConfigException.class).hasMessageContaining("conurrency");
  }
}
