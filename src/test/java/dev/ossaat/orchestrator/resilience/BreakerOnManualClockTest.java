package dev.ossaat.orchestrator.resilience;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.testkit.ManualClock;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The whole gateway on a manual clock: a breaker's 60-second open wait is crossed by advancing the
 * clock, not by sleeping, and the real server shows each step (who serves, what the gauge says).
 */
class BreakerOnManualClockTest {
  private final ManualClock clock = new ManualClock();
  private TestGateway gw;

  @AfterEach
  void stop() {
    if (gw != null) gw.close();
  }

  private String servedBy() {
    return gw.post("/v1/chat/completions", chat("sim-small")).headers().firstValue("x-orchestrator-provider").orElse("none");
  }

  private double breaker(String provider) {
    return gw.metrics().sum("orchestrator_provider_circuit_breaker_state", "provider", provider);
  }

  @Test
  void anOpenBreakerHalfOpensExactlyAfterItsTimeoutOnTheGatewaysClock() {
    gw = TestGateway.start("""
        providers:
          retry: {maxAttempts: 1}
          circuitBreaker: {threshold: 2, timeout: 60s, halfOpenRequests: 1}
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small}
          b: {baseUrl: "${SIM:b}", apiKeyRequired: false, model: sim-small}
        """, clock);
    gw.simulate("a", "{\"fault\":\"error\",\"errorStatus\":500}");
    assertThat(servedBy()).isEqualTo("b");
    assertThat(servedBy()).isEqualTo("b");
    assertThat(breaker("a")).isEqualTo(1); // open
    gw.simulate("a", "{}");

    clock.advance(Duration.ofSeconds(59));
    assertThat(servedBy()).isEqualTo("b"); // still open: a is skipped
    assertThat(gw.simStats("a").path("requests").asInt()).isEqualTo(2);

    clock.advance(Duration.ofSeconds(1));
    assertThat(breaker("a")).isEqualTo(2); // half-open
    assertThat(servedBy()).isEqualTo("a"); // the one trial, which succeeds
    assertThat(breaker("a")).isEqualTo(0); // closed
  }
}
