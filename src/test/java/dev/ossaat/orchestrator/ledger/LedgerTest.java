package dev.ossaat.orchestrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.LedgerDatabase;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of request leaves one ledger row with the right values, in a real PostgreSQL, through
 * the real server; the record is durable (in the spool or the database) by the time the answer has
 * arrived; {@code GET /v1/usage} gives the ledger's own sums.
 */
class LedgerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN = "ledger-admin-token-0001";
  private static LedgerDatabase db;
  private static TestGateway gw;
  @TempDir
  static Path spool;

  @BeforeAll
  static void start() {
    db = new LedgerDatabase();
    gw = TestGateway.start("""
        admin: {token: %s}
        cache: {enabled: true, type: memory}
        ledger:
          enabled: true
          url: %s
          spoolDir: %s
          shipInterval: 100ms
          retryDelay: 200ms
        providers:
          retry: {maxAttempts: 1}
          alpha:
            baseUrl: ${SIM:alpha}
            apiKey: sk-alpha-ledger-0001
            model: gpt-4o-mini
            models: [gpt-4o-mini, sim-unpriced]
          anthro:
            type: anthropic
            baseUrl: ${SIM:anthro}
            apiKey: sk-ant-ledger-0001
            model: claude-sonnet-4-5
            models: [claude-sonnet-4-5]
        routing:
          unknownModel: reject
        """.formatted(ADMIN, db.url(), spool));
    gw.simulate("anthro", """
        {"chunks":3,"promptTokens":1000,"cachedPromptTokens":600,"cacheCreationTokens":200,"completionTokens":50}""");
  }

  @AfterAll
  static void stop() {
    if (gw != null) gw.close();
    if (db != null) db.close();
  }

  /** A chat of its own (the cache is on: a repeated body would be a hit). */
  private static String chat(String content) {
    return "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
  }

  private static Map<String, Object> row(String requestId) {
    await().atMost(Duration.ofSeconds(20)).until(() -> !db.query("SELECT 1 FROM usage_ledger WHERE request_id = ?", requestId).isEmpty());
    List<Map<String, Object>> rows = db.query("SELECT * FROM usage_ledger WHERE request_id = ?", requestId);
    assertThat(rows).hasSize(1);
    return rows.get(0);
  }

  /** Answered means durable: the record is in a spool segment, or (shipped before we looked) in the database. */
  private static void assertDurable(String requestId) throws IOException {
    boolean spooled;
    try (Stream<Path> files = Files.list(spool)) {
      spooled = files.filter(f -> f.getFileName().toString().startsWith("seg-")).anyMatch(f -> {
        try {
          return Files.readString(f).contains("\"requestId\":\"" + requestId + "\"");
        } catch (IOException e) {
          return false; // shipped and deleted while we read
        }
      });
    }
    if (!spooled) assertThat(db.query("SELECT 1 FROM usage_ledger WHERE request_id = ?", requestId)).hasSize(1);
  }

  @Test
  void aPlainRequestIsOneRowWithItsTokensCostAndCaller() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", chat("a plain request for the ledger"), "x-request-id", "led-plain-1",
        "x-tenant-id", "acme", "x-user-id", "alice");
    assertThat(r.statusCode()).isEqualTo(200);
    assertDurable("led-plain-1");
    Map<String, Object> row = row("led-plain-1");
    assertThat(row).containsEntry("tenant_id", "acme").containsEntry("user_id", "alice").containsEntry("key_id", "")
        .containsEntry("route", "chat_completions").containsEntry("ingress", "openai").containsEntry("provider", "alpha")
        .containsEntry("model", "gpt-4o-mini").containsEntry("upstream_model", "gpt-4o-mini")
        .containsEntry("prompt_tokens", 10L).containsEntry("completion_tokens", 20L).containsEntry("status", "success")
        .containsEntry("http_status", 200).containsEntry("estimated", false).containsEntry("cache_hit", false)
        .containsEntry("stream", false).containsEntry("attempts", 1);
    assertThat(row.get("error_type")).isNull();
    // gpt-4o-mini: $0.15 in, $0.60 out per million.
    assertThat((BigDecimal) row.get("cost_usd")).isEqualByComparingTo(new BigDecimal("0.0000135"));
  }

  @Test
  void aStreamIsOneRowWithTheUsageOfItsEnd() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"a stream for the ledger\"}]}",
        "x-request-id", "led-stream-1", "x-tenant-id", "acme", "x-user-id", "bob");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("[DONE]");
    assertDurable("led-stream-1");
    Map<String, Object> row = row("led-stream-1");
    assertThat(row).containsEntry("stream", true).containsEntry("status", "success").containsEntry("prompt_tokens", 10L)
        .containsEntry("completion_tokens", 20L).containsEntry("estimated", false).containsEntry("user_id", "bob");
  }

  @Test
  void aFailedRequestIsARowWithItsErrorType() throws Exception {
    gw.simulate("alpha", "{\"fault\":\"error\"}");
    try {
      HttpResponse<String> r = gw.post("/v1/chat/completions", chat("fail"), "x-request-id", "led-fail-1",
          "x-tenant-id", "acme");
      assertThat(r.statusCode()).isEqualTo(502);
      assertDurable("led-fail-1");
    } finally {
      gw.simulate("alpha", "{}");
    }
    Map<String, Object> row = row("led-fail-1");
    assertThat(row).containsEntry("status", "error").containsEntry("http_status", 502).containsEntry("error_type", "server_error")
        .containsEntry("provider", "alpha").containsEntry("prompt_tokens", 0L);
  }

  @Test
  void aRefusalBeforeAnyProviderIsARowToo() {
    HttpResponse<String> r = gw.post("/v1/chat/completions", TestGateway.chat("no-such-model"), "x-request-id", "led-refused-1");
    assertThat(r.statusCode()).isEqualTo(404);
    Map<String, Object> row = row("led-refused-1");
    assertThat(row).containsEntry("provider", "none").containsEntry("status", "error").containsEntry("http_status", 404)
        .containsEntry("tenant_id", "default").containsEntry("model", "no-such-model");
    assertThat(row.get("upstream_model")).isNull();
    assertThat((BigDecimal) row.get("cost_usd")).isEqualByComparingTo(BigDecimal.ZERO);
  }

  @Test
  void aCacheHitIsARowOfItsOwnAtNoCost() {
    String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"cache me, ledger\"}]}";
    assertThat(gw.post("/v1/chat/completions", body, "x-request-id", "led-cache-miss", "x-tenant-id", "cachers").statusCode())
        .isEqualTo(200);
    HttpResponse<String> hit = gw.post("/v1/chat/completions", body, "x-request-id", "led-cache-hit", "x-tenant-id", "cachers");
    assertThat(hit.headers().firstValue("x-orchestrator-cache")).hasValue("hit");
    assertThat(row("led-cache-miss")).containsEntry("cache_hit", false).containsEntry("provider", "alpha");
    Map<String, Object> row = row("led-cache-hit");
    assertThat(row).containsEntry("cache_hit", true).containsEntry("provider", "cache").containsEntry("status", "success")
        .containsEntry("prompt_tokens", 0L);
    assertThat((BigDecimal) row.get("cost_usd")).isEqualByComparingTo(BigDecimal.ZERO);
  }

  @Test
  void anAnthropicClientsStreamKeepsEveryTokenKindAndItsExactCost() throws Exception {
    HttpResponse<String> r = gw.post("/v1/messages",
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
        "anthropic-version", "2023-06-01", "x-request-id", "led-anthropic-1", "x-tenant-id", "globex", "x-user-id", "carol");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("event: message_stop");
    assertDurable("led-anthropic-1");
    Map<String, Object> row = row("led-anthropic-1");
    assertThat(row).containsEntry("route", "messages").containsEntry("ingress", "anthropic").containsEntry("provider", "anthro")
        .containsEntry("prompt_tokens", 1000L).containsEntry("completion_tokens", 50L).containsEntry("cache_read_tokens", 600L)
        .containsEntry("cache_write_tokens", 200L).containsEntry("stream", true);
    // Sonnet 4.5: input 3, cache read 0.30, cache write 3.75, output 15 ($ per million).
    double dollars = (200 * 3.0 + 600 * 0.30 + 200 * 3.75 + 50 * 15.0) / 1_000_000;
    assertThat(((BigDecimal) row.get("cost_usd")).doubleValue()).isCloseTo(dollars, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void usageEndpointGivesTheLedgersOwnSums() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(gw.post("/v1/chat/completions", chat("usage " + i), "x-request-id", "led-usage-" + i,
          "x-tenant-id", "initech", "x-user-id", i == 0 ? "dave" : "erin").statusCode()).isEqualTo(200);
    }
    for (int i = 0; i < 3; i++) row("led-usage-" + i);
    HttpResponse<String> r = gw.get("/v1/usage?tenant=initech&group_by=user", "authorization", "Bearer " + ADMIN);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.path("data")).hasSize(2);
    assertThat(body.path("data").get(0).path("user").asText()).isEqualTo("dave");
    assertThat(body.path("data").get(0).path("requests").asLong()).isEqualTo(1);
    assertThat(body.path("data").get(1).path("user").asText()).isEqualTo("erin");
    assertThat(body.path("data").get(1).path("total_tokens").asLong()).isEqualTo(60);
    Map<String, Object> sums = db.query("SELECT count(*) AS n, sum(prompt_tokens) AS p, sum(cost_usd) AS c FROM usage_ledger"
        + " WHERE tenant_id = 'initech'").get(0);
    assertThat(body.path("total").path("requests").asLong()).isEqualTo(((Number) sums.get("n")).longValue());
    assertThat(body.path("total").path("prompt_tokens").asLong()).isEqualTo(((Number) sums.get("p")).longValue());
    assertThat(body.path("total").path("cost_usd").decimalValue()).isEqualByComparingTo((BigDecimal) sums.get("c"));

    HttpResponse<String> byDay = gw.get("/v1/usage?from=2020-01-01&tenant=initech", "authorization", "Bearer " + ADMIN);
    assertThat(JSON.readTree(byDay.body()).path("data").get(0).path("day").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(JSON.readTree(byDay.body()).path("group_by").toString()).isEqualTo("[\"tenant\",\"user\",\"model\",\"day\"]");
  }

  @Test
  void usageEndpointRefusesWithoutTheAdminTokenAndRejectsBadParameters() throws Exception {
    HttpResponse<String> none = gw.get("/v1/usage");
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(none.body()).path("error").path("type").asText()).isEqualTo("authentication_error");
    assertThat(gw.get("/v1/usage", "authorization", "Bearer wrong").statusCode()).isEqualTo(403);
    HttpResponse<String> bad = gw.get("/v1/usage?group_by=planet", "authorization", "Bearer " + ADMIN);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(bad.body()).path("error").path("message").asText()).contains("unknown group_by 'planet'");
    assertThat(gw.get("/v1/usage?from=yesterday", "authorization", "Bearer " + ADMIN).statusCode()).isEqualTo(400);
  }

  @Test
  void theLedgerMetricsCountRowsWritten() {
    assertThat(gw.post("/v1/chat/completions", chat("metrics"), "x-request-id", "led-metrics-1").statusCode())
        .isEqualTo(200);
    row("led-metrics-1");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      var m = gw.metrics();
      assertThat(m.sum("orchestrator_ledger_rows_written_total")).isGreaterThanOrEqualTo(1);
      assertThat(m.sum("orchestrator_ledger_database_up")).isEqualTo(1.0);
      assertThat(m.sum("orchestrator_ledger_spool_max_bytes")).isEqualTo((double) (1L << 30));
    });
  }

  @Test
  void aStreamWhoseClientLeftIsARowWithItsEstimatedUsage() throws Exception {
    gw.simulate("alpha", "{\"chunks\":20,\"chunkIntervalMs\":200}");
    try {
      String body = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"leave early\"}]}";
      byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gw.gateway.port())) {
        java.io.OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "X-Request-Id: led-left-1\r\nX-Tenant-Id: leavers\r\nContent-Length: " + bytes.length + "\r\n\r\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        java.io.InputStream in = socket.getInputStream();
        StringBuilder seen = new StringBuilder();
        while (!seen.toString().contains("data: {")) seen.append((char) in.read());
      } // the client leaves mid-stream
      Map<String, Object> row = row("led-left-1");
      assertThat(row).containsEntry("status", "cancelled").containsEntry("http_status", 499)
          .containsEntry("error_type", "cancelled").containsEntry("estimated", true).containsEntry("stream", true)
          .containsEntry("tenant_id", "leavers");
      assertThat((Long) row.get("prompt_tokens")).isPositive();
    } finally {
      gw.simulate("alpha", "{}");
    }
  }
}
