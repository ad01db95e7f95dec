package dev.ossaat.orchestrator.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Anthropic's Messages API as the simulator speaks it, over real HTTP. */
class AnthropicMessagesTest extends SimulatorHttp {
  private static final String MESSAGE =
      "{\"model\":\"claude-sim\",\"max_tokens\":1024,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String STREAM = "{\"model\":\"claude-sim\",\"max_tokens\":1024,\"stream\":true,"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String TOOLS = "\"tools\":[{\"name\":\"get_weather\",\"description\":\"Weather of a city\","
      + "\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
      + "\"unit\":{\"type\":\"string\"},\"days\":{\"type\":\"integer\"}},\"required\":[\"city\",\"unit\"]}},"
      + "{\"name\":\"get_time\",\"input_schema\":{\"type\":\"object\",\"properties\":{}}}]";
  private static final String DEFAULT_USAGE = "{\"input_tokens\":10,\"output_tokens\":20,"
      + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}";

  @Test
  void plainMessageHasAnthropicsShape() throws Exception {
    HttpResponse<String> response = send(anthropic("messages", MESSAGE));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.headers().firstValue("request-id")).hasValueSatisfying(id -> assertThat(id).startsWith("req_sim_"));
    JsonNode body = json(response.body());
    assertThat(body.path("id").asText()).startsWith("msg_sim_");
    assertThat(body.path("type").asText()).isEqualTo("message");
    assertThat(body.path("role").asText()).isEqualTo("assistant");
    assertThat(body.path("model").asText()).isEqualTo("claude-sim");
    assertThat(body.path("content").toString()).isEqualTo("[{\"type\":\"text\",\"text\":\"" + DEFAULT_CONTENT + "\"}]");
    assertThat(body.path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(body.has("stop_sequence")).isTrue();
    assertThat(body.path("stop_sequence").isNull()).isTrue();
    assertThat(body.path("usage").toString()).isEqualTo(DEFAULT_USAGE);
    SimStats stats = simulator.stats(scenario);
    assertThat(stats.messagesRequests()).isEqualTo(1);
    assertThat(stats.chatRequests()).isZero();
    assertThat(stats.lastRequestBody()).isEqualTo(MESSAGE);
    assertThat(stats.inFlight()).isZero();
  }

  @Test
  void plainV1MessagesIsTheDefaultScenario() throws Exception {
    long before = simulator.stats("default").messagesRequests();

    HttpResponse<String> response = send(request(uri("/v1/messages")).header("anthropic-version", "2023-06-01")
        .POST(BodyPublishers.ofString(MESSAGE)));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(simulator.stats("default").messagesRequests()).isEqualTo(before + 1);
  }

  @Test
  void inputTokensExcludeCacheReadsAndWrites() throws Exception {
    configure(SimProfile.defaults().withPromptTokens(100).withCachedPromptTokens(60).withCacheCreationTokens(30)
        .withReasoningTokens(5));
    JsonNode usage = json(send(anthropic("messages", MESSAGE)).body()).path("usage");
    configure(SimProfile.defaults().withPromptTokens(100).withCachedPromptTokens(80).withCacheCreationTokens(30));
    JsonNode clamped = json(send(anthropic("messages", MESSAGE)).body()).path("usage");

    assertThat(usage.toString()).isEqualTo("{\"input_tokens\":10,\"output_tokens\":20,"
        + "\"cache_creation_input_tokens\":30,\"cache_read_input_tokens\":60}");
    assertThat(clamped.path("input_tokens").asInt()).as("never negative").isZero();
    assertThat(json(send(anthropic("messages/count_tokens", MESSAGE)).body()).toString())
        .isEqualTo("{\"input_tokens\":100}");
  }

  @Test
  void streamSendsTheEventsInAnthropicsOrderAndFraming() throws Exception {
    configure(SimProfile.defaults().withPromptTokens(12).withCachedPromptTokens(2).withCompletionTokens(7));

    HttpResponse<String> response = send(anthropic("messages", STREAM));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(response.headers().firstValue("request-id")).isPresent();
    List<SseEvent> events = anthropicEvents(response.body());
    assertThat(types(events)).containsExactly("message_start", "ping", "content_block_start",
        "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta",
        "content_block_delta", "content_block_stop", "message_delta", "message_stop");
    JsonNode message = events.get(0).data().path("message");
    assertThat(message.path("id").asText()).startsWith("msg_sim_");
    assertThat(message.path("type").asText()).isEqualTo("message");
    assertThat(message.path("role").asText()).isEqualTo("assistant");
    assertThat(message.path("model").asText()).isEqualTo("claude-sim");
    assertThat(message.path("content").toString()).isEqualTo("[]");
    assertThat(message.path("stop_reason").isNull()).isTrue();
    assertThat(message.path("usage").toString()).isEqualTo("{\"input_tokens\":10,\"output_tokens\":1,"
        + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":2}");
    assertThat(events.get(2).data().toString()).isEqualTo(
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    StringBuilder text = new StringBuilder();
    for (SseEvent delta : events.subList(3, 8)) {
      assertThat(delta.data().path("index").asInt()).isZero();
      assertThat(delta.data().at("/delta/type").asText()).isEqualTo("text_delta");
      text.append(delta.data().at("/delta/text").asText());
    }
    assertThat(text.toString()).isEqualTo(DEFAULT_CONTENT);
    assertThat(events.get(8).data().toString()).isEqualTo("{\"type\":\"content_block_stop\",\"index\":0}");
    assertThat(events.get(9).data().toString()).isEqualTo("{\"type\":\"message_delta\","
        + "\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":7}}");
    assertThat(events.get(10).data().toString()).isEqualTo("{\"type\":\"message_stop\"}");
    assertThat(simulator.stats(scenario).streamRequests()).isEqualTo(1);
  }

  @Test
  void streamStartsAtOnceAndPacesTheTextByTtftAndInterval() throws Exception {
    configure(SimProfile.defaults().withTtftMs(300).withChunks(3).withChunkIntervalMs(150));

    HttpResponse<Stream<String>> response = http.send(anthropic("messages", STREAM).build(), BodyHandlers.ofLines());
    long headersAt = System.nanoTime();
    List<Long> startAt = new ArrayList<>();
    List<Long> deltasAt = new ArrayList<>();
    try (Stream<String> lines = response.body()) {
      lines.forEach(line -> {
        if (line.equals("event: message_start")) {
          startAt.add(System.nanoTime());
        } else if (line.equals("event: content_block_delta")) {
          deltasAt.add(System.nanoTime());
        }
      });
    }

    assertThat(deltasAt).hasSize(3);
    assertThat(millis(startAt.get(0) - headersAt)).as("message_start comes with the headers").isLessThan(250);
    assertThat(millis(deltasAt.get(0) - headersAt)).as("the first text a ttft later").isGreaterThanOrEqualTo(250);
    assertThat(millis(deltasAt.get(2) - deltasAt.get(0))).as("two intervals").isGreaterThanOrEqualTo(250);
  }

  @Test
  void toolsAreAnsweredWithAToolUseOfTheFirstTool() throws Exception {
    JsonNode body = json(send(anthropic("messages", withFields(MESSAGE, TOOLS))).body());

    assertThat(body.path("stop_reason").asText()).isEqualTo("tool_use");
    assertThat(body.path("content")).hasSize(1);
    JsonNode toolUse = body.path("content").path(0);
    assertThat(toolUse.path("type").asText()).isEqualTo("tool_use");
    assertThat(toolUse.path("id").asText()).startsWith("toolu_sim_");
    assertThat(toolUse.path("name").asText()).isEqualTo("get_weather");
    assertThat(toolUse.path("input").toString()).isEqualTo("{\"city\":\"sim\",\"unit\":\"sim\"}");
  }

  @Test
  void toolUseStreamsItsInputAsJsonDeltas() throws Exception {
    List<SseEvent> events = anthropicEvents(send(anthropic("messages", withFields(STREAM, TOOLS))).body());

    List<String> types = types(events);
    assertThat(types.subList(0, 3)).containsExactly("message_start", "ping", "content_block_start");
    assertThat(types.subList(types.size() - 3, types.size()))
        .containsExactly("content_block_stop", "message_delta", "message_stop");
    JsonNode block = events.get(2).data().path("content_block");
    assertThat(block.path("type").asText()).isEqualTo("tool_use");
    assertThat(block.path("id").asText()).startsWith("toolu_sim_");
    assertThat(block.path("name").asText()).isEqualTo("get_weather");
    assertThat(block.path("input").toString()).isEqualTo("{}");
    List<SseEvent> deltas = events.subList(3, events.size() - 3);
    assertThat(deltas).hasSizeGreaterThanOrEqualTo(2).allSatisfy(delta -> {
      assertThat(delta.type()).isEqualTo("content_block_delta");
      assertThat(delta.data().at("/delta/type").asText()).isEqualTo("input_json_delta");
    });
    StringBuilder partialJson = new StringBuilder();
    deltas.forEach(delta -> partialJson.append(delta.data().at("/delta/partial_json").asText()));
    assertThat(json(partialJson.toString()).toString()).isEqualTo("{\"city\":\"sim\",\"unit\":\"sim\"}");
    assertThat(events.get(events.size() - 2).data().at("/delta/stop_reason").asText()).isEqualTo("tool_use");
  }

  @Test
  void toolResultsToolChoiceNoneAndNamedToolsAreRespected() throws Exception {
    String afterResult = "{\"model\":\"m\",\"max_tokens\":100," + TOOLS + ",\"messages\":["
        + "{\"role\":\"user\",\"content\":\"weather?\"},"
        + "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\","
        + "\"input\":{\"city\":\"sim\",\"unit\":\"sim\"}}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":\"sunny\"}]}]}";
    JsonNode answered = json(send(anthropic("messages", afterResult)).body());
    JsonNode none = json(send(anthropic("messages", withFields(MESSAGE, TOOLS + ",\"tool_choice\":{\"type\":\"none\"}")))
        .body());
    JsonNode named = json(send(anthropic("messages",
        withFields(MESSAGE, TOOLS + ",\"tool_choice\":{\"type\":\"tool\",\"name\":\"get_time\"}"))).body());

    assertThat(answered.path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(answered.at("/content/0/text").asText()).isEqualTo(DEFAULT_CONTENT);
    assertThat(none.path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(named.at("/content/0/name").asText()).isEqualTo("get_time");
    assertThat(named.at("/content/0/input").toString()).isEqualTo("{}");
  }

  @Test
  void thinkingComesFirstWithASignature() throws Exception {
    String thinking = ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":512}";
    JsonNode body = json(send(anthropic("messages", withFields(MESSAGE, thinking))).body());

    assertThat(body.path("content")).hasSize(2);
    JsonNode block = body.path("content").path(0);
    assertThat(block.path("type").asText()).isEqualTo("thinking");
    assertThat(block.path("thinking").asText()).isNotEmpty();
    assertThat(block.path("signature").asText()).startsWith("sig_sim_");
    assertThat(body.at("/content/1/type").asText()).isEqualTo("text");
    assertThat(body.at("/content/1/text").asText()).isEqualTo(DEFAULT_CONTENT);
  }

  @Test
  void thinkingStreamsThinkingDeltasThenOneSignatureBeforeTheText() throws Exception {
    configure(SimProfile.defaults().withChunks(2));
    String thinking = ",\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":512}";
    List<SseEvent> events = anthropicEvents(send(anthropic("messages", withFields(STREAM, thinking))).body());

    List<String> deltaTypes = events.stream().filter(e -> e.type().equals("content_block_delta"))
        .map(e -> e.data().at("/delta/type").asText()).toList();
    assertThat(deltaTypes).containsExactly("thinking_delta", "thinking_delta", "signature_delta", "text_delta",
        "text_delta");
    assertThat(types(events)).containsExactly("message_start", "ping",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta",
        "content_block_stop",
        "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
        "message_delta", "message_stop");
    assertThat(events.get(2).data().toString()).isEqualTo(
        "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}");
    assertThat(events.get(7).data().at("/index").asInt()).isEqualTo(1);
    assertThat(events.get(7).data().at("/content_block/type").asText()).isEqualTo("text");
    String streamedThinking = events.get(3).data().at("/delta/thinking").asText()
        + events.get(4).data().at("/delta/thinking").asText();
    String signature = events.get(5).data().at("/delta/signature").asText();

    // The thinking block echoed back intact, and once tampered with: the last-request echo tells them apart.
    String echoed = "{\"model\":\"m\",\"max_tokens\":100,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":512},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":["
        + "{\"type\":\"thinking\",\"thinking\":" + JSON.writeValueAsString(streamedThinking) + ",\"signature\":\""
        + signature + "\"},{\"type\":\"text\",\"text\":\"x\"}]},{\"role\":\"user\",\"content\":\"more\"}]}";
    send(anthropic("messages", echoed));
    JsonNode intact = json(send(request(uri("/_sim/scenarios/" + scenario + "/last-request")).GET()).body());
    send(anthropic("messages", echoed.replace(signature, signature + "x")));
    JsonNode tampered = json(send(request(uri("/_sim/scenarios/" + scenario + "/last-request")).GET()).body());

    assertThat(intact.path("assistantThinking").toString()).isEqualTo("{\"blocks\":1,\"intact\":1}");
    assertThat(tampered.path("assistantThinking").toString()).isEqualTo("{\"blocks\":1,\"intact\":0}");
  }

  @Test
  void stopSequencesCutTheTextBeforeTheFirstMatch() throws Exception {
    String stops = ",\"stop_sequences\":[\"simulator\",\" from\",\"absent\"]";
    JsonNode body = json(send(anthropic("messages", withFields(MESSAGE, stops))).body());
    List<SseEvent> events = anthropicEvents(send(anthropic("messages", withFields(STREAM, stops))).body());

    assertThat(body.at("/content/0/text").asText()).isEqualTo("Hello");
    assertThat(body.path("stop_reason").asText()).isEqualTo("stop_sequence");
    assertThat(body.path("stop_sequence").asText()).isEqualTo(" from");
    StringBuilder text = new StringBuilder();
    events.stream().filter(e -> e.type().equals("content_block_delta"))
        .forEach(e -> text.append(e.data().at("/delta/text").asText()));
    assertThat(text.toString()).isEqualTo("Hello");
    assertThat(events.get(events.size() - 2).data().path("delta").toString())
        .isEqualTo("{\"stop_reason\":\"stop_sequence\",\"stop_sequence\":\" from\"}");
  }

  @Test
  void maxTokensBelowTheCompletionStopsWithMaxTokens() throws Exception {
    String limited = MESSAGE.replace("\"max_tokens\":1024", "\"max_tokens\":10");
    JsonNode body = json(send(anthropic("messages", limited)).body());
    List<SseEvent> events = anthropicEvents(send(anthropic("messages",
        STREAM.replace("\"max_tokens\":1024", "\"max_tokens\":10"))).body());

    assertThat(body.path("stop_reason").asText()).isEqualTo("max_tokens");
    assertThat(body.at("/content/0/text").asText()).isNotEmpty().isNotEqualTo(DEFAULT_CONTENT);
    assertThat(DEFAULT_CONTENT).startsWith(body.at("/content/0/text").asText());
    assertThat(body.at("/usage/output_tokens").asInt()).isEqualTo(10);
    assertThat(events.get(events.size() - 2).data().toString()).isEqualTo("{\"type\":\"message_delta\","
        + "\"delta\":{\"stop_reason\":\"max_tokens\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":10}}");
  }

  @Test
  void errorFaultsUseAnthropicsErrorTypes() throws Exception {
    Map<Integer, String> types = Map.of(400, "invalid_request_error", 401, "authentication_error",
        403, "permission_error", 404, "not_found_error", 429, "rate_limit_error", 500, "api_error",
        503, "api_error", 529, "overloaded_error");
    for (Map.Entry<Integer, String> expected : types.entrySet()) {
      configure(SimProfile.defaults().withFault(Fault.ERROR).withErrorStatus(expected.getKey()));
      HttpResponse<String> response = send(anthropic("messages", STREAM));

      assertThat(response.statusCode()).isEqualTo(expected.getKey());
      assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(response.headers().firstValue("request-id")).isPresent();
      JsonNode body = json(response.body());
      assertThat(body.path("type").asText()).isEqualTo("error");
      assertThat(body.at("/error/type").asText()).as("status %s", expected.getKey()).isEqualTo(expected.getValue());
      assertThat(body.at("/error/message").asText()).isNotEmpty();
    }
    assertThat(simulator.stats(scenario).faultsInjected()).isEqualTo(types.size());
  }

  @Test
  void rateLimitAnswers429WithTheRetryHeaders() throws Exception {
    configure(SimProfile.defaults().withFault(Fault.RATE_LIMIT).withRetryAfterSeconds(3).withRetryAfterMs(2500));

    HttpResponse<String> response = send(anthropic("messages", MESSAGE));

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("retry-after")).hasValue("3");
    assertThat(response.headers().firstValue("retry-after-ms")).hasValue("2500");
    assertThat(json(response.body()).at("/error/type").asText()).isEqualTo("rate_limit_error");
    assertThat(json(response.body()).path("type").asText()).isEqualTo("error");
  }

  @Test
  void streamErrorSendsAnErrorEventAfterSomeChunks() throws Exception {
    configure(SimProfile.defaults().withFault(Fault.STREAM_ERROR).withCutAfterChunks(2));

    HttpResponse<String> streamed = send(anthropic("messages", STREAM));
    HttpResponse<String> plain = send(anthropic("messages", MESSAGE));

    assertThat(streamed.statusCode()).isEqualTo(200);
    List<SseEvent> events = anthropicEvents(streamed.body());
    assertThat(types(events)).containsExactly("message_start", "ping", "content_block_start",
        "content_block_delta", "content_block_delta", "error");
    assertThat(streamed.body()).endsWith("event: error\n"
        + "data: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n");
    assertThat(plain.statusCode()).isEqualTo(529);
    assertThat(json(plain.body()).at("/error/type").asText()).isEqualTo("overloaded_error");
  }

  @Test
  void streamErrorAfterZeroChunksComesRightAfterTheStart() throws Exception {
    configure(SimProfile.defaults().withFault(Fault.STREAM_ERROR).withCutAfterChunks(0));

    List<SseEvent> events = anthropicEvents(send(anthropic("messages", STREAM)).body());

    assertThat(types(events)).containsExactly("message_start", "ping", "error");
  }

  @Test
  void cutStreamStopsWithoutMessageStop() throws Exception {
    configure(SimProfile.defaults().withFault(Fault.CUT_STREAM).withCutAfterChunks(2));

    HttpResponse<Stream<String>> response = http.send(anthropic("messages", STREAM).build(), BodyHandlers.ofLines());
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
    // The connection is cut after two deltas; how much of what was sent before the cut the client still
    // reads depends on when the cut reaches it, so: a prefix of the sent events, never a message_stop.
    List<String> sent = List.of("event: message_start", "event: ping", "event: content_block_start",
        "event: content_block_delta", "event: content_block_delta");
    List<String> seen = received.stream().filter(line -> line.startsWith("event: ")).toList();
    assertThat(sent.subList(0, Math.min(seen.size(), sent.size()))).isEqualTo(seen);
    assertThat(seen).doesNotContain("event: message_stop");
  }

  @Test
  void resetAndCutFaultsBreakPlainMessages() {
    configure(SimProfile.defaults().withFault(Fault.RESET));
    assertThatThrownBy(() -> send(anthropic("messages", MESSAGE))).isInstanceOf(IOException.class);
    configure(SimProfile.defaults().withFault(Fault.CUT_STREAM));
    assertThatThrownBy(() -> send(anthropic("messages", MESSAGE))).isInstanceOf(IOException.class);

    assertThat(simulator.stats(scenario).faultsInjected()).isEqualTo(2);
    assertThat(simulator.stats(scenario).inFlight()).isZero();
  }

  @Test
  void requireApiKeyWantsTheXApiKeyHeader() throws Exception {
    configure(SimProfile.defaults().withRequireApiKey("sk-ant-right"));

    HttpResponse<String> missing = send(anthropic("messages", MESSAGE));
    HttpResponse<String> wrong = send(anthropic("messages", MESSAGE).header("x-api-key", "sk-ant-wrong"));
    HttpResponse<String> bearer = send(anthropic("messages", MESSAGE).header("Authorization", "Bearer sk-ant-right"));
    HttpResponse<String> right = send(anthropic("messages", MESSAGE).header("x-api-key", "sk-ant-right"));

    for (HttpResponse<String> rejected : List.of(missing, wrong, bearer)) {
      assertThat(rejected.statusCode()).isEqualTo(401);
      assertThat(rejected.body()).isEqualTo(
          "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}");
      assertThat(rejected.headers().firstValue("request-id")).isPresent();
    }
    assertThat(right.statusCode()).isEqualTo(200);
  }

  @Test
  void missingVersionHeaderAndInvalidBodiesAre400s() throws Exception {
    HttpResponse<String> noVersion = send(post("messages", MESSAGE));
    assertThat(noVersion.statusCode()).isEqualTo(400);
    assertThat(json(noVersion.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
    assertThat(json(noVersion.body()).at("/error/message").asText()).contains("anthropic-version");

    List<String> invalid = List.of(
        "{not json",
        "{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "{\"model\":\"m\",\"max_tokens\":\"10\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "{\"model\":\"m\",\"max_tokens\":1.5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "{\"model\":\"m\",\"max_tokens\":10}",
        "{\"model\":\"m\",\"max_tokens\":10,\"messages\":[]}");
    for (String body : invalid) {
      HttpResponse<String> response = send(anthropic("messages", body));
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(json(response.body()).path("type").asText()).isEqualTo("error");
      assertThat(json(response.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
      assertThat(response.headers().firstValue("request-id")).isPresent();
    }
    assertThat(json(send(anthropic("messages", invalid.get(2))).body()).at("/error/message").asText())
        .isEqualTo("max_tokens: Field required");
    assertThat(simulator.stats(scenario).inFlight()).isZero();
  }

  @Test
  void countTokensAnswersTheProfilesInput() throws Exception {
    configure(SimProfile.defaults().withPromptTokens(42).withFault(Fault.ERROR));
    String count = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    HttpResponse<String> response = send(anthropic("messages/count_tokens", count));
    HttpResponse<String> invalid = send(anthropic("messages/count_tokens", "{\"model\":\"m\"}"));

    assertThat(response.statusCode()).as("no faults on token counting").isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"input_tokens\":42}");
    assertThat(response.headers().firstValue("request-id")).isPresent();
    assertThat(invalid.statusCode()).isEqualTo(400);
    assertThat(json(invalid.body()).at("/error/type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void modelsTakeAnthropicsShapeWhenAskedWithAVersionHeader() throws Exception {
    HttpResponse<String> anthropic = send(request(uri("/" + scenario + "/v1/models"))
        .header("anthropic-version", "2023-06-01").GET());
    HttpResponse<String> openAi = send(request(uri("/" + scenario + "/v1/models")).GET());

    assertThat(anthropic.statusCode()).isEqualTo(200);
    assertThat(anthropic.headers().firstValue("request-id")).isPresent();
    JsonNode list = json(anthropic.body());
    assertThat(list.has("object")).isFalse();
    assertThat(list.path("has_more").asBoolean(true)).isFalse();
    assertThat(list.path("data")).isNotEmpty().allSatisfy(model -> {
      assertThat(model.path("type").asText()).isEqualTo("model");
      assertThat(model.path("id").asText()).isNotEmpty();
      assertThat(model.path("display_name").asText()).isNotEmpty();
      assertThat(model.path("created_at").asText()).isEqualTo("2025-01-01T00:00:00Z");
    });
    JsonNode data = list.path("data");
    assertThat(list.path("first_id").asText()).isEqualTo(data.path(0).path("id").asText());
    assertThat(list.path("last_id").asText()).isEqualTo(data.path(data.size() - 1).path("id").asText());
    assertThat(json(openAi.body()).path("object").asText()).isEqualTo("list");
    assertThat(json(openAi.body()).at("/data/0/object").asText()).isEqualTo("model");
    assertThat(openAi.headers().firstValue("request-id")).isEmpty();
  }

  /** {@code json} with {@code fields} (starting with or without a comma) added before its closing brace. */
  private static String withFields(String json, String fields) {
    return json.substring(0, json.length() - 1) + (fields.startsWith(",") ? "" : ",") + fields + "}";
  }
}
