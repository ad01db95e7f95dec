package dev.ossaat.orchestrator.resilience;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static dev.ossaat.orchestrator.testkit.TestGateway.streamingChat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each per-provider timeout ends its attempt, is counted, and (before the first byte) falls back. */
class TimeoutsTest {
  private TestGateway gw;

  @BeforeEach
  void start() {
    gw = TestGateway.start("""
        providers:
          retry: {maxAttempts: 1}
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small, timeout: 5s, firstByteTimeout: 400ms}
          b: {baseUrl: "${SIM:b}", apiKeyRequired: false, model: sim-small}
          s: {baseUrl: "${SIM:s}", apiKeyRequired: false, model: sim-stream, timeout: 5s, streamIdleTimeout: 500ms}
        """);
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  @Test
  void aSlowFirstByteFallsBack() {
    gw.simulate("a", "{\"latencyMs\":10000}");
    long start = System.nanoTime();
    HttpResponse<String> r = gw.post("/v1/chat/completions", chat("sim-small"));
    // After the 400 ms first-byte timeout, and well before a's 5 s total timeout would have ended it.
    assertThat((System.nanoTime() - start) / 1_000_000).isBetween(390L, 4_000L);
    assertThat(r.headers().firstValue("x-orchestrator-provider")).hasValue("b");
    assertThat(gw.metrics().sum("orchestrator_provider_timeouts_total", "provider", "a")).isEqualTo(1);
  }

  @Test
  void aStreamThatGoesQuietIsEndedWithATimeoutEvent() {
    gw.simulate("s", "{\"chunks\":4,\"chunkIntervalMs\":2000}");
    HttpResponse<String> r = gw.post("/v1/chat/completions", streamingChat("sim-stream", false));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"code\":\"timeout\"").contains("next stream chunk").doesNotContain("[DONE]");
    assertThat(gw.metrics().sum("orchestrator_provider_timeouts_total", "provider", "s")).isEqualTo(1);
    assertThat(gw.simStats("b").path("requests").asLong()).isZero(); // started streams are never retried
  }

  @Test
  void slowButSteadyStreamsAreFine() {
    gw.simulate("s", "{\"chunks\":5,\"chunkIntervalMs\":150}");
    HttpResponse<String> r = gw.post("/v1/chat/completions", streamingChat("sim-stream", false));
    assertThat(r.body()).endsWith("data: [DONE]\n\n");
    assertThat(gw.metrics().sum("orchestrator_provider_timeouts_total")).isZero();
  }
}
