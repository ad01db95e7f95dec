package dev.ossaat.orchestrator.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The OpenAI chat wire format in its production details: usage chunks, tool calls, stops, limits, errors. */
class OpenAiWireTest extends SimulatorHttp {
  private static final String CHAT = "{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String STREAM =
      "{\"model\":\"sim-small\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String STREAM_WITH_USAGE = "{\"model\":\"sim-small\",\"stream\":true,"
      + "\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String TOOLS = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
      + "\"description\":\"Weather of a city\",\"parameters\":{\"type\":\"object\",\"properties\":{"
      + "\"city\":{\"type\":\"string\"},\"unit\":{\"type\":\"string\"}},\"required\":[\"city\",\"unit\"]}}},"
      + "{\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"parameters\":{\"type\":\"object\"}}}]";

  @Test
  void includeUsagePutsNullUsageOnEveryChunkAndEndsWithAUsageOnlyChunk() throws Exception {
    List<String> events = openAiEvents(send(post("chat/completions", STREAM_WITH_USAGE)).body());

    assertThat(events).hasSize(8).last().isEqualTo("[DONE]"); // 5 content, finish, usage, [DONE]
    List<JsonNode> chunks = events.subList(0, 7).stream().map(SimulatorHttp::json).toList();
    assertThat(chunks.subList(0, 6)).allSatisfy(chunk -> {
      assertThat(chunk.has("usage")).isTrue();
      assertThat(chunk.path("usage").isNull()).isTrue();
      assertThat(chunk.path("choices")).hasSize(1);
    });
    assertThat(chunks.get(5).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    JsonNode usageChunk = chunks.get(6);
    assertThat(usageChunk.path("choices").isArray()).isTrue();
    assertThat(usageChunk.path("choices")).isEmpty();
    assertThat(usageChunk.path("usage").toString())
        .isEqualTo("{\"prompt_tokens\":10,\"completion_tokens\":20,\"total_tokens\":30}");
    assertThat(usageChunk.path("id").asText()).isEqualTo(chunks.get(0).path("id").asText());
  }

  @Test
  void withoutIncludeUsageNoChunkHasAUsageField() throws Exception {
    List<String> events = openAiEvents(send(post("chat/completions", STREAM)).body());

    assertThat(events).hasSize(7).last().isEqualTo("[DONE]");
    assertThat(events.subList(0, 6)).noneMatch(event -> event.contains("usage"));
  }

  @Test
  void usageCarriesCachedAndReasoningTokenDetailsWhenTheProfileSetsThem() throws Exception {
    configure(SimProfile.defaults().withPromptTokens(100).withCachedPromptTokens(40).withCompletionTokens(30)
        .withReasoningTokens(12).withCacheCreationTokens(7));
    String expected = "{\"prompt_tokens\":100,\"completion_tokens\":30,\"total_tokens\":130,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":40},\"completion_tokens_details\":{\"reasoning_tokens\":12}}";

    JsonNode plain = json(send(post("chat/completions", CHAT)).body());
    List<String> events = openAiEvents(send(post("chat/completions", STREAM_WITH_USAGE)).body());

    assertThat(plain.path("usage").toString()).isEqualTo(expected);
    assertThat(json(events.get(events.size() - 2)).path("usage").toString()).isEqualTo(expected);
  }

  @Test
  void toolsAreAnsweredWithACallOfTheFirstTool() throws Exception {
    HttpResponse<String> response = send(post("chat/completions", withFields(CHAT, TOOLS)));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode choice = json(response.body()).path("choices").path(0);
    assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
    JsonNode message = choice.path("message");
    assertThat(message.path("role").asText()).isEqualTo("assistant");
    assertThat(message.has("content")).isTrue();
    assertThat(message.path("content").isNull()).isTrue();
    assertThat(message.path("tool_calls")).hasSize(1);
    JsonNode call = message.path("tool_calls").path(0);
    assertThat(call.path("id").asText()).startsWith("call_sim_");
    assertThat(call.path("type").asText()).isEqualTo("function");
    assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
    assertThat(call.at("/function/arguments").isTextual()).isTrue();
    assertThat(json(call.at("/function/arguments").asText()).toString())
        .isEqualTo("{\"city\":\"sim\",\"unit\":\"sim\"}");
  }

  @Test
  void toolCallsStreamTheirArgumentsInFragments() throws Exception {
    List<String> events = openAiEvents(send(post("chat/completions", withFields(STREAM_WITH_USAGE, TOOLS))).body());

    assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
    List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(SimulatorHttp::json).toList();
    JsonNode first = chunks.get(0).at("/choices/0/delta");
    assertThat(first.path("role").asText()).isEqualTo("assistant");
    JsonNode firstCall = first.path("tool_calls").path(0);
    assertThat(firstCall.path("index").asInt()).isZero();
    assertThat(firstCall.path("id").asText()).startsWith("call_sim_");
    assertThat(firstCall.path("type").asText()).isEqualTo("function");
    assertThat(firstCall.at("/function/name").asText()).isEqualTo("get_weather");
    assertThat(firstCall.at("/function/arguments").asText()).isEmpty();
    List<JsonNode> fragments = chunks.subList(1, chunks.size() - 2);
    assertThat(fragments).hasSizeGreaterThanOrEqualTo(2).allSatisfy(chunk -> {
      JsonNode call = chunk.at("/choices/0/delta/tool_calls/0");
      assertThat(call.path("index").asInt()).isZero();
      assertThat(call.has("id")).isFalse();
      assertThat(call.path("function").has("name")).isFalse();
      assertThat(chunk.at("/choices/0/finish_reason").isNull()).isTrue();
    });
    StringBuilder arguments = new StringBuilder();
    fragments.forEach(chunk -> arguments.append(chunk.at("/choices/0/delta/tool_calls/0/function/arguments").asText()));
    assertThat(json(arguments.toString()).toString()).isEqualTo("{\"city\":\"sim\",\"unit\":\"sim\"}");
    JsonNode finish = chunks.get(chunks.size() - 2);
    assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
    assertThat(finish.at("/choices/0/delta").isEmpty()).isTrue();
    assertThat(chunks.get(chunks.size() - 1).path("choices")).isEmpty();
    assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(chunk -> assertThat(chunk.path("usage").isNull()).isTrue());
  }

  @Test
  void toolChoiceNoneToolResultsAndNamedToolsAreRespected() throws Exception {
    String afterResult = "{\"model\":\"m\"," + TOOLS + ",\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"},"
        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny\"}]}";
    JsonNode answered = json(send(post("chat/completions", afterResult)).body());
    JsonNode none = json(send(post("chat/completions", withFields(CHAT, TOOLS + ",\"tool_choice\":\"none\""))).body());
    JsonNode named = json(send(post("chat/completions", withFields(CHAT,
        TOOLS + ",\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_time\"}}"))).body());
    JsonNode emptyTools = json(send(post("chat/completions", withFields(CHAT, "\"tools\":[]"))).body());

    assertThat(answered.at("/choices/0/message/content").asText()).isEqualTo(DEFAULT_CONTENT);
    assertThat(answered.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(none.at("/choices/0/message").has("tool_calls")).isFalse();
    assertThat(named.at("/choices/0/message/tool_calls/0/function/name").asText()).isEqualTo("get_time");
    assertThat(named.at("/choices/0/message/tool_calls/0/function/arguments").asText()).isEqualTo("{}");
    assertThat(emptyTools.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void maxTokensBelowTheCompletionFinishesWithLength() throws Exception {
    JsonNode limited = json(send(post("chat/completions", withFields(CHAT, "\"max_tokens\":10"))).body());
    JsonNode newer = json(send(post("chat/completions", withFields(CHAT, "\"max_completion_tokens\":5"))).body());
    JsonNode ample = json(send(post("chat/completions", withFields(CHAT, "\"max_tokens\":20"))).body());
    List<String> streamed = openAiEvents(send(post("chat/completions",
        withFields(STREAM_WITH_USAGE, "\"max_tokens\":10"))).body());

    String text = limited.at("/choices/0/message/content").asText();
    assertThat(limited.at("/choices/0/finish_reason").asText()).isEqualTo("length");
    assertThat(text).isNotEmpty().isNotEqualTo(DEFAULT_CONTENT);
    assertThat(DEFAULT_CONTENT).startsWith(text);
    assertThat(limited.at("/usage/completion_tokens").asInt()).isEqualTo(10);
    assertThat(limited.at("/usage/total_tokens").asInt()).isEqualTo(20);
    assertThat(newer.at("/choices/0/finish_reason").asText()).isEqualTo("length");
    assertThat(newer.at("/usage/completion_tokens").asInt()).isEqualTo(5);
    assertThat(ample.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(ample.at("/choices/0/message/content").asText()).isEqualTo(DEFAULT_CONTENT);
    JsonNode finish = json(streamed.get(streamed.size() - 3));
    assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("length");
    assertThat(json(streamed.get(streamed.size() - 2)).at("/usage/completion_tokens").asInt()).isEqualTo(10);
  }

  @Test
  void nonPositiveMaxTokensStillGetAnAnswer() throws Exception {
    JsonNode negative = json(send(post("chat/completions", withFields(CHAT, "\"max_tokens\":-5"))).body());
    configure(SimProfile.defaults().withCompletionTokens(0));
    HttpResponse<String> zero = send(post("chat/completions", withFields(CHAT, "\"max_tokens\":-1")));

    assertThat(negative.at("/choices/0/finish_reason").asText()).isEqualTo("length");
    assertThat(negative.at("/choices/0/message/content").asText()).isEmpty();
    assertThat(negative.at("/usage/completion_tokens").asInt()).isZero();
    assertThat(zero.statusCode()).isEqualTo(200);
    assertThat(json(zero.body()).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void stopSequencesCutTheContentBeforeTheFirstMatch() throws Exception {
    JsonNode single = json(send(post("chat/completions", withFields(CHAT, "\"stop\":\" the\""))).body());
    JsonNode array = json(send(post("chat/completions", withFields(CHAT, "\"stop\":[\"sim\",\" from\"]"))).body());
    JsonNode absent = json(send(post("chat/completions", withFields(CHAT, "\"stop\":[\"zzz\"]"))).body());
    List<String> streamed = openAiEvents(send(post("chat/completions", withFields(STREAM, "\"stop\":[\" from\"]")))
        .body());

    assertThat(single.at("/choices/0/message/content").asText()).isEqualTo("Hello from");
    assertThat(single.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(array.at("/choices/0/message/content").asText()).isEqualTo("Hello");
    assertThat(absent.at("/choices/0/message/content").asText()).isEqualTo(DEFAULT_CONTENT);
    StringBuilder content = new StringBuilder();
    streamed.subList(0, streamed.size() - 2)
        .forEach(event -> content.append(json(event).at("/choices/0/delta/content").asText()));
    assertThat(content.toString()).isEqualTo("Hello");
    assertThat(json(streamed.get(streamed.size() - 2)).at("/choices/0/finish_reason").asText()).isEqualTo("stop");
  }

  @Test
  void streamErrorSendsAnInStreamErrorAfterSomeChunks() throws Exception {
    configure(SimProfile.defaults().withFault(Fault.STREAM_ERROR).withCutAfterChunks(2));

    HttpResponse<String> streamed = send(post("chat/completions", STREAM_WITH_USAGE));
    HttpResponse<String> plain = send(post("chat/completions", CHAT));

    assertThat(streamed.statusCode()).isEqualTo(200);
    List<String> events = openAiEvents(streamed.body());
    assertThat(events).hasSize(3);
    assertThat(json(events.get(0)).at("/choices/0/delta/content").isTextual()).isTrue();
    assertThat(json(events.get(1)).at("/choices/0/delta/content").isTextual()).isTrue();
    assertThat(events.get(2)).isEqualTo(
        "{\"error\":{\"message\":\"simulated upstream error\",\"type\":\"server_error\",\"code\":null}}");
    assertThat(streamed.body()).doesNotContain("[DONE]");
    assertThat(plain.statusCode()).isEqualTo(500);
    assertThat(json(plain.body()).at("/error/type").asText()).isEqualTo("server_error");
    assertThat(simulator.stats(scenario).faultsInjected()).isEqualTo(2);
    assertThat(simulator.stats(scenario).inFlight()).isZero();
  }

  @Test
  void streamErrorAfterZeroChunksIsTheOnlyEvent() throws Exception {
    configure(SimProfile.defaults().withFault(Fault.STREAM_ERROR).withCutAfterChunks(0).withTtftMs(20));

    List<String> events = openAiEvents(send(post("chat/completions", STREAM)).body());

    assertThat(events).hasSize(1);
    assertThat(json(events.get(0)).at("/error/type").asText()).isEqualTo("server_error");
  }

  /** {@code json} with {@code fields} added before its closing brace. */
  private static String withFields(String json, String fields) {
    return json.substring(0, json.length() - 1) + "," + fields + "}";
  }
}
