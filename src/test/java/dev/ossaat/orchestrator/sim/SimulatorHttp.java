package dev.ossaat.orchestrator.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/** A real simulator per test class, driven over real HTTP; each test gets a scenario named after it. */
abstract class SimulatorHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String DEFAULT_CONTENT = SimProfile.defaults().content();
  private static final Pattern ANTHROPIC_EVENT = Pattern.compile("event: ([a-z_]+)\ndata: (\\{.*})");

  static Vertx vertx;
  static ProviderSimulator simulator;
  static HttpClient http;

  /** This test's own scenario, so tests never see each other's profiles or counters. */
  String scenario;

  @BeforeAll
  static void startSimulator() {
    vertx = Vertx.vertx();
    simulator = ProviderSimulator.start(vertx, "127.0.0.1", 0).await();
    http = newClient();
  }

  @AfterAll
  static void stopSimulator() {
    simulator.close().await();
    vertx.close().await();
  }

  @BeforeEach
  void nameScenario(TestInfo test) {
    scenario = test.getTestMethod().orElseThrow().getName();
  }

  static HttpClient newClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
  }

  void configure(SimProfile profile) {
    simulator.configure(scenario, profile);
  }

  /** A JSON POST to this test's scenario, {@code endpoint} below {@code /v1/}. */
  HttpRequest.Builder post(String endpoint, String json) {
    return request(URI.create(simulator.baseUrl(scenario) + "/" + endpoint))
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(json));
  }

  /** A POST as Anthropic's SDK sends it: with the {@code anthropic-version} header. */
  HttpRequest.Builder anthropic(String endpoint, String json) {
    return post(endpoint, json).header("anthropic-version", "2023-06-01");
  }

  static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + simulator.port() + path);
  }

  /** A request that gives up after 5 s, so a simulator bug fails a test instead of hanging the build. */
  static HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
  }

  static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.build(), BodyHandlers.ofString());
  }

  static JsonNode json(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The payloads of the {@code data: } events of a whole OpenAI stream body. */
  static List<String> openAiEvents(String body) {
    assertThat(body).endsWith("\n\n");
    List<String> events = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      assertThat(event).startsWith("data: ");
      events.add(event.substring("data: ".length()));
    }
    return events;
  }

  /** One Anthropic SSE event: its {@code event:} name and its parsed {@code data:}. */
  record SseEvent(String type, JsonNode data) {}

  /**
   * The events of a whole Anthropic stream body, checking the framing: every event is exactly
   * {@code event: <type>\ndata: <json>\n\n}, and the data's own type is the event's.
   */
  static List<SseEvent> anthropicEvents(String body) {
    assertThat(body).endsWith("\n\n");
    List<SseEvent> events = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      Matcher matcher = ANTHROPIC_EVENT.matcher(event);
      assertThat(matcher.matches()).as("framing of %s", event).isTrue();
      JsonNode data = json(matcher.group(2));
      assertThat(data.path("type").asText()).as("data type of %s", event).isEqualTo(matcher.group(1));
      events.add(new SseEvent(matcher.group(1), data));
    }
    return events;
  }

  static List<String> types(List<SseEvent> events) {
    return events.stream().map(SseEvent::type).toList();
  }

  static long millis(long nanos) {
    return Duration.ofNanos(nanos).toMillis();
  }
}
