package dev.ossaat.orchestrator.resilience;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ossaat.orchestrator.testkit.Metrics;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-provider bulkhead: a bounded number in flight, a bounded queue, and what happens beyond.
 * Arrival order is established by watching the gateway (the call in flight at the simulator, the
 * queue depth gauge), never by sleeping; the provider is slow enough (seconds) that each step is
 * observed long before the call ahead of it ends, even on a loaded machine. Exact {@code maxWait}
 * timing is AdmissionWaitTest's, on a manual clock.
 */
class AdmissionQueueTest {
  /** How long a's calls take: the margin each arrival has to be observed in. */
  private static final String SLOW = "{\"latencyMs\":2000}";
  /** One thread per concurrent request (the common pool may have too few on a small machine). */
  private final java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newCachedThreadPool();
  private TestGateway gw;

  @AfterEach
  void stop() {
    clients.shutdownNow();
    if (gw != null) gw.close();
  }

  private CompletableFuture<HttpResponse<String>> send() {
    return CompletableFuture.supplyAsync(() -> gw.post("/v1/chat/completions", chat("sim-small")), clients);
  }

  private void awaitUntil(java.util.concurrent.Callable<Boolean> condition) {
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(condition);
  }

  private double queued(String provider) {
    return gw.metrics().sum("orchestrator_queue_depth", "queue", provider);
  }

  /** In order: the first in flight at a, the second queued behind it, the third beyond the bound. */
  private List<HttpResponse<String>> firstInFlightSecondQueuedThirdBeyond() {
    List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
    futures.add(send());
    awaitUntil(() -> gw.simStats("a").path("inFlight").asInt() == 1);
    futures.add(send());
    awaitUntil(() -> queued("a") == 1);
    futures.add(send());
    return futures.stream().map(CompletableFuture::join).toList();
  }

  @Test
  void beyondTheQueueRequestsFallBackToTheNextProvider() throws Exception {
    gw = TestGateway.start("""
        providers:
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small, admission: {maxConcurrent: 1, maxQueued: 1, maxWait: 5s}}
          b: {baseUrl: "${SIM:b}", apiKeyRequired: false, model: sim-small}
        """);
    gw.simulate("a", SLOW);
    List<HttpResponse<String>> responses = firstInFlightSecondQueuedThirdBeyond();
    assertThat(responses).allMatch(r -> r.statusCode() == 200);
    assertThat(responses).extracting(r -> r.headers().firstValue("x-orchestrator-provider").orElseThrow())
        .containsExactlyInAnyOrder("a", "a", "b");
    Metrics m = gw.metrics();
    assertThat(m.sum("orchestrator_queue_wait_seconds_count", "queue", "a")).isEqualTo(2);
    assertThat(m.sum("orchestrator_queue_wait_seconds_bucket", "queue", "a", "le", "0.001")).isEqualTo(1); // admitted at once
    assertThat(m.sum("orchestrator_queue_depth", "queue", "a")).isZero();
    assertThat(m.sum("orchestrator_provider_requests_total", "provider", "a", "error_type", "overloaded")).isEqualTo(1);
    assertThat(m.sum("orchestrator_inflight_requests", "provider", "a")).isZero();
  }

  @Test
  void whenNoProviderCanTakeItTheClientGets429WithRetryAfter() throws Exception {
    gw = TestGateway.start("""
        providers:
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small, admission: {maxConcurrent: 1, maxQueued: 1}}
        """);
    gw.simulate("a", SLOW);
    List<HttpResponse<String>> responses = firstInFlightSecondQueuedThirdBeyond();
    assertThat(responses).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 200, 429);
    HttpResponse<String> rejected = responses.stream().filter(r -> r.statusCode() == 429).findFirst().orElseThrow();
    assertThat(rejected.headers().firstValue("retry-after")).isPresent();
    assertThat(rejected.body()).contains("at capacity");
    assertThat(gw.simStats("a").path("requests").asLong()).isEqualTo(2);
  }

  @Test
  void queuedRequestsWaitNoLongerThanMaxWait() throws Exception {
    gw = TestGateway.start("""
        providers:
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small, admission: {maxConcurrent: 1, maxQueued: 5, maxWait: 200ms}}
        """);
    gw.simulate("a", "{\"latencyMs\":4000}");
    CompletableFuture<HttpResponse<String>> first = send();
    awaitUntil(() -> gw.simStats("a").path("inFlight").asInt() == 1);
    // Queued with seconds of a's call left: only maxWait can end its wait before a slot frees up.
    HttpResponse<String> second = send().join();
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(first.join().statusCode()).isEqualTo(200);
    assertThat(gw.simStats("a").path("requests").asLong()).isEqualTo(1);
    Metrics m = gw.metrics();
    assertThat(m.sum("orchestrator_queue_depth", "queue", "a")).isZero();
    assertThat(m.sum("orchestrator_provider_requests_total", "provider", "a", "error_type", "overloaded")).isEqualTo(1);
  }
}
