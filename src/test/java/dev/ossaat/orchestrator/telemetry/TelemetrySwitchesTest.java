package dev.ossaat.orchestrator.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ossaat.orchestrator.testkit.LogCapture;
import dev.ossaat.orchestrator.testkit.Metrics;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code metrics.enabled: false} and {@code logging.requestLog: false} (the benchmark's "bare" row),
 * through the real server: requests still succeed and are still priced, but no per-request provider
 * series appears on /metrics and no request line is written. A gateway with the defaults, side by
 * side, shows both (so the absence is not the test failing to look).
 */
class TelemetrySwitchesTest {
  private static final String CHAT = "{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  private static final String STREAM = "{\"model\":\"sim-small\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  private static final String PROVIDERS = """
      providers:
        sim: {baseUrl: "${SIM:switches}", apiKeyRequired: false, model: sim-small}
      """;

  private static LogCapture log;
  private static TestGateway bare;
  private static TestGateway full;

  @BeforeAll
  static void start() {
    log = new LogCapture();
    bare = TestGateway.start(PROVIDERS + """
        metrics: {enabled: false}
        logging: {requestLog: false}
        """);
    full = TestGateway.start(PROVIDERS);
  }

  @AfterAll
  static void stop() {
    try {
      if (bare != null) bare.close();
      if (full != null) full.close();
    } finally {
      log.close();
    }
  }

  private static String id(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.headers().firstValue("x-request-id").orElseThrow();
  }

  @Test
  void switchedOffThereIsNoProviderSeriesAndNoRequestLine() {
    String bareId = id(bare.post("/v1/chat/completions", CHAT));
    String bareStreamId = id(bare.post("/v1/chat/completions", STREAM));
    assertThat(bare.post("/v1/chat/completions", STREAM).body()).contains("data: [DONE]");
    String fullId = id(full.post("/v1/chat/completions", CHAT));

    // The defaults' line arrives (it is written when the request ends, just after the answer)...
    await().atMost(Duration.ofSeconds(20)).until(() -> !log.grep(fullId).isEmpty());
    assertThat(log.grep(fullId).get(0)).contains(" tokens ");
    // ...and the bare gateway's requests, which ended before it, never get one.
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
        .until(() -> log.grep(bareId).isEmpty() && log.grep(bareStreamId).isEmpty());

    Metrics on = full.metrics();
    assertThat(on.sum("orchestrator_provider_requests_total", "provider", "sim")).isEqualTo(1);
    assertThat(on.sum("orchestrator_provider_tokens_total", "provider", "sim")).isPositive();

    Metrics off = bare.metrics();
    assertThat(off.samples("orchestrator_provider_requests_total")).isEmpty();
    assertThat(off.samples("orchestrator_provider_latency_seconds_count")).isEmpty();
    assertThat(off.samples("orchestrator_provider_tokens_total")).isEmpty();
    assertThat(off.samples("orchestrator_provider_cost_dollars_total")).isEmpty();
    // State gauges stay: operators still see the breaker and the calls in flight.
    assertThat(off.samples("orchestrator_provider_circuit_breaker_state")).isNotEmpty();
  }

  @Test
  void unknownKeysUnderLoggingAreRefused() {
    assertThat(org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
        () -> TestGateway.start(PROVIDERS + "logging: {requestlog: false}\n").close()).toString())
        .contains("requestlog");
  }
}
