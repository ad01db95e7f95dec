package dev.ossaat.orchestrator.compat;

import static dev.ossaat.orchestrator.compat.AnthropicCompat.COMPLETION_TOKENS;
import static dev.ossaat.orchestrator.compat.AnthropicCompat.CONTENT;
import static dev.ossaat.orchestrator.compat.AnthropicCompat.PROMPT_TOKENS;
import static dev.ossaat.orchestrator.compat.AnthropicCompat.TOOL;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * npm {@code @anthropic-ai/sdk} 1.15.0 (compat/anthropic-client.mjs), over real HTTP, calling the
 * gateway's {@code POST /v1/messages} in front of a simulated Anthropic provider and, translated, a
 * simulated OpenAI-compatible one. The script calls and reports one JSON line; the assertions are here.
 */
@Tag("anthropic-compat")
class AnthropicNodeSdkTest {
  private static final AnthropicCompat.Gateways GATEWAYS = new AnthropicCompat.Gateways();

  @BeforeAll
  static void requireSdk() {
    NodeSdk.requirePackages("@anthropic-ai/sdk");
  }

  @AfterAll
  static void stop() {
    GATEWAYS.close();
  }

  /** Runs a case against the gateway's root (the SDK appends /v1/messages); the call must succeed. */
  private static JsonNode run(AnthropicCompat backend, TestGateway gw, String caseName) {
    JsonNode r = NodeSdk.run("anthropic-client.mjs", gw.uri("").toString(), caseName, backend.model);
    assertThat(r.path("ok").asBoolean()).as("the SDK call succeeded: %s", r).isTrue();
    assertThat(r.path("type").asText()).isEqualTo("message");
    assertThat(r.path("role").asText()).isEqualTo("assistant");
    return r;
  }

  private static void assertUsage(JsonNode r) {
    assertThat(r.path("usage").path("input_tokens").isIntegralNumber()).as("usage.input_tokens in %s", r).isTrue();
    assertThat(r.path("usage").path("output_tokens").isIntegralNumber()).as("usage.output_tokens in %s", r).isTrue();
    assertThat(r.path("usage").path("input_tokens").asInt()).isEqualTo(PROMPT_TOKENS);
    assertThat(r.path("usage").path("output_tokens").asInt()).isEqualTo(COMPLETION_TOKENS);
  }

  private static void assertWeatherToolUse(JsonNode r) {
    assertThat(r.path("stopReason").asText()).isEqualTo("tool_use");
    assertThat(strings(r.path("contentTypes"))).contains("tool_use");
    JsonNode uses = r.path("toolUses");
    assertThat(uses.size()).as("tool_use blocks in %s", r).isEqualTo(1);
    JsonNode use = uses.get(0);
    assertThat(use.path("name").asText()).isEqualTo(TOOL);
    assertThat(use.path("id").asText()).isNotBlank();
    assertThat(use.path("input").isObject()).as("input is an object: %s", use).isTrue();
    assertThat(use.path("input").path("location").isTextual()).as("input.location: %s", use).isTrue();
    assertThat(use.path("input").path("location").asText()).isNotBlank();
  }

  private static void assertCompleteStream(JsonNode r) {
    List<String> events = strings(r.path("events"));
    assertThat(events).first().isEqualTo("message_start");
    assertThat(events).last().isEqualTo("message_stop");
    assertThat(events).contains("content_block_start", "content_block_delta", "content_block_stop", "message_delta");
  }

  @ParameterizedTest
  @EnumSource(AnthropicCompat.class)
  void aPlainMessageHasTheProvidersTextAndUsage(AnthropicCompat backend) {
    TestGateway gw = GATEWAYS.get(backend);
    long before = backend.providerRequests(gw);
    JsonNode r = run(backend, gw, "create");
    assertThat(strings(r.path("contentTypes"))).isNotEmpty().containsOnly("text");
    assertThat(r.path("text").asText()).isEqualTo(CONTENT);
    assertThat(r.path("stopReason").asText()).isEqualTo("end_turn");
    assertUsage(r);
    assertThat(backend.providerRequests(gw) - before).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(AnthropicCompat.class)
  void aStreamedMessageEndsInAFinalMessageWithTheProvidersTextAndUsage(AnthropicCompat backend) {
    JsonNode r = run(backend, GATEWAYS.get(backend), "stream");
    assertCompleteStream(r);
    assertThat(r.path("deltaText").asText()).isEqualTo(CONTENT);
    assertThat(r.path("text").asText()).isEqualTo(CONTENT);
    assertThat(r.path("stopReason").asText()).isEqualTo("end_turn");
    // Anthropic splits usage: input tokens in message_start, output tokens in message_delta.
    assertUsage(r);
  }

  @ParameterizedTest
  @EnumSource(AnthropicCompat.class)
  void aToolCallComesBackAsAToolUseBlock(AnthropicCompat backend) {
    assertWeatherToolUse(run(backend, GATEWAYS.get(backend), "tool"));
  }

  @ParameterizedTest
  @EnumSource(AnthropicCompat.class)
  void aStreamedToolCallEndsInAFinalMessageWithAToolUseBlock(AnthropicCompat backend) {
    JsonNode r = run(backend, GATEWAYS.get(backend), "tool_stream");
    assertCompleteStream(r);
    assertWeatherToolUse(r);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
