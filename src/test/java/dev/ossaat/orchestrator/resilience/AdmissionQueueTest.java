package dev.ossaat.orchestrator.resilience;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.testkit.Metrics;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-provider bulkhead: a bounded number in flight, a bounded queue, and what happens beyond. */
class AdmissionQueueTest {
  private TestGateway gw;

  @AfterEach
  void stop() {
    if (gw != null) gw.close();
  }

  private List<HttpResponse<String>> concurrently(int n) throws Exception {
    List<CompletableFuture<HttpResponse<String>>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      futures.add(CompletableFuture.supplyAsync(() -> gw.post("/v1/chat/completions", chat("sim-small"))));
      Thread.sleep(50); // arrive in order: first in flight, second queued, third beyond the bound
    }
    return futures.stream().map(CompletableFuture::join).toList();
  }

  @Test
  void beyondTheQueueRequestsFallBackToTheNextProvider() throws Exception {
    gw = TestGateway.start("""
        providers:
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small, admission: {maxConcurrent: 1, maxQueued: 1, maxWait: 5s}}
          b: {baseUrl: "${SIM:b}", apiKeyRequired: false, model: sim-small}
        """);
    gw.simulate("a", "{\"latencyMs\":500}");
    List<HttpResponse<String>> responses = concurrently(3);
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
    gw.simulate("a", "{\"latencyMs\":500}");
    List<HttpResponse<String>> responses = concurrently(3);
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
    gw.simulate("a", "{\"latencyMs\":800}");
    List<HttpResponse<String>> responses = concurrently(2);
    assertThat(responses).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 429);
  }
}
