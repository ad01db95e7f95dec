package dev.ossaat.orchestrator.resilience;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retries end to end, in real time. Waits are asserted from below (the gateway must have waited at
 * least so long); an upper bound only where it tells "left at once" from "waited the full hint",
 * seconds apart. Backoff's jitter bounds are BackoffTest's.
 */
class RetryTest {
  private TestGateway gw;

  @AfterEach
  void stop() {
    if (gw != null) gw.close();
  }

  @Test
  void aTransientServerErrorIsRetriedOnTheSameProvider() {
    gw = TestGateway.start("""
        providers:
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small}
          b: {baseUrl: "${SIM:b}", apiKeyRequired: false, model: sim-small}
        """);
    gw.simulate("a", "{\"fault\":\"error\",\"errorStatus\":503,\"faultCount\":1}");
    HttpResponse<String> r = gw.post("/v1/chat/completions", chat("sim-small"));
    assertThat(r.headers().firstValue("x-orchestrator-provider")).hasValue("a");
    assertThat(gw.simStats("a").path("requests").asLong()).isEqualTo(2);
    assertThat(gw.simStats("b").path("requests").asLong()).isZero();
    assertThat(gw.metrics().sum("orchestrator_provider_retries_total", "provider", "a", "reason", "server_error")).isEqualTo(1);
  }

  @Test
  void retryAfterIsHonouredOnTheLastProvider() {
    gw = TestGateway.start("""
        providers:
          retry: {maxAttempts: 3, initialBackoff: 10ms}
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small}
        """);
    gw.simulate("a", "{\"fault\":\"rate_limit\",\"retryAfterMs\":600,\"faultCount\":1}");
    long start = System.nanoTime();
    HttpResponse<String> r = gw.post("/v1/chat/completions", chat("sim-small"));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(ms).isGreaterThanOrEqualTo(600);
    assertThat(gw.metrics().sum("orchestrator_provider_retries_total", "provider", "a", "reason", "rate_limit")).isEqualTo(1);
  }

  @Test
  void aThrottledProviderIsLeftAtOnceWhenAnotherCanServe() {
    gw = TestGateway.start("""
        providers:
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small}
          b: {baseUrl: "${SIM:b}", apiKeyRequired: false, model: sim-small}
        """);
    // 9s: short enough to be worth waiting for on the last provider (maxRetryAfter is 10s), not here.
    gw.simulate("a", "{\"fault\":\"rate_limit\",\"retryAfterSeconds\":9}");
    long start = System.nanoTime();
    HttpResponse<String> r = gw.post("/v1/chat/completions", chat("sim-small"));
    assertThat((System.nanoTime() - start) / 1_000_000).as("waited for a's Retry-After").isLessThan(9_000);
    assertThat(r.headers().firstValue("x-orchestrator-provider")).hasValue("b");
    assertThat(gw.simStats("a").path("requests").asLong()).isEqualTo(1);
    assertThat(gw.simStats("b").path("requests").asLong()).isEqualTo(1);
  }

  @Test
  void backoffNeverOutlivesTheDeadline() {
    gw = TestGateway.start("""
        server: {requestTimeout: 1500ms}
        providers:
          retry: {maxAttempts: 10, initialBackoff: 400ms, maxBackoff: 400ms}
          circuitBreaker: {threshold: 100}
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small}
        """);
    gw.simulate("a", "{\"fault\":\"error\",\"errorStatus\":500}");
    long start = System.nanoTime();
    HttpResponse<String> r = gw.post("/v1/chat/completions", chat("sim-small"));
    long ms = (System.nanoTime() - start) / 1_000_000;
    // 502, a's own failure: the gateway stopped retrying when no backoff fitted what was left. Had it
    // started a backoff past the deadline, the deadline would have ended the request: a 504.
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(ms).isLessThan(1_500 + 5_000);
    assertThat(gw.simStats("a").path("requests").asLong()).isBetween(2L, 10L);
  }

  @Test
  void aRetryAfterLongerThanWhatIsLeftOfTheDeadlineIsNotWaitedFor() throws Exception {
    gw = TestGateway.start("""
        server: {requestTimeout: 1500ms}
        providers:
          retry: {maxAttempts: 3, maxRetryAfter: 10s}
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small}
        """);
    // 8s is within maxRetryAfter, so worth waiting for on the last provider, but not within 1.5s.
    gw.simulate("a", "{\"fault\":\"rate_limit\",\"retryAfterMs\":8000,\"faultCount\":1}");
    long start = System.nanoTime();
    HttpResponse<String> r = gw.post("/v1/chat/completions", chat("sim-small"));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(ms).as("waited for the Retry-After").isLessThan(8_000);
    assertThat(gw.simStats("a").path("requests").asLong()).isEqualTo(1);
    assertThat(gw.metrics().sum("orchestrator_provider_retries_total")).isZero();
  }
}
