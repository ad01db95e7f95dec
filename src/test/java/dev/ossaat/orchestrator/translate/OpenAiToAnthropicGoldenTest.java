package dev.ossaat.orchestrator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ossaat.orchestrator.exchange.WireFormat;
import org.junit.jupiter.api.Test;

/** An OpenAI client and an Anthropic provider: Chat Completions translated to Messages and back. */
class OpenAiToAnthropicGoldenTest extends OpenAiClientGoldenCases {
  static final String THINKING = AnthropicPassThroughGoldenTest.THINKING;

  @Override
  WireFormat provider() {
    return WireFormat.ANTHROPIC;
  }

  @Override
  String pair() {
    return "openai-to-anthropic";
  }

  /**
   * reasoning_effort asks Anthropic for extended thinking; the thinking comes back as
   * {@code reasoning_content}. An earlier turn's reasoning_content has no signature Anthropic could
   * verify, so it is not sent back.
   */
  @Test
  void thinking() {
    profile();
    String request = chat("\"reasoning_effort\":\"low\",\"max_tokens\":2048", """
        [{"role":"user","content":"Say hello"},
         {"role":"assistant","content":"Hello!","reasoning_content":"A greeting is due."},
         {"role":"user","content":"Again, please"}]""");
    Recorded r = golden("thinking", request);
    assertProviderGot(r, request);
    assertThat(body(r).path("thinking")).isEqualTo(parse("{\"type\":\"enabled\",\"budget_tokens\":1024}"));
    assertThat(body(r).path("messages").path(1).path("content")).isEqualTo(parse("[{\"type\":\"text\",\"text\":\"Hello!\"}]"));
    assertThat(message(r).path("reasoning_content").asText()).isEqualTo(THINKING);
    assertThat(message(r).path("content").asText()).isEqualTo(CONTENT);
  }

  @Test
  void thinkingStream() {
    profile();
    String request = chat("\"reasoning_effort\":\"low\",\"max_tokens\":2048,\"stream\":true", SAY_HELLO);
    Recorded r = golden("thinking_stream", request);
    ArrayNode events = r.answer().events();
    StringBuilder reasoning = new StringBuilder();
    for (JsonNode d : data(events, null)) reasoning.append(d.path("choices").path(0).path("delta").path("reasoning_content").asText(""));
    assertThat(reasoning.toString()).isEqualTo(THINKING);
    assertThat(streamedContent(events)).isEqualTo(CONTENT);
    assertCleanEnd(events);
  }
}
