package dev.ossaat.orchestrator.routing;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static dev.ossaat.orchestrator.testkit.TestGateway.streamingChat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One deadline bounds a whole request, whatever the providers do and however many are tried. */
class DeadlineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private TestGateway gw;

  @BeforeEach
  void start() {
    gw = TestGateway.start("""
        server: {requestTimeout: 1s}
        providers:
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small, timeout: 700ms}
          b: {baseUrl: "${SIM:b}", apiKeyRequired: false, model: sim-small, timeout: 10s}
          c: {baseUrl: "${SIM:c}", apiKeyRequired: false, model: sim-small, timeout: 10s}
        """);
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  @Test
  void fallbacksNeverStackTimeoutsPastTheDeadline() throws Exception {
    for (String p : new String[] {"a", "b", "c"}) gw.simulate(p, "{\"fault\":\"hang\"}");
    long start = System.nanoTime();
    HttpResponse<String> r = gw.post("/v1/chat/completions", chat("sim-small"));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(ms).isBetween(950L, 1_400L);
    assertThat(JSON.readTree(r.body()).path("error").path("message").asText()).contains("deadline of 1000 ms");
    // a timed out on its own 700 ms, b got the remaining 300 ms, c was never reached.
    assertThat(gw.simStats("a").path("requests").asLong()).isEqualTo(1);
    assertThat(gw.simStats("b").path("requests").asLong()).isEqualTo(1);
    assertThat(gw.simStats("c").path("requests").asLong()).isZero();
    assertThat(gw.metrics().sum("orchestrator_provider_timeouts_total")).isEqualTo(2);
  }

  @Test
  void aClientMayLowerTheDeadlineButNotRaiseIt() {
    for (String p : new String[] {"a", "b", "c"}) gw.simulate(p, "{\"fault\":\"hang\"}");
    long start = System.nanoTime();
    HttpResponse<String> r = gw.post("/v1/chat/completions", chat("sim-small"), "x-request-timeout", "300");
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat((System.nanoTime() - start) / 1_000_000).isBetween(280L, 650L);
    start = System.nanoTime();
    r = gw.post("/v1/chat/completions", chat("sim-small"), "x-request-timeout", "60s");
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat((System.nanoTime() - start) / 1_000_000).isBetween(950L, 1_400L);
  }

  @Test
  void aStreamIsEndedWithAnErrorEventWhenTheDeadlinePassesMidStream() {
    gw.simulate("a", "{\"chunks\":10,\"chunkIntervalMs\":300}");
    long start = System.nanoTime();
    HttpResponse<String> r = gw.post("/v1/chat/completions", streamingChat("sim-small", false));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ms).isBetween(950L, 1_400L);
    assertThat(r.body()).doesNotContain("[DONE]").contains("\"code\":\"timeout\"");
    assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "provider", "a", "error_type", "timeout")).isEqualTo(1);
  }
}
