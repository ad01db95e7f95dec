package dev.ossaat.orchestrator.resilience;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static dev.ossaat.orchestrator.testkit.TestGateway.streamingChat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.LogCapture;
import dev.ossaat.orchestrator.testkit.Metrics;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The breaker end to end, in real time: order comes from watching the gateway (breaker state gauge,
 * calls in flight at the simulator), never from sleeping. The exact half-open timing is
 * ProviderBreakerTest's, on a manual clock.
 */
class CircuitBreakerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONFIG = """
      providers:
        retry: {maxAttempts: 1}
        circuitBreaker: {threshold: 3, timeout: 30s, halfOpenRequests: 2}
        a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small}
        b: {baseUrl: "${SIM:b}", apiKeyRequired: false, model: sim-small}
      """;
  /**
   * Half-opens soon enough for a test, late enough that a loaded machine does not half-open it twice:
   * the steps a test takes while it is open (a request or two and a scrape) have seconds to spare.
   */
  private static final String QUICK_HALF_OPEN = CONFIG.replace("timeout: 30s", "timeout: 3s");
  /** One thread per concurrent request (the common pool may have a single thread on a small machine). */
  private final ExecutorService clients = Executors.newCachedThreadPool();
  private TestGateway gw;

  @AfterEach
  void stop() {
    clients.shutdownNow();
    if (gw != null) gw.close();
  }

  /** The runbook's reading of orchestrator_provider_circuit_breaker_state. */
  private static final double CLOSED = 0;
  private static final double OPEN = 1;
  private static final double HALF_OPEN = 2;

  private CompletableFuture<HttpResponse<String>> send() {
    return CompletableFuture.supplyAsync(() -> gw.post("/v1/chat/completions", chat("sim-small")), clients);
  }

  /** The provider's one breaker series (labelled provider only): 0 closed, 1 open, 2 half-open. */
  private double breaker(String provider) {
    List<Metrics.Sample> series = gw.metrics().samples("orchestrator_provider_circuit_breaker_state").stream()
        .filter(s -> provider.equals(s.labels().get("provider"))).toList();
    assertThat(series).as("breaker series of %s", provider).singleElement()
        .satisfies(s -> assertThat(s.labels()).containsOnlyKeys("provider"));
    return series.get(0).value();
  }

  private long calls(String scenario) {
    return gw.simStats(scenario).path("requests").asLong();
  }

  private void trip(String provider) {
    gw.simulate(provider, "{\"fault\":\"error\",\"errorStatus\":500}");
    for (int i = 0; i < 3; i++) assertThat(gw.post("/v1/chat/completions", chat("sim-small")).statusCode()).isEqualTo(200);
    assertThat(breaker(provider)).isEqualTo(OPEN);
  }

  @Test
  void opensAfterExactlyThresholdFailuresThenSkipsTheProvider() throws Exception {
    gw = TestGateway.start(CONFIG);
    try (LogCapture log = new LogCapture()) {
      gw.simulate("a", "{\"fault\":\"error\",\"errorStatus\":500}");
      for (int i = 1; i <= 2; i++) {
        assertThat(gw.post("/v1/chat/completions", chat("sim-small")).statusCode()).isEqualTo(200);
        assertThat(breaker("a")).as("after %d failures", i).isEqualTo(CLOSED);
      }
      assertThat(gw.post("/v1/chat/completions", chat("sim-small")).statusCode()).isEqualTo(200);
      assertThat(breaker("a")).isEqualTo(OPEN);
      assertThat(calls("a")).isEqualTo(3);

      HttpResponse<String> skipped = gw.post("/v1/chat/completions", chat("sim-small"));
      assertThat(skipped.headers().firstValue("x-orchestrator-provider")).hasValue("b");
      assertThat(calls("a")).isEqualTo(3); // not called while open
      assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "provider", "a", "error_type", "circuit_open")).isEqualTo(1);
      var health = JSON.readTree(gw.get("/health/providers").body()).path("providers").path("a");
      assertThat(health.path("circuitBreaker").asText()).isEqualTo("open");
      assertThat(health.path("status").asText()).isEqualTo("unhealthy");
      await().atMost(Duration.ofSeconds(10)).until(() -> !log.grep("circuit breaker", " a ").isEmpty());
      String line = log.grep("circuit breaker", " a closed -> open").get(0);
      assertThat(line).contains("WARN", "reason=\"3 consecutive failures\"", "last_error=\"server_error: a returned HTTP 500");
    }
  }

  @Test
  void aClientsOwnShortDeadlineNeverTripsIt() {
    gw = TestGateway.start(CONFIG);
    gw.simulate("a", "{\"latencyMs\":300}");
    for (int i = 0; i < 5; i++) {
      assertThat(gw.post("/v1/chat/completions", chat("sim-small"), "x-request-timeout", "50").statusCode()).isEqualTo(504);
    }
    assertThat(breaker("a")).isEqualTo(CLOSED);
    var m = gw.metrics();
    assertThat(m.sum("orchestrator_provider_requests_total", "provider", "a", "status", "cancelled", "error_type", "timeout")).isEqualTo(5);
    assertThat(m.sum("orchestrator_provider_requests_total", "status", "error")).isZero();
  }

  @Test
  void clientErrorsNeverTripIt() {
    gw = TestGateway.start(CONFIG);
    gw.simulate("a", "{\"fault\":\"error\",\"errorStatus\":400}");
    for (int i = 0; i < 6; i++) assertThat(gw.post("/v1/chat/completions", chat("sim-small")).statusCode()).isEqualTo(400);
    assertThat(breaker("a")).isEqualTo(CLOSED);
    assertThat(calls("a")).isEqualTo(6);
  }

  @Test
  void halfOpenLetsExactlyTheTrialRequestsThroughAndClosesWhenAllSucceed() {
    gw = TestGateway.start(QUICK_HALF_OPEN);
    trip("a");
    gw.simulate("a", "{\"latencyMs\":3000}"); // healed, and slow: both trials stay out while the others arrive
    await().atMost(Duration.ofSeconds(15)).until(() -> breaker("a") == HALF_OPEN);
    long before = calls("a");
    long beforeB = calls("b");
    List<CompletableFuture<HttpResponse<String>>> concurrent = new ArrayList<>();
    concurrent.add(send());
    concurrent.add(send());
    await().atMost(Duration.ofSeconds(10)).until(() -> gw.simStats("a").path("inFlight").asInt() == 2);
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> skipped = send().join(); // the trials are out: b serves, at once
      assertThat(skipped.headers().firstValue("x-orchestrator-provider")).hasValue("b");
    }
    concurrent.forEach(f -> {
      HttpResponse<String> trial = f.join();
      assertThat(trial.statusCode()).isEqualTo(200);
      assertThat(trial.headers().firstValue("x-orchestrator-provider")).hasValue("a");
    });
    assertThat(calls("a") - before).isEqualTo(2);
    assertThat(calls("b") - beforeB).isEqualTo(3);
    assertThat(breaker("a")).isEqualTo(CLOSED);
  }

  @Test
  void aFailureInHalfOpenReopensAtOnce() {
    gw = TestGateway.start(QUICK_HALF_OPEN);
    trip("a");
    await().atMost(Duration.ofSeconds(15)).until(() -> breaker("a") == HALF_OPEN);
    long before = calls("a");
    assertThat(gw.post("/v1/chat/completions", chat("sim-small")).statusCode()).isEqualTo(200); // trial fails, b serves
    assertThat(calls("a") - before).isEqualTo(1);
    assertThat(breaker("a")).isEqualTo(OPEN);
    gw.post("/v1/chat/completions", chat("sim-small"));
    assertThat(calls("a") - before).isEqualTo(1);
  }

  @Test
  void streamsCutMidAnswerCountAsFailures() {
    gw = TestGateway.start(CONFIG);
    gw.simulate("a", "{\"fault\":\"cut_stream\"}");
    for (int i = 0; i < 3; i++) gw.post("/v1/chat/completions", streamingChat("sim-small", false));
    assertThat(breaker("a")).isEqualTo(OPEN);
  }

  @Test
  void whenEveryProviderIsOpenTheAnswerIs503AtOnce() throws Exception {
    gw = TestGateway.start("""
        providers:
          retry: {maxAttempts: 1}
          circuitBreaker: {threshold: 2, timeout: 30s}
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small}
        """);
    gw.simulate("a", "{\"fault\":\"error\",\"errorStatus\":500}");
    gw.post("/v1/chat/completions", chat("sim-small"));
    gw.post("/v1/chat/completions", chat("sim-small"));
    long start = System.nanoTime();
    HttpResponse<String> r = gw.post("/v1/chat/completions", chat("sim-small"));
    // At once: a is not called (below) and nothing waits for the 30s half-open; the bound is loose on purpose.
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(15_000);
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(JSON.readTree(r.body()).path("error").path("code").asText()).isEqualTo("all_providers_down");
    assertThat(JSON.readTree(r.body()).path("error").path("message").asText()).contains("circuit breaker open for a");
    assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 30L);
    assertThat(calls("a")).isEqualTo(2);
  }
}
