package dev.ossaat.orchestrator.limits;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Past {@code server.maxInflightRequests} the gateway refuses new requests at once with 503
 * {@code gateway_overloaded} and {@code Retry-After}, in the caller's format, before any provider is
 * called: its own overload is never turned into provider timeouts or open breakers.
 */
class LoadSheddingTest {
  private final ExecutorService clients = Executors.newFixedThreadPool(4);
  private TestGateway gw;

  @AfterEach
  void stop() {
    clients.shutdownNow();
    if (gw != null) gw.close();
  }

  @Test
  void requestsPastTheInflightLimitAreShedAtOnce() {
    gw = TestGateway.start("""
        server: {maxInflightRequests: 2}
        providers:
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small}
        """);
    gw.simulate("a", "{\"latencyMs\":3000}");
    CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> gw.post("/v1/chat/completions", chat("sim-small")), clients);
    CompletableFuture<HttpResponse<String>> second = CompletableFuture.supplyAsync(() -> gw.post("/v1/chat/completions", chat("sim-small")), clients);
    await().atMost(Duration.ofSeconds(10)).until(() -> gw.simStats("a").path("inFlight").asInt() == 2);

    HttpResponse<String> shed = gw.post("/v1/chat/completions", chat("sim-small"));
    assertThat(shed.statusCode()).isEqualTo(503);
    assertThat(shed.body()).contains("\"code\":\"gateway_overloaded\"");
    assertThat(shed.headers().firstValue("retry-after")).hasValue("1");
    HttpResponse<String> shedAnthropic = gw.post("/v1/messages",
        "{\"model\":\"sim-small\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
        "anthropic-version", "2023-06-01");
    assertThat(shedAnthropic.statusCode()).isEqualTo(503);
    assertThat(shedAnthropic.body()).contains("overloaded_error");

    assertThat(first.join().statusCode()).isEqualTo(200);
    assertThat(second.join().statusCode()).isEqualTo(200);
    assertThat(gw.simStats("a").path("requests").asInt()).isEqualTo(2); // the shed ones never reached it
    assertThat(gw.metrics().sum("orchestrator_requests_shed_total", "reason", "inflight_limit")).isEqualTo(2);
    assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "status", "error")).isZero();
    assertThat(gw.post("/v1/chat/completions", chat("sim-small")).statusCode()).isEqualTo(200); // room again
  }
}
