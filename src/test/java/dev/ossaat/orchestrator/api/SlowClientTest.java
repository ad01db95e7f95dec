package dev.ossaat.orchestrator.api;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.testkit.LogCapture;
import dev.ossaat.orchestrator.testkit.Metrics;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow or idle clients cannot hold connections: headers, bodies and idle keep-alive connections have
 * clocks, and connections beyond server.maxConnections are refused at once. Every wait is a read on
 * the socket that ends when the server closes it, bounded.
 */
class SlowClientTest {
  private static final long BOUND = 5_000;
  private TestGateway gw;

  private TestGateway start(String server) {
    gw = TestGateway.start("server: " + server + "\n" + """
        providers:
          alpha: {baseUrl: "${SIM:alpha}", apiKeyRequired: false, model: sim-small}
        """);
    return gw;
  }

  @AfterEach
  void stop() {
    if (gw != null) gw.close();
  }

  private double refused(String reason) {
    return gw.metrics().sum("orchestrator_http_connections_refused_total", "reason", reason);
  }

  @Test
  void halfTheHeadersAndAStallIsClosedWithinTheHeaderTimeout() throws Exception {
    start("{headerTimeout: 300ms, bodyTimeout: 10s, idleTimeout: 10s}");
    try (LogCapture log = new LogCapture(); RawHttp client = new RawHttp(gw.gateway.port())) {
      client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: appl");
      RawHttp.Ending end = client.readUntilClosed(BOUND);
      assertThat(end.closed()).as("closed by the server").isTrue();
      assertThat(end.millis()).isLessThan(3_000);
      assertThat(gw.get("/healthz").statusCode()).isEqualTo(200);
      // Half a request is no request: no request line, nothing but the orchestrator's own lines.
      assertThat(log.grep("request none")).isEmpty();
    }
    assertThat(refused("header_timeout")).isEqualTo(1);
  }

  @Test
  void aConnectionThatSendsNothingIsClosedWithinTheHeaderTimeout() throws Exception {
    start("{headerTimeout: 300ms, bodyTimeout: 10s, idleTimeout: 10s}");
    try (RawHttp client = new RawHttp(gw.gateway.port())) {
      RawHttp.Ending end = client.readUntilClosed(BOUND);
      assertThat(end.closed()).isTrue();
      assertThat(end.received()).isEmpty();
    }
    assertThat(refused("header_timeout")).isEqualTo(1);
  }

  @Test
  void headersAndHalfABodyGet408AndTheConnectionIsClosed() throws Exception {
    start("{headerTimeout: 10s, bodyTimeout: 300ms, idleTimeout: 10s}");
    String body = chat("sim-small");
    try (LogCapture log = new LogCapture(); RawHttp client = new RawHttp(gw.gateway.port())) {
      client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length() + "\r\n\r\n" + body.substring(0, body.length() / 2));
      RawHttp.Ending end = client.readUntilClosed(BOUND);
      assertThat(end.closed()).isTrue();
      assertThat(end.millis()).isLessThan(3_000);
      assertThat(end.received()).startsWith("HTTP/1.1 408").containsIgnoringCase("x-request-id: ")
          .containsIgnoringCase("connection: close").contains("\"request_timeout\"");
      assertThat(gw.simStats("alpha").path("requests").asLong()).isZero();
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3)).untilAsserted(() ->
          assertThat(log.grep("request none", "http_status=408")).hasSize(1));
      assertThat(log.grep("request none")).hasSize(1);
      assertThat(log.lines()).noneMatch(l -> l.contains("\tat ") || l.contains("Exception"));
    }
    assertThat(refused("body_timeout")).isEqualTo(1);
    Metrics m = gw.metrics();
    assertThat(m.sum("orchestrator_http_requests_total", "route", "chat_completions", "code", "408")).isEqualTo(1);
  }

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    start("{headerTimeout: 10s, bodyTimeout: 10s, idleTimeout: 300ms}");
    try (RawHttp client = new RawHttp(gw.gateway.port())) {
      client.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(client.readResponse(BOUND)).startsWith("HTTP/1.1 200");
      RawHttp.Ending end = client.readUntilClosed(BOUND);
      assertThat(end.closed()).isTrue();
      assertThat(end.received()).isEmpty();
    }
    assertThat(refused("idle")).isEqualTo(1);
    assertThat(refused("header_timeout")).isZero();
  }

  @Test
  void aStreamWithGapsLongerThanTheIdleTimeoutIsNotCut() throws Exception {
    start("{headerTimeout: 10s, bodyTimeout: 10s, idleTimeout: 200ms}");
    // Gaps of 400 ms between chunks, twice the idle timeout: idle applies to connections with no
    // request in progress, never to a stream being relayed.
    gw.simulate("alpha", "{\"chunks\":4,\"chunkIntervalMs\":400}");
    String body = TestGateway.streamingChat("sim-small", false);
    try (RawHttp client = new RawHttp(gw.gateway.port())) {
      client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Connection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
      RawHttp.Ending end = client.readUntilClosed(10_000);
      assertThat(end.closed()).isTrue();
      assertThat(end.received()).startsWith("HTTP/1.1 200").contains("data: [DONE]");
    }
    assertThat(refused("idle")).isZero();
  }

  @Test
  void beyondMaxConnectionsANewConnectionIsRefusedAtOnceAndCounted() throws Exception {
    start("{headerTimeout: 10s, bodyTimeout: 10s, idleTimeout: 30s, maxConnections: 5}");
    List<RawHttp> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        RawHttp c = new RawHttp(gw.gateway.port());
        slow.add(c);
        // A first request proves the connection is admitted; then half of the next one, and a stall.
        c.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(c.readResponse(BOUND)).startsWith("HTTP/1.1 200");
        c.send("GET /healthz HTTP/1.1\r\nHost: loc");
      }
      try (RawHttp sixth = new RawHttp(gw.gateway.port())) {
        sixth.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        RawHttp.Ending end = sixth.readUntilClosed(BOUND);
        assertThat(end.closed()).isTrue();
        assertThat(end.received()).isEmpty();
        assertThat(end.millis()).isLessThan(2_000);
      }
    } finally {
      for (RawHttp c : slow) c.close();
    }
    // Once the slow ones are gone, /healthz answers again. The server learns of the closes
    // asynchronously: probes it still refuses are counted, and must be the only other refusals.
    int refusedProbes = 0;
    long deadline = System.nanoTime() + 5_000_000_000L;
    String answer = "";
    while (System.nanoTime() < deadline) {
      try (RawHttp probe = new RawHttp(gw.gateway.port())) {
        probe.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        answer = probe.readUntilClosed(BOUND).received();
      }
      if (answer.startsWith("HTTP/1.1 200")) break;
      refusedProbes++;
    }
    assertThat(answer).startsWith("HTTP/1.1 200");
    assertThat(refused("limit")).isEqualTo(1 + refusedProbes);
    assertThat(gw.metrics().sum("orchestrator_http_connections_open")).isBetween(1.0, 5.0);
  }
}
