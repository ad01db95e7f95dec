package dev.ossaat.orchestrator.api;

import static dev.ossaat.orchestrator.testkit.TestGateway.streamingChat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.Metrics;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private TestGateway gw;

  @BeforeEach
  void start() {
    gw = TestGateway.start("""
        providers:
          alpha: {baseUrl: "${SIM:alpha}", apiKeyRequired: false, model: sim-small, pricing: {sim-small: {prompt: 1, completion: 2}}}
          beta: {baseUrl: "${SIM:beta}", apiKeyRequired: false, model: sim-small}
        """);
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  /** The SSE data payloads of a response, in order. */
  private static List<String> data(String body) {
    List<String> out = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (line.startsWith("data: ")) out.add(line.substring(6));
    }
    return out;
  }

  private static String content(List<String> events) throws Exception {
    StringBuilder text = new StringBuilder();
    for (String e : events) {
      if (e.equals("[DONE]")) continue;
      for (JsonNode choice : JSON.readTree(e).path("choices")) text.append(choice.path("delta").path("content").asText(""));
    }
    return text.toString();
  }

  @Test
  void streamIsRelayedEventByEventAndEndsWithDone() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", streamingChat("sim-small", true));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(r.headers().firstValue("cache-control")).hasValue("no-cache");
    List<String> events = data(r.body());
    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    assertThat(content(events)).isEqualTo("Hello from the simulator.");
    JsonNode usageChunk = JSON.readTree(events.get(events.size() - 2));
    assertThat(usageChunk.path("choices")).isEmpty();
    assertThat(usageChunk.path("usage").path("total_tokens").asInt()).isEqualTo(30);
    Metrics m = gw.metrics();
    assertThat(m.sum("orchestrator_provider_requests_total", "provider", "alpha", "status", "success")).isEqualTo(1);
    assertThat(m.sum("orchestrator_provider_latency_seconds_count", "provider", "alpha", "operation", "chat_stream")).isEqualTo(1);
    assertThat(m.sum("orchestrator_provider_tokens_total", "provider", "alpha", "type", "completion")).isEqualTo(20);
    assertThat(m.sum("orchestrator_provider_estimated_tokens_total")).isZero();
  }

  @Test
  void usageIsAlwaysAskedForButOnlyRelayedWhenTheClientAskedForIt() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", streamingChat("sim-small", false));
    assertThat(r.statusCode()).isEqualTo(200);
    List<String> events = data(r.body());
    assertThat(events).noneMatch(e -> e.contains("\"usage\":{"));
    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    JsonNode upstream = JSON.readTree(gw.simStats("alpha").path("lastRequestBody").asText());
    assertThat(upstream.path("stream_options").path("include_usage").asBoolean()).isTrue();
    // Billed from the provider's report all the same.
    assertThat(gw.metrics().sum("orchestrator_provider_tokens_total", "provider", "alpha", "type", "prompt")).isEqualTo(10);
    assertThat(gw.metrics().sum("orchestrator_provider_cost_dollars_total", "provider", "alpha"))
        .isCloseTo((10 * 1.0 + 20 * 2.0) / 1e6, org.assertj.core.data.Offset.offset(1e-12));
  }

  @Test
  void chunksReachTheClientBeforeTheProviderFinishes() throws Exception {
    gw.simulate("alpha", "{\"chunks\":5,\"chunkIntervalMs\":400}");
    HttpRequest request = HttpRequest.newBuilder(gw.uri("/v1/chat/completions")).timeout(Duration.ofSeconds(20))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(streamingChat("sim-small", false))).build();
    long start = System.nanoTime();
    HttpResponse<Stream<String>> r = gw.http.send(request, HttpResponse.BodyHandlers.ofLines());
    List<Long> arrivals = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    r.body().filter(l -> l.startsWith("data: ")).forEach(l -> {
      arrivals.add((System.nanoTime() - start) / 1_000_000);
      lines.add(l);
    });
    assertThat(lines.get(lines.size() - 1)).isEqualTo("data: [DONE]");
    long first = arrivals.get(0);
    long last = arrivals.get(arrivals.size() - 1);
    // Five chunks 400 ms apart: the first must arrive well before the last is even produced.
    assertThat(last - first).isGreaterThanOrEqualTo(1_200);
  }

  @Test
  void aStreamCutMidAnswerEndsWithAnErrorEventAndCountsAsAnError() throws Exception {
    gw.simulate("alpha", "{\"fault\":\"cut_stream\",\"cutAfterChunks\":2,\"chunks\":5}");
    HttpResponse<String> r = gw.post("/v1/chat/completions", streamingChat("sim-small", true));
    assertThat(r.statusCode()).isEqualTo(200); // the headers had gone out before the cut
    List<String> events = data(r.body());
    assertThat(events).doesNotContain("[DONE]");
    JsonNode last = JSON.readTree(events.get(events.size() - 1));
    assertThat(last.path("error").path("code").asText()).isEqualTo("stream_cut");
    assertThat(last.path("error").path("message").asText()).contains("alpha");
    assertThat(events).hasSize(3); // two content chunks, then the error event
    Metrics m = gw.metrics();
    assertThat(m.sum("orchestrator_provider_requests_total", "provider", "alpha", "status", "error", "error_type", "stream_cut")).isEqualTo(1);
    assertThat(m.sum("orchestrator_provider_requests_total", "status", "success")).isZero();
    // A started stream is never retried elsewhere.
    assertThat(gw.simStats("beta").path("requests").asLong()).isZero();
    // The relayed part is billed, estimated and marked as such.
    assertThat(m.sum("orchestrator_provider_estimated_tokens_total", "provider", "alpha", "type", "completion")).isPositive();
    assertThat(m.sum("orchestrator_provider_tokens_total", "provider", "alpha", "type", "completion"))
        .isEqualTo(m.sum("orchestrator_provider_estimated_tokens_total", "provider", "alpha", "type", "completion"));
  }

  @Test
  void aStreamThatBreaksBeforeItsFirstEventStillFallsBack() throws Exception {
    gw.simulate("alpha", "{\"fault\":\"cut_stream\",\"cutAfterChunks\":0}");
    HttpResponse<String> r = gw.post("/v1/chat/completions", streamingChat("sim-small", false));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-orchestrator-provider")).hasValue("beta");
    assertThat(content(data(r.body()))).isEqualTo("Hello from the simulator.");
    assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "provider", "alpha", "error_type", "network")).isPositive();
  }

  @Test
  void aStreamWithoutUsageIsEstimatedAndMarked() throws Exception {
    gw.simulate("alpha", "{\"omitUsage\":true,\"content\":\"one two three four five six seven eight\"}");
    HttpResponse<String> r = gw.post("/v1/chat/completions", streamingChat("sim-small", true));
    assertThat(data(r.body())).endsWith("[DONE]");
    Metrics m = gw.metrics();
    assertThat(m.sum("orchestrator_provider_requests_total", "provider", "alpha", "status", "success")).isEqualTo(1);
    double completion = m.sum("orchestrator_provider_estimated_tokens_total", "provider", "alpha", "type", "completion");
    assertThat(completion).isBetween(6.0, 12.0);
    assertThat(m.sum("orchestrator_provider_estimated_tokens_total", "provider", "alpha", "type", "prompt")).isPositive();
  }

  @Test
  void aStreamRefusedBeforeItStartsFallsBack() throws Exception {
    gw.simulate("alpha", "{\"fault\":\"error\",\"errorStatus\":503}");
    HttpResponse<String> r = gw.post("/v1/chat/completions", streamingChat("sim-small", false));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-orchestrator-provider")).hasValue("beta");
    assertThat(content(data(r.body()))).isEqualTo("Hello from the simulator.");
    Metrics m = gw.metrics();
    assertThat(m.sum("orchestrator_provider_requests_total", "provider", "alpha", "status", "error", "error_type", "server_error")).isEqualTo(2);
    assertThat(m.sum("orchestrator_provider_retries_total", "provider", "alpha", "reason", "server_error")).isEqualTo(2);
    assertThat(m.sum("orchestrator_provider_requests_total", "provider", "beta", "status", "success")).isEqualTo(1);
  }

  @Test
  void aStreamThatFailsEverywhereBeforeStartingGetsAJsonError() throws Exception {
    gw.simulate("alpha", "{\"fault\":\"error\",\"errorStatus\":500}");
    gw.simulate("beta", "{\"fault\":\"error\",\"errorStatus\":500}");
    HttpResponse<String> r = gw.post("/v1/chat/completions", streamingChat("sim-small", false));
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(JSON.readTree(r.body()).path("error").path("message").asText()).contains("beta");
  }
}
