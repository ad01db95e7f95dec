package dev.ossaat.orchestrator.api;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static dev.ossaat.orchestrator.testkit.TestGateway.streamingChat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ossaat.orchestrator.testkit.Metrics;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A client that goes away cancels the upstream call, and its usage is still recorded. */
class ClientDisconnectTest {
  private TestGateway gw;

  @BeforeEach
  void start() {
    gw = TestGateway.start("""
        providers:
          alpha: {baseUrl: "${SIM:alpha}", apiKeyRequired: false, model: sim-small}
        """);
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  /** Sends a raw request and returns the open socket, so the test decides when the client leaves. */
  private Socket open(String body) throws Exception {
    Socket socket = new Socket("127.0.0.1", gw.gateway.port());
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    OutputStream out = socket.getOutputStream();
    out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(bytes);
    out.flush();
    return socket;
  }

  @Test
  void leavingMidStreamCancelsTheUpstreamAndKeepsTheUsage() throws Exception {
    gw.simulate("alpha", "{\"chunks\":20,\"chunkIntervalMs\":200}");
    try (Socket socket = open(streamingChat("sim-small", false))) {
      InputStream in = socket.getInputStream();
      StringBuilder seen = new StringBuilder();
      while (!seen.toString().contains("data: {")) seen.append((char) in.read());
    }
    await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
        assertThat(gw.simStats("alpha").path("clientClosedEarly").asLong()).isEqualTo(1));
    await().atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
      Metrics m = gw.metrics();
      assertThat(m.sum("orchestrator_provider_requests_total", "provider", "alpha", "status", "cancelled", "error_type", "cancelled")).isEqualTo(1);
      assertThat(m.sum("orchestrator_provider_requests_total", "status", "error")).isZero();
      assertThat(m.sum("orchestrator_provider_estimated_tokens_total", "provider", "alpha", "type", "prompt")).isPositive();
      assertThat(m.sum("orchestrator_inflight_requests", "provider", "alpha")).isZero();
    });
  }

  @Test
  void leavingBeforeTheAnswerCancelsTheUpstream() throws Exception {
    gw.simulate("alpha", "{\"latencyMs\":5000}");
    long start = System.nanoTime();
    try (Socket socket = open(chat("sim-small"))) {
      await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
          assertThat(gw.simStats("alpha").path("inFlight").asInt()).isEqualTo(1));
    }
    await().atMost(Duration.ofSeconds(3)).untilAsserted(() ->
        assertThat(gw.simStats("alpha").path("clientClosedEarly").asLong()).isEqualTo(1));
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(4_000);
    await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
        assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "status", "cancelled")).isEqualTo(1));
  }
}
