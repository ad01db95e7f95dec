package dev.ossaat.orchestrator.resilience;

import static dev.ossaat.orchestrator.testkit.TestGateway.await;
import static dev.ossaat.orchestrator.testkit.TestGateway.streamingChat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class GracefulShutdownTest {
  @Test
  void shutdownLetsStreamsInFlightFinishAndRefusesNewRequests() throws Exception {
    TestGateway gw = TestGateway.start("""
        server: {drainTimeout: 10s}
        providers:
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small}
        """);
    try {
      gw.simulate("a", "{\"chunks\":8,\"chunkIntervalMs\":300}"); // 2.4 s: the close surely begins mid-stream
      CompletableFuture<HttpResponse<String>> inFlight =
          CompletableFuture.supplyAsync(() -> gw.post("/v1/chat/completions", streamingChat("sim-small", false)));
      org.awaitility.Awaitility.await().until(() -> gw.simStats("a").path("inFlight").asInt() == 1);
      long start = System.nanoTime();
      var closing = gw.gateway.close();
      HttpResponse<String> ready = gw.get("/readyz");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("shutting down");
      HttpResponse<String> late = gw.post("/v1/chat/completions", TestGateway.chat("sim-small"));
      assertThat(late.statusCode()).isEqualTo(503);
      assertThat(late.body()).contains("shutting_down");
      await(closing);
      assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(300); // it waited for the stream
      assertThat(gw.simStats("a").path("clientClosedEarly").asLong()).isZero();
      HttpResponse<String> r = inFlight.join();
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).endsWith("data: [DONE]\n\n");
      assertThatThrownBy(() -> gw.get("/healthz")).hasCauseInstanceOf(java.net.ConnectException.class);
    } finally {
      await(gw.vertx.close());
    }
  }
}
