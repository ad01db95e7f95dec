package dev.ossaat.orchestrator.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

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
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** Drives a real simulator over real HTTP, one scenario per test. */
class ProviderSimulatorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHAT = "{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String STREAM =
      "{\"model\":\"sim-small\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String STREAM_WITH_USAGE = "{\"model\":\"sim-small\",\"stream\":true,"
      + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String DEFAULT_CONTENT = SimProfile.defaults().content();

  private static Vertx vertx;
  private static ProviderSimulator simulator;
  private static HttpClient http;

  /** This test's own scenario, so tests never see each other's profiles or counters. */
  private String scenario;

  @BeforeAll
  static void startSimulator() {
    vertx = Vertx.vertx();
    simulator = ProviderSimulator.start(vertx, "127.0.0.1", 0).await();
    http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .build();
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

  @Test
  void listensOnAnEphemeralPortAndAdvertisesScenarioBaseUrls() {
    assertThat(simulator.port()).isPositive();
    assertThat(simulator.baseUrl("primary")).isEqualTo("http://127.0.0.1:" + simulator.port() + "/primary/v1");
  }

  @Test
  void nonStreamingCompletionEchoesModelAndReportsUsage() throws Exception {
    HttpResponse<String> response = send(post("chat/completions", CHAT).header("Authorization", "Bearer sk-1"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("id").asText()).startsWith("chatcmpl-sim-");
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("created").asLong()).isPositive();
    assertThat(body.path("model").asText()).isEqualTo("sim-small");
    JsonNode choice = body.path("choices").path(0);
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(choice.path("message").path("content").asText()).isEqualTo(DEFAULT_CONTENT);
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    assertThat(body.path("usage").toString())
        .isEqualTo("{\"prompt_tokens\":10,\"completion_tokens\":20,\"total_tokens\":30}");

    SimStats stats = simulator.stats(scenario);
    assertThat(stats.requests()).isEqualTo(1);
    assertThat(stats.chatRequests()).isEqualTo(1);
    assertThat(stats.streamRequests()).isZero();
    assertThat(stats.inFlight()).isZero();
    assertThat(stats.lastRequestBody()).isEqualTo(CHAT);
    assertThat(stats.lastAuthorization()).isEqualTo("Bearer sk-1");
  }

  @Test
  void plainV1PathIsTheDefaultScenario() throws Exception {
    long before = simulator.stats("default").chatRequests();

    HttpResponse<String> response = send(request(uri("/v1/chat/completions"))
        .POST(BodyPublishers.ofString(CHAT)));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(simulator.stats("default").chatRequests()).isEqualTo(before + 1);
  }

  @Test
  void streamSendsRoleThenContentThenFinishThenDone() throws Exception {
    HttpResponse<String> response = send(post("chat/completions", STREAM));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
    List<String> events = events(response.body());
    assertThat(events).hasSize(7).last().isEqualTo("[DONE]");
    List<JsonNode> chunks = parse(events.subList(0, 6));
    assertThat(chunks).allSatisfy(chunk -> {
      assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(chunk.path("model").asText()).isEqualTo("sim-small");
      assertThat(chunk.path("id").asText()).isEqualTo(chunks.get(0).path("id").asText());
    });
    assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThat(chunks.subList(1, 5)).allSatisfy(chunk ->
        assertThat(chunk.at("/choices/0/delta").has("role")).isFalse());
    assertThat(chunks.subList(0, 5)).allSatisfy(chunk ->
        assertThat(chunk.at("/choices/0/finish_reason").isNull()).isTrue());
    assertThat(contentOf(chunks)).isEqualTo(DEFAULT_CONTENT);
    JsonNode finish = chunks.get(5);
    assertThat(finish.at("/choices/0/delta").isEmpty()).isTrue();
    assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(chunks).noneMatch(chunk -> chunk.has("usage"));
    assertThat(simulator.stats(scenario).streamRequests()).isEqualTo(1);
  }

  @Test
  void streamEndsWithAUsageChunkWhenAskedFor() throws Exception {
    simulator.configure(scenario, SimProfile.defaults().withChunks(2).withPromptTokens(7).withCompletionTokens(3));

    List<String> events = events(send(post("chat/completions", STREAM_WITH_USAGE)).body());

    assertThat(events).hasSize(5).last().isEqualTo("[DONE]");
    JsonNode usageChunk = JSON.readTree(events.get(3));
    assertThat(usageChunk.path("choices").isEmpty()).isTrue();
    assertThat(usageChunk.path("usage").toString())
        .isEqualTo("{\"prompt_tokens\":7,\"completion_tokens\":3,\"total_tokens\":10}");
  }

  @Test
  void omitUsageNeverReportsUsage() throws Exception {
    simulator.configure(scenario, SimProfile.defaults().withOmitUsage(true));

    List<String> streamed = events(send(post("chat/completions", STREAM_WITH_USAGE)).body());
    JsonNode completion = JSON.readTree(send(post("chat/completions", CHAT)).body());
    JsonNode embeddings = JSON.readTree(send(post("embeddings", "{\"model\":\"e\",\"input\":\"x\"}")).body());

    assertThat(streamed).hasSize(7).last().isEqualTo("[DONE]");
    assertThat(parse(streamed.subList(0, 6))).noneMatch(chunk -> chunk.has("usage"));
    assertThat(completion.has("usage")).isFalse();
    assertThat(completion.at("/choices/0/message/content").asText()).isEqualTo(DEFAULT_CONTENT);
    assertThat(embeddings.has("usage")).isFalse();
  }

  @Test
  void chunksAreWrittenAsTheyAreProduced() throws Exception {
    simulator.configure(scenario, SimProfile.defaults().withTtftMs(300).withChunks(4).withChunkIntervalMs(150));

    HttpResponse<Stream<String>> response = http.send(post("chat/completions", STREAM).build(), BodyHandlers.ofLines());
    long headersAt = System.nanoTime();
    List<Long> dataLinesAt = new ArrayList<>();
    try (Stream<String> lines = response.body()) {
      lines.filter(line -> line.startsWith("data: ")).forEach(line -> dataLinesAt.add(System.nanoTime()));
    }

    assertThat(dataLinesAt).hasSize(6); // 4 content chunks, finish, [DONE]
    assertThat(millis(dataLinesAt.get(0) - headersAt))
        .as("the headers came first, the first chunk a time-to-first-token later")
        .isGreaterThanOrEqualTo(250);
    assertThat(millis(dataLinesAt.get(3) - dataLinesAt.get(0)))
        .as("the first chunk arrived while the last was still 3 intervals away")
        .isGreaterThanOrEqualTo(400);
  }

  @Test
  void latencyDelaysTheResponse() throws Exception {
    simulator.configure(scenario, SimProfile.defaults().withLatencyMs(300).withJitterMs(50));

    long start = System.nanoTime();
    HttpResponse<String> response = send(post("chat/completions", CHAT));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(millis(System.nanoTime() - start)).isBetween(300L, 2_000L);
  }

  @Test
  void errorFaultAnswersWithTheConfiguredStatusInOpenAiShape() throws Exception {
    simulator.configure(scenario, SimProfile.defaults().withFault(Fault.ERROR).withErrorStatus(503));
    HttpResponse<String> serverError = send(post("chat/completions", STREAM));
    simulator.configure(scenario, SimProfile.defaults().withFault(Fault.ERROR).withErrorStatus(400));
    HttpResponse<String> clientError = send(post("embeddings", "{\"model\":\"e\",\"input\":\"x\"}"));

    assertThat(serverError.statusCode()).isEqualTo(503);
    assertThat(serverError.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(serverError.body()).isEqualTo(
        "{\"error\":{\"message\":\"simulated upstream error\",\"type\":\"server_error\",\"code\":null}}");
    assertThat(clientError.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(clientError.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(simulator.stats(scenario).faultsInjected()).isEqualTo(2);
  }

  @Test
  void faultCountLimitsTheFaultToTheNextNRequests() throws Exception {
    simulator.configure(scenario, SimProfile.defaults().withFault(Fault.ERROR).withErrorStatus(502).withFaultCount(2));

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      statuses.add(send(post("chat/completions", CHAT)).statusCode());
    }

    assertThat(statuses).containsExactly(502, 502, 200, 200);
    assertThat(simulator.stats(scenario).faultsInjected()).isEqualTo(2);
  }

  @Test
  void faultCountHoldsExactlyUnderConcurrency() {
    simulator.configure(scenario, SimProfile.defaults().withFault(Fault.ERROR).withFaultCount(25));

    List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      responses.add(http.sendAsync(post("chat/completions", CHAT).build(), BodyHandlers.ofString()));
    }
    long failed = responses.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 500).count();

    assertThat(failed).isEqualTo(25);
    SimStats stats = simulator.stats(scenario);
    assertThat(stats.requests()).isEqualTo(100);
    assertThat(stats.faultsInjected()).isEqualTo(25);
    assertThat(stats.inFlight()).isZero();
  }

  @Test
  void faultRateZeroNeverFaultsAndOneAlwaysDoes() throws Exception {
    simulator.configure(scenario, SimProfile.defaults().withFault(Fault.ERROR).withFaultRate(0.0));
    List<Integer> never = statusesOf(10);
    simulator.configure(scenario, SimProfile.defaults().withFault(Fault.ERROR).withFaultRate(1.0));
    List<Integer> always = statusesOf(10);

    assertThat(never).containsOnly(200);
    assertThat(always).containsOnly(500);
    assertThat(simulator.stats(scenario).faultsInjected()).isEqualTo(10);
  }

  @Test
  void rateLimitSendsRetryHeadersWhenConfigured() throws Exception {
    simulator.configure(scenario,
        SimProfile.defaults().withFault(Fault.RATE_LIMIT).withRetryAfterSeconds(2).withRetryAfterMs(1500));
    HttpResponse<String> withHints = send(post("chat/completions", CHAT));
    simulator.configure(scenario, SimProfile.defaults().withFault(Fault.RATE_LIMIT));
    HttpResponse<String> withoutHints = send(post("chat/completions", CHAT));

    assertThat(withHints.statusCode()).isEqualTo(429);
    assertThat(withHints.headers().firstValue("retry-after")).hasValue("2");
    assertThat(withHints.headers().firstValue("retry-after-ms")).hasValue("1500");
    assertThat(withHints.body()).isEqualTo(
        "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}");
    assertThat(withoutHints.statusCode()).isEqualTo(429);
    assertThat(withoutHints.headers().firstValue("retry-after")).isEmpty();
    assertThat(withoutHints.headers().firstValue("retry-after-ms")).isEmpty();
  }

  @Test
  void hangNeverAnswersAndCountsTheClientGivingUp() {
    simulator.configure(scenario, SimProfile.defaults().withFault(Fault.HANG));

    assertThatThrownBy(() -> send(post("chat/completions", CHAT).timeout(Duration.ofMillis(300))))
        .isInstanceOf(HttpTimeoutException.class);

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      SimStats stats = simulator.stats(scenario);
      assertThat(stats.clientClosedEarly()).isEqualTo(1);
      assertThat(stats.inFlight()).isZero();
    });
    assertThat(simulator.stats(scenario).faultsInjected()).isEqualTo(1);
  }

  @Test
  void clientLeavingMidStreamIsCountedAsClosedEarly() throws Exception {
    simulator.configure(scenario, SimProfile.defaults().withChunks(20).withChunkIntervalMs(100));

    HttpResponse<Stream<String>> response = http.send(post("chat/completions", STREAM).build(), BodyHandlers.ofLines());
    try (Stream<String> lines = response.body()) {
      assertThat(lines.filter(line -> line.startsWith("data: ")).findFirst()).isPresent();
    } // closing the stream early cancels the body and drops the connection

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      SimStats stats = simulator.stats(scenario);
      assertThat(stats.clientClosedEarly()).isEqualTo(1);
      assertThat(stats.inFlight()).isZero();
    });
  }

  @Test
  void resetClosesTheConnectionWithoutAResponse() {
    simulator.configure(scenario, SimProfile.defaults().withFault(Fault.RESET));

    assertThatThrownBy(() -> send(post("chat/completions", CHAT))).isInstanceOf(IOException.class);

    SimStats stats = simulator.stats(scenario);
    assertThat(stats.faultsInjected()).isEqualTo(1);
    assertThat(stats.clientClosedEarly()).isZero();
    assertThat(stats.inFlight()).isZero();
  }

  @Test
  void cutStreamStopsAfterSomeChunksWithoutDone() throws Exception {
    simulator.configure(scenario, SimProfile.defaults().withFault(Fault.CUT_STREAM).withCutAfterChunks(2));

    HttpResponse<Stream<String>> response = http.send(post("chat/completions", STREAM).build(), BodyHandlers.ofLines());
    List<String> received = new ArrayList<>();
    boolean failed = false;
    try (Stream<String> lines = response.body()) {
      Iterator<String> it = lines.iterator();
      while (it.hasNext()) {
        received.add(it.next());
      }
    } catch (UncheckedIOException e) {
      failed = true;
    }

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(failed).as("the stream ends in an I/O error").isTrue();
    List<String> events = received.stream().filter(line -> line.startsWith("data: ")).toList();
    assertThat(events).hasSize(2).noneMatch(event -> event.contains("[DONE]") || event.contains("\"stop\""));
    assertThat(simulator.stats(scenario).clientClosedEarly()).isZero();
  }

  @Test
  void cutStreamAfterZeroChunksSendsOnlyTheHeaders() throws Exception {
    simulator.configure(scenario,
        SimProfile.defaults().withFault(Fault.CUT_STREAM).withCutAfterChunks(0).withTtftMs(50));

    HttpResponse<Stream<String>> response = http.send(post("chat/completions", STREAM).build(), BodyHandlers.ofLines());

    assertThat(response.statusCode()).isEqualTo(200);
    try (Stream<String> lines = response.body()) {
      assertThatThrownBy(() -> lines.forEach(line -> { })).isInstanceOf(UncheckedIOException.class);
    }
  }

  @Test
  void cutStreamTruncatesANonStreamingBody() {
    simulator.configure(scenario, SimProfile.defaults().withFault(Fault.CUT_STREAM));

    assertThatThrownBy(() -> send(post("chat/completions", CHAT))).isInstanceOf(IOException.class);
    assertThat(simulator.stats(scenario).faultsInjected()).isEqualTo(1);
  }

  @Test
  void requireApiKeyRejectsOtherCredentials() throws Exception {
    simulator.configure(scenario, SimProfile.defaults().withRequireApiKey("sk-right"));

    HttpResponse<String> missing = send(post("chat/completions", CHAT));
    HttpResponse<String> wrong = send(post("chat/completions", CHAT).header("Authorization", "Bearer sk-wrong"));
    HttpResponse<String> right = send(post("chat/completions", CHAT).header("Authorization", "Bearer sk-right"));

    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.body()).isEqualTo("{\"error\":{\"message\":\"Incorrect API key provided\","
        + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
    assertThat(right.statusCode()).isEqualTo(200);
    assertThat(simulator.stats(scenario).lastAuthorization()).isEqualTo("Bearer sk-right");
  }

  @Test
  void embeddingsReturnOneDeterministicVectorPerInput() throws Exception {
    JsonNode single = JSON.readTree(send(post("embeddings", "{\"model\":\"emb\",\"input\":\"same\"}")).body());
    JsonNode batch = JSON.readTree(
        send(post("embeddings", "{\"model\":\"emb\",\"input\":[\"same\",\"other\",\"same\"]}")).body());

    assertThat(single.path("object").asText()).isEqualTo("list");
    assertThat(single.path("model").asText()).isEqualTo("emb");
    assertThat(single.path("data")).hasSize(1);
    JsonNode vector = single.at("/data/0/embedding");
    assertThat(vector).hasSize(8).allSatisfy(value -> assertThat(value.asDouble()).isBetween(-0.5, 0.5));
    assertThat(single.path("usage").toString()).isEqualTo("{\"prompt_tokens\":10,\"total_tokens\":10}");
    assertThat(batch.path("data")).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(batch.at("/data/" + i + "/index").asInt()).isEqualTo(i);
      assertThat(batch.at("/data/" + i + "/object").asText()).isEqualTo("embedding");
    }
    assertThat(batch.at("/data/0/embedding")).isEqualTo(vector).isEqualTo(batch.at("/data/2/embedding"));
    assertThat(batch.at("/data/1/embedding")).isNotEqualTo(vector);
    assertThat(simulator.stats(scenario).embeddingRequests()).isEqualTo(2);
  }

  @Test
  void modelsListsTheSimulatedModels() throws Exception {
    HttpResponse<String> response = send(request(uri("/" + scenario + "/v1/models")).GET());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("object").asText()).isEqualTo("list");
    assertThat(body.path("data").findValuesAsText("id")).containsExactly("sim-small", "sim-large", "gpt-4o-mini");
    assertThat(body.path("data")).allSatisfy(model -> {
      assertThat(model.path("object").asText()).isEqualTo("model");
      assertThat(model.path("owned_by").asText()).isEqualTo("simulator");
    });
    assertThat(simulator.stats(scenario).requests()).isEqualTo(1);
  }

  @Test
  void controlApiConfiguresInspectsAndResetsAScenario() throws Exception {
    HttpResponse<String> put = send(control().PUT(BodyPublishers.ofString(
        "{\"fault\":\"error\",\"errorStatus\":502,\"faultCount\":1,\"notAField\":true}")));
    assertThat(put.statusCode()).isEqualTo(200);
    JsonNode configured = JSON.readTree(put.body());
    assertThat(configured.path("fault").asText()).isEqualTo("error");
    assertThat(configured.path("errorStatus").asInt()).isEqualTo(502);
    assertThat(configured.path("chunks").asInt()).as("missing fields keep their defaults").isEqualTo(5);
    assertThat(simulator.profile(scenario))
        .isEqualTo(SimProfile.defaults().withFault(Fault.ERROR).withErrorStatus(502).withFaultCount(1));

    assertThat(send(post("chat/completions", CHAT)).statusCode()).isEqualTo(502);
    JsonNode view = JSON.readTree(send(control().GET()).body());
    assertThat(view.at("/profile/errorStatus").asInt()).isEqualTo(502);
    assertThat(view.at("/stats/requests").asInt()).isEqualTo(1);
    assertThat(view.at("/stats/faultsInjected").asInt()).isEqualTo(1);
    assertThat(view.at("/stats/lastRequestBody").asText()).isEqualTo(CHAT);

    HttpResponse<String> post = send(control().POST(BodyPublishers.ofString("{\"latencyMs\":5}")));
    assertThat(JSON.readTree(post.body()).path("fault").asText())
        .as("a new profile replaces the old").isEqualTo("none");

    JsonNode reset = JSON.readTree(send(control().DELETE()).body());
    assertThat(reset.at("/profile/latencyMs").asInt()).isZero();
    assertThat(reset.at("/stats/requests").asInt()).isZero();
    assertThat(simulator.profile(scenario)).isEqualTo(SimProfile.defaults());
  }

  @Test
  void controlApiRejectsInvalidProfiles() throws Exception {
    for (String invalid : List.of("{not json", "[1]", "{\"chunks\":0}", "{\"fault\":\"bogus\"}", "{\"faultRate\":2}")) {
      HttpResponse<String> response = send(control().PUT(BodyPublishers.ofString(invalid)));
      assertThat(response.statusCode()).as(invalid).isEqualTo(400);
      assertThat(JSON.readTree(response.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
    }
    HttpResponse<String> invalidChunks = send(control().PUT(BodyPublishers.ofString("{\"chunks\":0}")));
    assertThat(JSON.readTree(invalidChunks.body()).at("/error/message").asText())
        .isEqualTo("Invalid simulator profile: chunks must be at least 1, was 0");
    assertThat(simulator.profile(scenario)).isEqualTo(SimProfile.defaults());
  }

  @Test
  void malformedRequestsGetOpenAi400s() throws Exception {
    List<String> invalid = List.of(
        "{not json",
        "{\"messages\":[]}",
        "{\"model\":\"m\"}",
        "{\"model\":42,\"messages\":[]}");
    for (String body : invalid) {
      HttpResponse<String> response = send(post("chat/completions", body));
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(JSON.readTree(response.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
    }
    assertThat(send(post("embeddings", "{\"model\":\"m\"}")).statusCode()).isEqualTo(400);
    assertThat(simulator.stats(scenario).requests()).isEqualTo(5);
    assertThat(simulator.stats(scenario).inFlight()).isZero();
  }

  @Test
  void unknownPathsAre404AndWrongMethods405() throws Exception {
    HttpResponse<String> unknown = send(request(uri("/" + scenario + "/v1/completions"))
        .POST(BodyPublishers.ofString(CHAT)));
    HttpResponse<String> root = send(request(uri("/")).GET());
    HttpResponse<String> wrongMethod = send(request(uri("/v1/chat/completions")).GET());

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(unknown.body()).at("/error/code").asText()).isEqualTo("unknown_url");
    assertThat(root.statusCode()).isEqualTo(404);
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
  }

  @Test
  void profileJsonUsesCamelCaseAndDefaultsMissingFields() throws Exception {
    SimProfile profile = SimProfile.defaults().withFault(Fault.RATE_LIMIT).withRetryAfterMs(250).withChunks(3);

    JsonNode json = JSON.valueToTree(profile);
    assertThat(json.path("fault").asText()).isEqualTo("rate_limit");
    assertThat(json.path("retryAfterMs").asInt()).isEqualTo(250);
    assertThat(json.path("cutAfterChunks").asInt()).isEqualTo(2);
    assertThat(JSON.treeToValue(json, SimProfile.class)).isEqualTo(profile);
    assertThat(JSON.readValue("{\"fault\":\"cut_stream\",\"extra\":1}", SimProfile.class))
        .isEqualTo(SimProfile.defaults().withFault(Fault.CUT_STREAM));
    assertThat(JSON.readValue("{}", SimProfile.class)).isEqualTo(SimProfile.defaults());
  }

  @Test
  void cliRejectsBadArgumentsAndParsesProfileFlags() {
    assertThat(SimulatorCli.run(new String[] {"--port", "http"})).isEqualTo(2);
    assertThat(SimulatorCli.run(new String[] {"--bogus", "1"})).isEqualTo(2);
    assertThat(SimulatorCli.run(new String[] {"--port"})).isEqualTo(2);

    SimulatorCli.Options options = SimulatorCli.Options.parse(new String[] {
        "--host", "0.0.0.0", "--port", "9000", "--latency-ms", "3", "--chunks", "7", "--chunk-interval-ms", "2"});
    assertThat(options.host()).isEqualTo("0.0.0.0");
    assertThat(options.port()).isEqualTo(9000);
    assertThat(options.profile())
        .isEqualTo(SimProfile.defaults().withLatencyMs(3).withChunks(7).withChunkIntervalMs(2));
  }

  @Test
  void customDefaultProfileAppliesToEveryScenarioAndReset() throws Exception {
    SimProfile slowAndShort = SimProfile.defaults().withContent("ok").withChunks(1);
    ProviderSimulator custom = ProviderSimulator.start(vertx, "127.0.0.1", 0, slowAndShort).await();
    try {
      custom.configure("x", SimProfile.defaults());
      custom.reset("x");
      assertThat(custom.profile("x")).isEqualTo(slowAndShort);
      HttpResponse<String> response = http.send(request(
          URI.create(custom.baseUrl("y") + "/chat/completions")).POST(BodyPublishers.ofString(CHAT)).build(),
          BodyHandlers.ofString());
      assertThat(JSON.readTree(response.body()).at("/choices/0/message/content").asText()).isEqualTo("ok");
    } finally {
      custom.close().await();
    }
  }

  @Test
  void closeDropsHangingRequestsAndFreesThePort() {
    ProviderSimulator doomed = ProviderSimulator.start(vertx, "127.0.0.1", 0,
        SimProfile.defaults().withFault(Fault.HANG)).await();
    URI chat = URI.create(doomed.baseUrl("x") + "/chat/completions");
    CompletableFuture<HttpResponse<String>> hanging =
        http.sendAsync(request(chat).POST(BodyPublishers.ofString(CHAT)).build(), BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(5)).until(() -> doomed.stats("x").inFlight() == 1);

    doomed.close().await();

    assertThat(hanging).failsWithin(Duration.ofSeconds(2));
    assertThatThrownBy(() -> send(request(chat).POST(BodyPublishers.ofString(CHAT))))
        .isInstanceOf(IOException.class);
  }

  private List<Integer> statusesOf(int requests) throws Exception {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      statuses.add(send(post("chat/completions", CHAT)).statusCode());
    }
    return statuses;
  }

  private HttpRequest.Builder post(String endpoint, String json) {
    return request(URI.create(simulator.baseUrl(scenario) + "/" + endpoint))
        .header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(json));
  }

  private HttpRequest.Builder control() {
    return request(uri("/_sim/scenarios/" + scenario));
  }

  private static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + simulator.port() + path);
  }

  /** A request that gives up after 5 s, so a simulator bug fails a test instead of hanging the build. */
  private static HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.build(), BodyHandlers.ofString());
  }

  /** The payloads of the SSE events of a whole stream body. */
  private static List<String> events(String body) {
    assertThat(body).endsWith("\n\n");
    List<String> events = new ArrayList<>();
    for (String event : body.split("\n\n")) {
      assertThat(event).startsWith("data: ");
      events.add(event.substring("data: ".length()));
    }
    return events;
  }

  private static List<JsonNode> parse(List<String> events) throws IOException {
    List<JsonNode> chunks = new ArrayList<>();
    for (String event : events) {
      chunks.add(JSON.readTree(event));
    }
    return chunks;
  }

  private static String contentOf(List<JsonNode> chunks) {
    StringBuilder content = new StringBuilder();
    chunks.forEach(chunk -> content.append(chunk.at("/choices/0/delta/content").asText()));
    return content.toString();
  }

  private static long millis(long nanos) {
    return Duration.ofNanos(nanos).toMillis();
  }
}
