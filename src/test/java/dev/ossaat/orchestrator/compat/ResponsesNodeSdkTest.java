package dev.ossaat.orchestrator.compat;

import static dev.ossaat.orchestrator.compat.ResponsesJavaSdkTest.CHAT_MODEL;
import static dev.ossaat.orchestrator.compat.ResponsesJavaSdkTest.CLAUDE_MODEL;
import static dev.ossaat.orchestrator.compat.ResponsesJavaSdkTest.CONTENT;
import static dev.ossaat.orchestrator.compat.ResponsesJavaSdkTest.NATIVE_MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * npm {@code openai} 6.49.0's {@code responses} (compat/responses-client.mjs) against two gateway
 * replicas sharing a Redis response store, as {@link ResponsesJavaSdkTest} does for the Java SDK.
 */
class ResponsesNodeSdkTest {
  private static final dev.ossaat.orchestrator.testkit.RedisKeys REDIS = new dev.ossaat.orchestrator.testkit.RedisKeys();
  private static final String PREFIX = REDIS.prefix;
  private static TestGateway a;
  private static TestGateway b;

  @BeforeAll
  static void start() {
    NodeSdk.requirePackages("openai");
    a = TestGateway.start(ResponsesJavaSdkTest.config(PREFIX));
    b = TestGateway.start(ResponsesJavaSdkTest.config(PREFIX));
  }

  @AfterAll
  static void stop() throws Exception {
    if (a != null) a.close();
    if (b != null) b.close();
    REDIS.close();
  }

  @BeforeEach
  void healthy() {
    for (TestGateway gw : List.of(a, b)) {
      for (String scenario : List.of("chat", "claude", "native")) gw.simulate(scenario, ResponsesJavaSdkTest.profile(""));
    }
  }

  private static JsonNode run(String caseName, String model) {
    return NodeSdk.run("responses-client.mjs", a.uri("/v1").toString(), caseName, model);
  }

  private static JsonNode ok(JsonNode result) {
    assertThat(result.path("ok").asBoolean()).as("the SDK call succeeded: %s", result).isTrue();
    return result;
  }

  @Test
  void createGivesTheOutputTextAndUsage() {
    for (String model : List.of(CHAT_MODEL, CLAUDE_MODEL, NATIVE_MODEL)) {
      JsonNode r = ok(run("create", model));
      assertThat(r.path("id").asText()).as(model).startsWith("resp_");
      assertThat(r.path("status").asText()).isEqualTo("completed");
      assertThat(r.path("text").asText()).as("the SDK's output_text").isEqualTo(CONTENT);
      assertThat(r.path("usage").path("input_tokens").asInt()).isEqualTo(21);
      assertThat(r.path("usage").path("output_tokens").asInt()).isEqualTo(9);
    }
  }

  @Test
  void aStreamConcatenatesToTheTextAndCompletesWithUsage() {
    for (String model : List.of(CHAT_MODEL, CLAUDE_MODEL, NATIVE_MODEL)) {
      JsonNode r = ok(run("stream", model));
      assertThat(r.path("text").asText()).as(model).isEqualTo(CONTENT);
      assertThat(r.path("types").get(0).asText()).isEqualTo("response.created");
      assertThat(r.path("types").get(r.path("types").size() - 1).asText()).isEqualTo("response.completed");
      assertThat(r.path("usage").path("total_tokens").asInt()).isEqualTo(30);
    }
  }

  @Test
  void aFollowUpOnTheOtherReplica() {
    for (String model : List.of(CHAT_MODEL, CLAUDE_MODEL, NATIVE_MODEL)) {
      JsonNode r = ok(run("follow_up", model + " " + b.uri("/v1")));
      assertThat(r.path("previous").asText()).as(model).isEqualTo(r.path("first").asText());
      assertThat(r.path("fetched").asText()).isEqualTo(r.path("first").asText());
      assertThat(r.path("text").asText()).isEqualTo(CONTENT);
    }
  }

  @Test
  void aBrokenStreamRaisesInTheSdk() {
    a.simulate("chat", ResponsesJavaSdkTest.profile("\"fault\":\"stream_error\",\"faultRate\":1.0,\"cutAfterChunks\":2"));
    JsonNode r = run("stream_error", CHAT_MODEL);
    assertThat(r.path("ok").asBoolean()).as("%s", r).isFalse();
    assertThat(r.path("error").path("message").asText()).contains("chat");
  }
}
