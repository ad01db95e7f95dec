package dev.ossaat.orchestrator.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the client is told about retrying: after orchestrator's own retries and fallbacks,
 * {@code x-should-retry: false} (the OpenAI SDKs then do not multiply the provider calls); with a
 * throttle, {@code retry-after} and the exact {@code retry-after-ms}; and the setting to turn the hint off.
 */
class ClientRetryHintsTest {
  private static final String YAML = """
      providers:
        retry: {maxAttempts: 2, initialBackoff: 1ms, maxBackoff: 2ms}
        a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small}
        b: {baseUrl: "${SIM:b}", apiKeyRequired: false, model: sim-small}
      """;
  private TestGateway gw;

  @AfterEach
  void stop() {
    if (gw != null) gw.close();
  }

  @Test
  void afterRetriesAndFallbacksTheClientIsToldNotToRetry() {
    gw = TestGateway.start(YAML);
    gw.simulate("a", "{\"fault\":\"error\",\"errorStatus\":500}");
    gw.simulate("b", "{\"fault\":\"error\",\"errorStatus\":503}");
    HttpResponse<String> r = gw.post("/v1/chat/completions", TestGateway.chat("sim-small"));
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(gw.simStats("a").path("requests").asInt() + gw.simStats("b").path("requests").asInt()).isEqualTo(4);
    assertThat(r.headers().firstValue("x-should-retry")).hasValue("false");
  }

  @Test
  void theHintCanBeTurnedOff() {
    gw = TestGateway.start(YAML.replace("providers:", "routing: {shouldRetryHeader: false}\nproviders:"));
    gw.simulate("a", "{\"fault\":\"error\",\"errorStatus\":500}");
    gw.simulate("b", "{\"fault\":\"error\",\"errorStatus\":500}");
    HttpResponse<String> r = gw.post("/v1/chat/completions", TestGateway.chat("sim-small"));
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.headers().firstValue("x-should-retry")).isEmpty();
  }

  @Test
  void aThrottleIsPassedOnWithRetryAfterAndRetryAfterMs() {
    gw = TestGateway.start(YAML.replace("maxAttempts: 2", "maxAttempts: 1"));
    gw.simulate("a", "{\"fault\":\"rate_limit\",\"retryAfterMs\":2500}");
    gw.simulate("b", "{\"fault\":\"rate_limit\",\"retryAfterMs\":4200}");
    HttpResponse<String> r = gw.post("/v1/chat/completions", TestGateway.chat("sim-small"));
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.headers().firstValue("retry-after-ms")).hasValue("2500"); // the soonest of the two
    assertThat(r.headers().firstValue("retry-after")).hasValue("3");
  }
}
