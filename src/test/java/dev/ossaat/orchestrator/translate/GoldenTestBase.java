package dev.ossaat.orchestrator.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.ossaat.orchestrator.exchange.WireFormat;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Golden-file tests of one codec pair, through the real gateway over HTTP against the simulator: a
 * client of format {@link #client()} talks to the gateway, whose one provider (scenario
 * {@value #SCENARIO}) speaks {@link #provider()}. Each case records what the provider received (the
 * simulator's {@code last-request}) and what the client got back, normalised (see {@link Normaliser}),
 * and compares it with {@code src/test/resources/golden/<pair>/<case>.json}.
 *
 * <p><b>Regenerating the golden files.</b> Run the tests with {@code -Dgolden.update=true}, e.g.
 * {@code mvn -B -q -o test -Dtest='dev.ossaat.orchestrator.translate.*GoldenTest' -Dgolden.update=true}:
 * every case then writes its file instead of comparing (the case's other assertions still run). Review
 * the diff ({@code git diff src/test/resources/golden}) against the providers' API references before
 * committing it: a golden file is a claim that this is what the wire should carry.
 *
 * <p>Streams are kept as a list of events ({@code {"event": name, "data": json}}, the {@code [DONE]}
 * marker as the string {@code "[DONE]"}); the raw text must consist of whole events.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GoldenTestBase {
  static final String SCENARIO = "golden";
  static final String PROVIDER_KEY = "sk-golden-provider-0001";
  static final String CONTENT = "Hello from the simulator.";
  static final String OPENAI_MODEL = "gpt-4o-mini";
  static final String ANTHROPIC_MODEL = "claude-sonnet-4-5";
  static final boolean UPDATE = Boolean.getBoolean("golden.update");
  static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");

  /** Provider request headers kept in a golden file: the ones the wire format defines. */
  private static final Set<String> PROVIDER_HEADERS =
      Set.of("content-type", "authorization", "x-api-key", "anthropic-version", "anthropic-beta", "accept");
  /** Client response headers kept in a golden file. */
  private static final Set<String> CLIENT_HEADERS = Set.of("content-type", "retry-after");

  TestGateway gw;

  abstract WireFormat client();

  abstract WireFormat provider();

  /** The folder of this pair's golden files. */
  abstract String pair();

  /** The model the client asks for: the provider's own, so no name is swapped. */
  String model() {
    return provider() == WireFormat.ANTHROPIC ? ANTHROPIC_MODEL : OPENAI_MODEL;
  }

  String clientPath() {
    return client() == WireFormat.ANTHROPIC ? "/v1/messages" : "/v1/chat/completions";
  }

  boolean passThrough() {
    return client() == provider();
  }

  @BeforeAll
  void startGateway() {
    gw = TestGateway.start("""
        providers:
          retry: {maxAttempts: 1}
          circuitBreaker: {threshold: 10000}
          %s:
            type: %s
            baseUrl: ${SIM:%s}
            apiKey: %s
            model: %s
            models: [%s]
        """.formatted(SCENARIO, provider().label(), SCENARIO, PROVIDER_KEY, model(), model()));
  }

  @AfterAll
  void stopGateway() {
    if (gw != null) gw.close();
  }

  // ----------------------------------------------------------------- simulator profiles

  /** The standard profile: credential required, 3 chunks, no latency, fixed usage; {@code extra} JSON fields added. */
  void profile(String extra) {
    String base = "\"requireApiKey\":\"" + PROVIDER_KEY + "\",\"content\":\"" + CONTENT
        + "\",\"chunks\":3,\"latencyMs\":0,\"chunkIntervalMs\":0,\"promptTokens\":10,\"completionTokens\":20";
    gw.simulate(SCENARIO, "{" + base + (extra.isEmpty() ? "" : "," + extra) + "}");
  }

  void profile() {
    profile("");
  }

  // ----------------------------------------------------------------- exchanges

  /** What the client got back. */
  record ClientAnswer(int status, Map<String, List<String>> headers, String body, boolean stream) {
    JsonNode json() {
      return parse(body);
    }

    /** The stream as events; asserts it is made of whole events. */
    ArrayNode events() {
      return sseEvents(body);
    }

    String header(String name) {
      List<String> v = headers.get(name);
      return v == null || v.isEmpty() ? null : v.get(0);
    }
  }

  ClientAnswer send(String body) {
    HttpResponse<String> r = client() == WireFormat.ANTHROPIC
        ? gw.post(clientPath(), body, "anthropic-version", "2023-06-01")
        : gw.post(clientPath(), body);
    boolean stream = r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream");
    return new ClientAnswer(r.statusCode(), r.headers().map(), r.body(), stream);
  }

  /** The simulator's echo of the last request it received. */
  ObjectNode lastRequest() {
    HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.simUri("/_sim/scenarios/" + SCENARIO + "/last-request"))
        .GET().build());
    assertThat(r.statusCode()).as("last-request").isEqualTo(200);
    return (ObjectNode) parse(r.body());
  }

  /** The provider request as a golden part: method, path, the format's headers, credential check, body. */
  ObjectNode providerRequestPart(ObjectNode last) {
    ObjectNode out = JSON.createObjectNode();
    out.put("method", last.path("method").asText());
    out.put("path", last.path("path").asText());
    ObjectNode headers = out.putObject("headers");
    last.path("headers").fields().forEachRemaining(e -> {
      if (PROVIDER_HEADERS.contains(e.getKey())) headers.set(e.getKey(), e.getValue());
    });
    out.set("apiKeyMatched", last.get("apiKeyMatched"));
    out.set("body", last.get("body"));
    if (last.has("assistantThinking")) out.set("assistantThinking", last.get("assistantThinking"));
    return out;
  }

  ObjectNode clientAnswerPart(ClientAnswer answer) {
    ObjectNode out = JSON.createObjectNode();
    out.put("status", answer.status());
    ObjectNode headers = out.putObject("headers");
    answer.headers().forEach((name, values) -> {
      if (CLIENT_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0));
    });
    if (answer.stream()) {
      out.set("events", answer.events());
    } else {
      out.set("body", answer.body().isEmpty() ? TextNode.valueOf("") : answer.json());
    }
    return out;
  }

  /** One request and its answer, as a golden document: {@code {"providerRequest":..., "clientAnswer":...}}. */
  record Recorded(ClientAnswer answer, ObjectNode last, ObjectNode golden) {}

  Recorded exchange(String requestBody) {
    ClientAnswer answer = send(requestBody);
    ObjectNode last = lastRequest();
    ObjectNode golden = JSON.createObjectNode();
    golden.set("clientRequest", parse(requestBody));
    golden.set("providerRequest", providerRequestPart(last));
    golden.set("clientAnswer", clientAnswerPart(answer));
    return new Recorded(answer, last, golden);
  }

  /** Records an exchange, compares it with the golden file {@code name}, and returns it for further checks. */
  Recorded golden(String name, String requestBody) {
    Recorded r = exchange(requestBody);
    assertGolden(name, r.golden());
    return r;
  }

  // ----------------------------------------------------------------- golden files

  void assertGolden(String name, JsonNode actual) {
    JsonNode normalised = Normaliser.normalise(actual);
    Path file = GOLDEN.resolve(pair()).resolve(name + ".json");
    try {
      if (UPDATE) {
        Files.createDirectories(file.getParent());
        Files.writeString(file, PRETTY.writeValueAsString(normalised) + "\n", StandardCharsets.UTF_8);
        return;
      }
      assertThat(file).as("golden file %s (run with -Dgolden.update=true to create it)", file).exists();
      JsonNode expected = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
      if (!expected.equals(normalised)) {
        assertThat(PRETTY.writeValueAsString(normalised)).as("golden file %s", file)
            .isEqualTo(PRETTY.writeValueAsString(expected));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ----------------------------------------------------------------- metrics

  /** The provider's token counters: prompt, completion, cache_read, cache_write, reasoning. */
  record Tokens(long prompt, long completion, long cacheRead, long cacheWrite, long reasoning) {
    Tokens minus(Tokens o) {
      return new Tokens(prompt - o.prompt, completion - o.completion, cacheRead - o.cacheRead, cacheWrite - o.cacheWrite,
          reasoning - o.reasoning);
    }
  }

  Tokens tokens() {
    var m = gw.metrics();
    return new Tokens(
        (long) m.sum("orchestrator_provider_tokens_total", "provider", SCENARIO, "type", "prompt"),
        (long) m.sum("orchestrator_provider_tokens_total", "provider", SCENARIO, "type", "completion"),
        (long) m.sum("orchestrator_provider_token_details_total", "provider", SCENARIO, "type", "cache_read"),
        (long) m.sum("orchestrator_provider_token_details_total", "provider", SCENARIO, "type", "cache_write"),
        (long) m.sum("orchestrator_provider_token_details_total", "provider", SCENARIO, "type", "reasoning"));
  }

  /** Waits (bounded) until the counters moved by exactly {@code expected} since {@code before}: accounting runs after the answer is sent. */
  void assertTokensMoved(Tokens before, Tokens expected) {
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(tokens().minus(before)).isEqualTo(expected));
  }

  // ----------------------------------------------------------------- JSON and SSE

  static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /** Splits an SSE body into events; every event must end with a blank line. */
  static ArrayNode sseEvents(String body) {
    assertThat(body).as("an SSE body ends with a blank line").endsWith("\n\n");
    ArrayNode out = JSON.createArrayNode();
    for (String raw : body.split("\n\n")) {
      if (raw.isEmpty()) continue;
      ObjectNode event = JSON.createObjectNode();
      StringBuilder data = null;
      for (String line : raw.split("\n")) {
        if (line.startsWith("event:")) {
          event.put("event", line.substring(6).strip());
        } else if (line.startsWith("data:")) {
          String value = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
          data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        } else if (!line.startsWith(":")) {
          throw new AssertionError("not an SSE line: '" + line + "' in\n" + body);
        }
      }
      if (data != null) {
        String d = data.toString();
        event.set("data", d.startsWith("{") ? parse(d) : TextNode.valueOf(d));
      }
      out.add(event);
    }
    return out;
  }

  /** The data objects of the events named {@code type} (Anthropic) or of all data events when null. */
  static List<JsonNode> data(ArrayNode events, String type) {
    List<JsonNode> out = new java.util.ArrayList<>();
    for (JsonNode e : events) {
      if (type == null || type.equals(e.path("event").asText(null))) {
        if (e.has("data")) out.add(e.get("data"));
      }
    }
    return out;
  }

  /** The text of a JSON value, for string fields. */
  static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  /**
   * Strips what changes from run to run: ids the simulator numbers per process ({@code msg_sim_7},
   * {@code chatcmpl-sim-7}, {@code call_sim_7}, {@code toolu_sim_7}, {@code req_sim_7}) get {@code N}
   * for the number, {@code created} timestamps become 0. Everything else is kept as received.
   */
  static final class Normaliser {
    private static final Pattern SIM_IDS = Pattern.compile("(msg_sim_|chatcmpl-sim-|call_sim_|toolu_sim_|tooluse_sim_|req_sim_|chatcmpl-bedrock-|chatcmpl-ollama-|msg_bedrock-|msg_ollama-)\\d+");

    private Normaliser() {}

    static JsonNode normalise(JsonNode node) {
      JsonNode copy = node.deepCopy();
      return walk(copy);
    }

    private static JsonNode walk(JsonNode node) {
      if (node.isTextual()) return TextNode.valueOf(ids(node.textValue()));
      if (node instanceof ObjectNode o) {
        Iterator<Map.Entry<String, JsonNode>> fields = o.fields();
        List<Map.Entry<String, JsonNode>> entries = new java.util.ArrayList<>();
        fields.forEachRemaining(entries::add);
        for (Map.Entry<String, JsonNode> e : entries) {
          if (e.getKey().equals("created") && e.getValue().isNumber()) {
            o.put("created", 0);
          } else {
            o.set(e.getKey(), walk(e.getValue()));
          }
        }
        return o;
      }
      if (node instanceof ArrayNode a) {
        for (int i = 0; i < a.size(); i++) a.set(i, walk(a.get(i)));
        return a;
      }
      return node;
    }

    static String ids(String text) {
      Matcher m = SIM_IDS.matcher(text);
      return m.replaceAll(r -> Matcher.quoteReplacement(r.group(1) + "N"));
    }
  }
}
