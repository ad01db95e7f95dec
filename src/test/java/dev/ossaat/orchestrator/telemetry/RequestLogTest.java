package dev.ossaat.orchestrator.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.testkit.LogCapture;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The request log line as operators get it: real requests through the gateway, formatted with the
 * shipped logback pattern (LogCapture), read back field by field. Client-supplied values (tenant,
 * user, model) with spaces, quotes or a newline stay inside their own field on their own line, and the
 * runbook's {@code grep tokens | sort -k5 -n} still sorts the requests by total tokens.
 */
class RequestLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A user id that would forge a second request line, were the newline written as is. */
  private static final String FORGING_USER = "eve\n2001-01-01T00:00:00.000Z INFO request forged 99999 tokens tenant=root";
  private static final String QUOTING_TENANT = "o'neil \"the\" \\tenant\\";
  private static final String QUOTING_MODEL = "sim-small\" x=1";
  private static final Pattern LINE_START = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (TRACE|DEBUG|INFO|WARN|ERROR) .*");

  private static TestGateway gw;
  private static LogCapture log;
  private static List<String> captured;
  private static String plainId;
  private static String fallbackId;
  private static String smallId;
  private static String oddModelId;

  private static String chat(String model, String user) {
    ObjectNode body = JSON.createObjectNode().put("model", model);
    if (user != null) body.put("user", user);
    body.putArray("messages").addObject().put("role", "user").put("content", "Say hello");
    return body.toString();
  }

  private static String id(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return r.headers().firstValue("x-request-id").orElseThrow();
  }

  @BeforeAll
  static void fourRequests() {
    log = new LogCapture();
    gw = TestGateway.start("""
        providers:
          retry: {maxAttempts: 1}
          alpha: {baseUrl: "${SIM:alpha}", apiKey: sk-log-secret-424242, model: sim-small}
          beta: {baseUrl: "${SIM:beta}", apiKeyRequired: false, model: sim-small}
        """);
    gw.simulate("alpha", "{\"promptTokens\":20,\"completionTokens\":10}");
    gw.simulate("beta", "{\"promptTokens\":500,\"completionTokens\":700}");
    plainId = id(gw.post("/v1/chat/completions", chat("sim-small", null), "x-tenant-id", "acme"), 200);

    gw.simulate("alpha", "{\"fault\":\"error\",\"errorStatus\":502,\"faultCount\":1,\"promptTokens\":3,\"completionTokens\":2}");
    fallbackId = id(gw.post("/v1/chat/completions", chat("sim-small", FORGING_USER), "x-tenant-id", "acme corp"), 200);
    smallId = id(gw.post("/v1/chat/completions", chat("sim-small", null), "x-tenant-id", QUOTING_TENANT), 200);
    gw.simulate("alpha", "{\"promptTokens\":100,\"completionTokens\":0}");
    // A model no provider lists is passed on as asked, so the line carries the client's own text.
    oddModelId = id(gw.post("/v1/chat/completions", chat(QUOTING_MODEL, null), "x-tenant-id", "acme"), 200);

    // The line is written when the request ends, which may be just after the client has its answer.
    await().atMost(Duration.ofSeconds(20)).until(() -> log.grep(" tokens ").size() >= 4);
    captured = log.lines();
  }

  @AfterAll
  static void stop() {
    try {
      if (gw != null) gw.close();
    } finally {
      log.close();
    }
  }

  /** One parsed line: the positional words before the first key=value, then the fields, unescaped. */
  record Line(String raw, List<String> words, Map<String, String> fields) {
    String field(String key) {
      assertThat(fields).as(raw).containsKey(key);
      return fields.get(key);
    }
  }

  /**
   * Reads a line the way the layout promises it can be read: words separated by single spaces; a
   * value is a plain token or a double-quoted string with {@code \" \\ \n \r \t \\uXXXX} escapes.
   */
  static Line parse(String raw) {
    List<String> words = new ArrayList<>();
    Map<String, String> fields = new LinkedHashMap<>();
    int i = 0;
    while (i < raw.length()) {
      int eq = -1;
      int j = i;
      while (j < raw.length() && raw.charAt(j) != ' ' && raw.charAt(j) != '"') {
        if (raw.charAt(j) == '=' && eq < 0) eq = j;
        j++;
      }
      if (eq < 0) {
        assertThat(j == raw.length() || raw.charAt(j) == ' ').as("a bare quote in %s", raw).isTrue();
        assertThat(fields).as("a positional word after the fields in %s", raw).isEmpty();
        words.add(raw.substring(i, j));
        i = j + 1;
        continue;
      }
      String key = raw.substring(i, eq);
      StringBuilder value = new StringBuilder();
      j = eq + 1;
      if (j < raw.length() && raw.charAt(j) == '"') {
        j++;
        while (true) {
          assertThat(j).as("an unterminated quote in %s", raw).isLessThan(raw.length());
          char c = raw.charAt(j++);
          if (c == '"') break;
          if (c == '\\') {
            char e = raw.charAt(j++);
            switch (e) {
              case 'n' -> value.append('\n');
              case 'r' -> value.append('\r');
              case 't' -> value.append('\t');
              case 'u' -> {
                value.append((char) Integer.parseInt(raw.substring(j, j + 4), 16));
                j += 4;
              }
              default -> value.append(e);
            }
          } else {
            value.append(c);
          }
        }
        assertThat(j == raw.length() || raw.charAt(j) == ' ').as("text glued to a quoted value in %s", raw).isTrue();
      } else {
        while (j < raw.length() && raw.charAt(j) != ' ') {
          assertThat(raw.charAt(j)).as("a quote inside a plain value in %s", raw).isNotEqualTo('"');
          value.append(raw.charAt(j++));
        }
      }
      assertThat(fields.put(key, value.toString())).as("field %s twice in %s", key, raw).isNull();
      i = j + 1;
    }
    return new Line(raw, words, fields);
  }

  private static Line requestLine(String requestId) {
    List<String> lines = captured.stream().filter(l -> l.matches("\\S+ \\S+ request .*"))
        .filter(l -> l.endsWith(" id=" + requestId) || l.contains(" id=" + requestId + " ")).toList();
    assertThat(lines).as("the lines of request %s", requestId).hasSize(1);
    return parse(lines.get(0));
  }

  @Test
  void everyCapturedLineIsOneWholeEventStartingWithTimestampAndLevel() {
    assertThat(captured).isNotEmpty().allSatisfy(l -> assertThat(l).matches(LINE_START));
    assertThat(captured).noneMatch(l -> l.startsWith("2001-01-01"));
    assertThat(String.join("\n", captured)).doesNotContain("sk-log-secret-424242");
  }

  @Test
  void aServedRequestsLineHasItsFieldsInTheDocumentedOrder() {
    Line l = requestLine(plainId);
    assertThat(l.words()).hasSize(6);
    assertThat(l.words().subList(1, 6)).containsExactly("INFO", "request", "alpha", "30", "tokens");
    assertThat(l.words().get(0)).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(l.fields().keySet()).containsExactly("model", "tenant", "user", "status", "prompt", "completion",
        "cache_read", "cache_write", "reasoning", "estimated", "cost_usd", "latency_ms", "operation", "stream",
        "attempts", "cache", "http_status", "id");
    assertThat(l.fields()).containsEntry("model", "sim-small").containsEntry("tenant", "acme")
        .containsEntry("status", "success").containsEntry("prompt", "20").containsEntry("completion", "10")
        .containsEntry("cache_read", "0").containsEntry("estimated", "false").containsEntry("stream", "false")
        .containsEntry("attempts", "1").containsEntry("cache", "miss").containsEntry("http_status", "200")
        .containsEntry("id", plainId);
    assertThat(Long.parseLong(l.field("latency_ms"))).isNotNegative();
    assertThat(l.field("user")).isNotBlank().doesNotContain(" ");
  }

  @Test
  void clientValuesWithSpacesQuotesAndNewlinesStayInsideTheirField() {
    Line fallback = requestLine(fallbackId);
    assertThat(fallback.words().subList(1, 6)).containsExactly("INFO", "request", "beta", "1200", "tokens");
    assertThat(fallback.field("tenant")).isEqualTo("acme corp");
    assertThat(fallback.field("user")).isEqualTo(FORGING_USER);
    assertThat(fallback.raw()).contains(" tenant=\"acme corp\" ").doesNotContain("\n");
    assertThat(fallback.fields()).containsEntry("attempts", "2").containsEntry("status", "success")
        .doesNotContainKey("forged");
    assertThat(fallback.field("tenant")).isNotEqualTo("root"); // the forged tenant=root stayed inside user

    Line small = requestLine(smallId);
    assertThat(small.words().subList(3, 5)).containsExactly("alpha", "5");
    assertThat(small.field("tenant")).isEqualTo(QUOTING_TENANT);

    Line odd = requestLine(oddModelId);
    assertThat(odd.words().subList(1, 6)).containsExactly("INFO", "request", "alpha", "100", "tokens");
    assertThat(odd.field("model")).isEqualTo(QUOTING_MODEL);
    assertThat(odd.raw()).contains(" model=\"sim-small\\\" x=1\" tenant=acme ");
    assertThat(odd.fields()).doesNotContainKey("x").containsEntry("status", "success");
  }

  @Test
  void grepErrorAndTheProviderFindsItsFailedAttempt() {
    List<String> alphaErrors = captured.stream().filter(l -> l.contains("ERROR")).filter(l -> l.contains("alpha")).toList();
    assertThat(alphaErrors).hasSize(1);
    Line attempt = parse(alphaErrors.get(0));
    assertThat(attempt.words().subList(1, 5)).containsExactly("ERROR", "attempt", "alpha", "failed");
    assertThat(attempt.fields()).containsEntry("error_type", "server_error").containsEntry("http_status", "502")
        .containsEntry("model", "sim-small").containsEntry("id", fallbackId).containsEntry("next", "beta");
  }

  /** {@code sort -k5 -n}: the key runs from field 5 to the end of the line, compared by its leading number. */
  private static long sortKey(String line) {
    Matcher m = Pattern.compile("^\\s*(?:\\S+\\s+){4}(-?\\d+)").matcher(line);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  @Test
  void grepTokensSortK5NSortsTheRequestsByTotalTokens() throws Exception {
    List<String> usage = captured.stream().filter(l -> l.contains("tokens")).toList();
    assertThat(usage).hasSize(4).allMatch(l -> parse(l).words().get(2).equals("request"));
    List<String> expectedIds = List.of(smallId, plainId, oddModelId, fallbackId); // 5, 30, 100, 1200 tokens
    List<String> byKey = usage.stream().sorted(Comparator.comparingLong(RequestLogTest::sortKey)).toList();
    assertThat(byKey).extracting(l -> parse(l).fields().get("id")).containsExactlyElementsOf(expectedIds);

    // And the command itself, on the text as written (lexically "100" < "1200" < "30" < "5": -n matters).
    Process sort = new ProcessBuilder("sort", "-k5", "-n").redirectErrorStream(true).start();
    sort.getOutputStream().write((String.join("\n", usage) + "\n").getBytes(StandardCharsets.UTF_8));
    sort.getOutputStream().close();
    List<String> sorted;
    try {
      sorted = new String(sort.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertThat(sort.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(sort.exitValue()).isZero();
    assertThat(sorted).extracting(l -> parse(l).fields().get("id")).containsExactlyElementsOf(expectedIds);
  }

  /** cost_usd is printed without String.format; it must read exactly as %.6f would have printed it. */
  @Test
  void costIsPrintedAsSixDecimals() {
    double[] samples = {0, 0.0000004, 0.0000005, 0.0000015, 0.000001, 0.000123, 0.0012345, 0.1, 1.5, 12.3456789,
        999.9999996, 123456.000001, 3.0e-5, 7.25e-4};
    for (double d : samples) {
      assertThat(RequestLog.dollars(d)).as("%s", d).isEqualTo(String.format(java.util.Locale.ROOT, "%.6f", d));
    }
    java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 10_000; i++) {
      double d = random.nextDouble() * Math.pow(10, random.nextInt(8) - 5);
      assertThat(RequestLog.dollars(d)).as("%s", d).isEqualTo(String.format(java.util.Locale.ROOT, "%.6f", d));
    }
  }
}
