package dev.ossaat.orchestrator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.exchange.WireFormat;
import org.junit.jupiter.api.Test;

/** An Anthropic client and an Anthropic provider: the request and the answer pass through. */
class AnthropicPassThroughGoldenTest extends AnthropicClientGoldenCases {
  /** The simulator's thinking text (sim.AnthropicBodies.THINKING). */
  static final String THINKING = "The user wrote to the simulator. A short, friendly answer will do.";
  static final String THINKING_ON = "\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}";

  @Override
  WireFormat provider() {
    return WireFormat.ANTHROPIC;
  }

  @Override
  String pair() {
    return "anthropic-passthrough";
  }

  /**
   * A first answer with thinking, then the next turn sending that thinking block back: the provider
   * receives it with its signature intact.
   */
  @Test
  void thinkingSignatureRoundTrip() {
    profile();
    String first = messages(THINKING_ON, SAY_HELLO).replace("\"max_tokens\":1024", "\"max_tokens\":2048");
    Recorded answer = exchange(first);
    JsonNode content = answer.answer().json().path("content");
    assertThat(content.path(0).path("type").asText()).isEqualTo("thinking");
    assertThat(content.path(0).path("thinking").asText()).isEqualTo(THINKING);
    assertThat(content.path(0).path("signature").asText()).isNotEmpty();

    ArrayNode history = (ArrayNode) parse(SAY_HELLO);
    history.addObject().put("role", "assistant").set("content", content);
    history.addObject().put("role", "user").put("content", "Again, please");
    String second = messages(THINKING_ON, history.toString()).replace("\"max_tokens\":1024", "\"max_tokens\":2048");
    Recorded next = exchange(second);
    assertProviderGot(next, second);
    assertThat(next.last().path("assistantThinking")).isEqualTo(parse("{\"blocks\":1,\"intact\":1}"));

    ObjectNode golden = JSON.createObjectNode();
    golden.set("firstAnswer", answer.golden().get("clientAnswer"));
    golden.set("nextTurn", next.golden());
    assertGolden("thinking", golden);
  }

  @Test
  void thinkingStream() {
    profile();
    String request = messages("\"stream\":true," + THINKING_ON, SAY_HELLO).replace("\"max_tokens\":1024", "\"max_tokens\":2048");
    Recorded r = golden("thinking_stream", request);
    ArrayNode events = r.answer().events();
    assertWellFormed(events, true);
    StringBuilder thinking = new StringBuilder();
    String signature = null;
    for (JsonNode d : data(events, "content_block_delta")) {
      switch (d.path("delta").path("type").asText()) {
        case "thinking_delta" -> thinking.append(d.path("delta").path("thinking").asText());
        case "signature_delta" -> signature = d.path("delta").path("signature").asText();
        default -> { }
      }
    }
    assertThat(thinking.toString()).isEqualTo(THINKING);
    assertThat(signature).startsWith("sig_sim_");
    assertThat(streamedText(events)).isEqualTo(CONTENT);
  }
}
