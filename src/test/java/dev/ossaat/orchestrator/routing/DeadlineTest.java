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

/**
 * One deadline bounds a whole request, whatever the providers do and however many are tried. Real
 * sockets to providers that hang, so real time: which deadline ended a request is read from the
 * answer ("deadline of N ms") and from which providers were called; wall time is only bounded from
 * below by the deadline and from above by the deadline plus a wide margin, far below what stacked
 * timeouts (700 ms + 10 s) or a raised deadline (60 s) would take.
 */
class DeadlineTest {
  /** Added to a deadline for the slowest answer a loaded machine may give; well under any wrong outcome. */
  private static final long MARGIN_MS = 4_000;
  // Lower bounds leave 10 ms for the millisecond rounding of the deadline's timer.
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
    assertThat(ms).isBetween(990L, 1_000 + MARGIN_MS);
    assertThat(JSON.readTree(r.body()).path("error").path("message").asText()).contains("deadline of 1000 ms");
    // a timed out on its own 700 ms, b got the remaining 300 ms, c was never reached.
    assertThat(gw.simStats("a").path("requests").asLong()).isEqualTo(1);
    assertThat(gw.simStats("b").path("requests").asLong()).isEqualTo(1);
    assertThat(gw.simStats("c").path("requests").asLong()).isZero();
    assertThat(gw.metrics().sum("orchestrator_provider_timeouts_total")).isEqualTo(2);
  }

  @Test
  void aClientMayLowerTheDeadlineButNotRaiseIt() throws Exception {
    for (String p : new String[] {"a", "b", "c"}) gw.simulate(p, "{\"fault\":\"hang\"}");
    long start = System.nanoTime();
    HttpResponse<String> r = gw.post("/v1/chat/completions", chat("sim-small"), "x-request-timeout", "300");
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(JSON.readTree(r.body()).path("error").path("message").asText()).contains("deadline of 300 ms");
    assertThat((System.nanoTime() - start) / 1_000_000).isBetween(290L, 300 + MARGIN_MS);
    assertThat(gw.simStats("b").path("requests").asLong()).as("a's 700 ms outlast the 300").isZero();
    start = System.nanoTime();
    r = gw.post("/v1/chat/completions", chat("sim-small"), "x-request-timeout", "60s");
    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(JSON.readTree(r.body()).path("error").path("message").asText()).contains("deadline of 1000 ms");
    assertThat((System.nanoTime() - start) / 1_000_000).isBetween(990L, 1_000 + MARGIN_MS);
  }

  @Test
  void aStreamIsEndedWithAnErrorEventWhenTheDeadlinePassesMidStream() {
    gw.simulate("a", "{\"chunks\":40,\"chunkIntervalMs\":250}"); // 10 s of stream against a 1 s deadline
    long start = System.nanoTime();
    HttpResponse<String> r = gw.post("/v1/chat/completions", streamingChat("sim-small", false));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ms).isBetween(990L, 1_000 + MARGIN_MS);
    assertThat(r.body()).doesNotContain("[DONE]").contains("\"code\":\"timeout\"").contains("reached mid-stream");
    assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "provider", "a", "error_type", "timeout")).isEqualTo(1);
  }
}
