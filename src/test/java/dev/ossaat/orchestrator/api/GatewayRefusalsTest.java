package dev.ossaat.orchestrator.api;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ossaat.orchestrator.testkit.LogCapture;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the HTTP layer answers itself: HEAD probes, a request id on every answer, one request log line
 * and one count per refusal, and client mistakes that write no stack trace and no ERROR line.
 */
class GatewayRefusalsTest {
  private static final Duration WAIT = Duration.ofSeconds(3);
  private static TestGateway gw;

  @BeforeAll
  static void start() {
    gw = TestGateway.start("""
        server: {maxBodyBytes: 2048}
        providers:
          alpha: {baseUrl: "${SIM:alpha}", apiKeyRequired: false, model: sim-small}
        """);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  private static double requests(String route, int code) {
    return gw.metrics().sum("orchestrator_http_requests_total", "route", route, "code", Integer.toString(code));
  }

  @Test
  void headOnHealthAndReadinessAnswersLikeGetWithoutABody() throws Exception {
    for (String path : List.of("/healthz", "/readyz")) {
      HttpResponse<String> get = gw.get(path);
      try (RawHttp client = new RawHttp(gw.gateway.port())) {
        client.send("HEAD " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        RawHttp.Ending end = client.readUntilClosed(5_000);
        assertThat(end.received()).startsWith("HTTP/1.1 " + get.statusCode()).endsWith("\r\n\r\n")
            .containsIgnoringCase("x-request-id: ");
      }
    }
  }

  @Test
  void everyAnswerCarriesARequestId() throws Exception {
    List<HttpResponse<String>> answers = List.of(
        gw.get("/healthz"), gw.get("/metrics"), gw.get("/v1/models"), gw.get("/v1/nothing-here"), gw.get("/nothing"),
        gw.get("/v1/chat/completions"), gw.post("/v1/chat/completions", "{\"model\": "),
        gw.post("/v1/chat/completions", chat("sim-small").replace("Say hello", "x".repeat(4096))),
        gw.post("/v1/messages", "{}"), gw.post("/v1/chat/completions", chat("sim-small")));
    for (HttpResponse<String> r : answers) {
      assertThat(r.headers().firstValue("x-request-id")).as(r.uri() + " " + r.statusCode()).isPresent()
          .hasValueSatisfying(id -> assertThat(id).matches("[A-Za-z0-9._:-]{1,64}"));
    }
    // The client's own id when it is sane, a fresh one instead of anything else.
    assertThat(gw.get("/v1/nothing-here", "x-request-id", "abc-123").headers().firstValue("x-request-id")).hasValue("abc-123");
    assertThat(gw.get("/v1/nothing-here", "x-request-id", "bad id!").headers().firstValue("x-request-id"))
        .hasValueSatisfying(id -> assertThat(id).matches("[0-9a-f]{32}"));
    // Errors of the Anthropic path also carry request-id, as Anthropic's SDKs expect.
    HttpResponse<String> anthropic = gw.send(HttpRequest.newBuilder(gw.uri("/v1/messages")).GET().build());
    assertThat(anthropic.statusCode()).isEqualTo(405);
    assertThat(anthropic.headers().firstValue("request-id")).isEqualTo(anthropic.headers().firstValue("x-request-id"));
  }

  @Test
  void refusalsOfTheRouterWriteOneRequestLineAndAreCounted() throws Exception {
    double before404 = requests("other", 404);
    double before405 = requests("chat_completions", 405);
    double before413 = requests("chat_completions", 413);
    try (LogCapture log = new LogCapture()) {
      assertThat(gw.get("/v1/nothing-here", "x-request-id", "r404").statusCode()).isEqualTo(404);
      assertThat(gw.get("/nowhere", "x-request-id", "r404b").statusCode()).isEqualTo(404);
      assertThat(gw.get("/v1/chat/completions", "x-request-id", "r405").statusCode()).isEqualTo(405);
      assertThat(gw.post("/v1/chat/completions", chat("sim-small").replace("Say hello", "x".repeat(4096)),
          "x-request-id", "r413").statusCode()).isEqualTo(413);
      assertThat(gw.send(HttpRequest.newBuilder(gw.uri("/healthz")).header("x-request-id", "r405b")
          .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode()).isEqualTo(405);
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(ending(log, " id=r404")).hasSize(1).first().asString()
            .contains(" request none 0 tokens ").contains(" status=error ").contains(" http_status=404 ").contains(" operation=other ");
        assertThat(ending(log, " id=r404b")).hasSize(1).first().asString().contains(" http_status=404 ");
        assertThat(ending(log, " id=r405")).hasSize(1).first().asString()
            .contains(" http_status=405 ").contains(" operation=chat_completions ");
        assertThat(ending(log, " id=r405b")).hasSize(1).first().asString().contains(" http_status=405 ");
        assertThat(ending(log, " id=r413")).hasSize(1).first().asString().contains(" http_status=413 ");
      });
    }
    assertThat(requests("other", 404) - before404).isEqualTo(2);
    assertThat(requests("chat_completions", 405) - before405).isEqualTo(1);
    assertThat(requests("chat_completions", 413) - before413).isEqualTo(1);
  }

  @Test
  void requestsTheCodecCannotReadAre414Or431Or400WithALineAndACount() throws Exception {
    double before414 = requests("other", 414);
    double before431 = requests("other", 431);
    double before400 = requests("other", 400);
    try (LogCapture log = new LogCapture()) {
      RawHttp.Ending uri;
      try (RawHttp client = new RawHttp(gw.gateway.port())) {
        uri = client.send("GET /v1/models?q=" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n").readUntilClosed(5_000);
      }
      RawHttp.Ending headers;
      try (RawHttp client = new RawHttp(gw.gateway.port())) {
        headers = client.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nx-request-id: big-one\r\nX-Big: " + "a".repeat(10_000)
            + "\r\n\r\n").readUntilClosed(5_000);
      }
      RawHttp.Ending garbage;
      try (RawHttp client = new RawHttp(gw.gateway.port())) {
        garbage = client.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: nope\r\n\r\n").readUntilClosed(5_000);
      }
      for (RawHttp.Ending e : List.of(uri, headers, garbage)) {
        assertThat(e.closed()).isTrue();
        assertThat(e.received()).containsIgnoringCase("x-request-id: ").containsIgnoringCase("connection: close")
            .containsIgnoringCase("content-type: application/json");
      }
      assertThat(uri.received()).matches("(?s)HTTP/1\\.[01] 414.*").contains("\"uri_too_long\"");
      assertThat(headers.received()).matches("(?s)HTTP/1\\.[01] 431.*").contains("\"request_header_fields_too_large\"");
      assertThat(garbage.received()).matches("(?s)HTTP/1\\.[01] 400.*").contains("\"malformed_request\"");
      await().atMost(WAIT).untilAsserted(() -> {
        assertThat(log.grep("request none", "http_status=414")).hasSize(1);
        assertThat(log.grep("request none", "http_status=431")).hasSize(1);
        assertThat(log.grep("request none", "http_status=400")).hasSize(1);
      });
      assertThat(log.lines()).noneMatch(l -> l.contains("\tat ") || l.contains("Exception"));
    }
    assertThat(requests("other", 414) - before414).isEqualTo(1);
    assertThat(requests("other", 431) - before431).isEqualTo(1);
    assertThat(requests("other", 400) - before400).isEqualTo(1);
  }

  @Test
  void aBrokenChunkedBodyIsOne400LineWithoutAStackTrace() throws Exception {
    long simRequests = gw.simStats("alpha").path("requests").asLong();
    try (LogCapture log = new LogCapture()) {
      RawHttp.Ending end;
      try (RawHttp client = new RawHttp(gw.gateway.port())) {
        end = client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "x-request-id: broken-chunks\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\nzz\r\nbroken\r\n").readUntilClosed(5_000);
      }
      assertThat(end.closed()).isTrue();
      await().atMost(WAIT).untilAsserted(() -> assertThat(log.grep("id=broken-chunks")).hasSize(1));
      assertThat(log.grep("id=broken-chunks").get(0)).contains(" request none ").contains(" http_status=400 ");
      assertNoStackTraceAndNoErrorBut(log, "id=broken-chunks");
      if (!end.received().isEmpty()) {
        assertThat(end.received()).startsWith("HTTP/1.1 400").containsIgnoringCase("x-request-id: broken-chunks");
      }
    }
    assertThat(gw.simStats("alpha").path("requests").asLong()).isEqualTo(simRequests);
  }

  @Test
  void aClientThatLeavesMidUploadWritesOneInfoLineAndNoError() throws Exception {
    try (LogCapture log = new LogCapture()) {
      try (RawHttp client = new RawHttp(gw.gateway.port())) {
        client.send("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "x-request-id: left-early\r\nExpect: 100-continue\r\nContent-Length: 1000\r\n\r\n");
        // The 100 Continue says the gateway is reading the body: then half of it, and the client leaves.
        assertThat(client.readResponse(5_000)).startsWith("HTTP/1.1 100");
        client.send("{\"model\":");
      }
      await().atMost(WAIT).untilAsserted(() -> assertThat(log.grep("id=left-early")).hasSize(1));
      assertThat(log.grep("id=left-early").get(0)).contains(" INFO request none ").contains(" status=cancelled ")
          .contains(" http_status=499 ");
      assertNoStackTraceAndNoErrorBut(log, null);
    }
  }

  @Test
  void anExceptionALibraryLogsStaysOnItsEventsLine() {
    try (LogCapture log = new LogCapture()) {
      org.slf4j.LoggerFactory.getLogger("io.vertx.somewhere").error("Unhandled exception in router",
          new IllegalStateException("boom", new RuntimeException("inner")));
      org.slf4j.LoggerFactory.getLogger("orchestrator.http").warn("plain line");
      assertThat(log.lines()).hasSize(2);
      assertThat(log.lines().get(0)).contains(" ERROR Unhandled exception in router exception=java.lang.IllegalStateException: boom at ")
          .doesNotContain("\t");
      assertThat(log.lines().get(1)).endsWith(" WARN plain line");
    }
  }

  private static List<String> ending(LogCapture log, String suffix) {
    return log.lines().stream().filter(l -> l.endsWith(suffix)).toList();
  }

  /**
   * No stack frames, no exception names, and no ERROR line at all: a client's mistake is logged once,
   * as a WARN request line ({@code requestLine}), never as an error of ours.
   */
  private static void assertNoStackTraceAndNoErrorBut(LogCapture log, String requestLine) {
    assertThat(log.lines()).noneMatch(l -> l.contains("\tat ") || l.contains("Exception") || l.startsWith("\t"));
    assertThat(log.lines()).noneMatch(l -> l.contains(" ERROR "));
    if (requestLine != null) {
      assertThat(log.lines()).anyMatch(l -> l.contains(" WARN request none ") && l.contains(requestLine));
    }
  }
}
