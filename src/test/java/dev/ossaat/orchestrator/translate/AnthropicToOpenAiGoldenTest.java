package dev.ossaat.orchestrator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ossaat.orchestrator.exchange.WireFormat;
import org.junit.jupiter.api.Test;

/** An Anthropic client and an OpenAI-compatible provider: Messages translated to Chat Completions and back. */
class AnthropicToOpenAiGoldenTest extends AnthropicClientGoldenCases {
  @Override
  WireFormat provider() {
    return WireFormat.OPENAI;
  }

  @Override
  String pair() {
    return "anthropic-to-openai";
  }

  /**
   * An earlier assistant turn's thinking block has no place in a Chat Completions request (OpenAI
   * could not verify its signature): it is left out, the turn's text and the rest go on.
   */
  @Test
  void thinkingHistory() {
    profile();
    String request = messages("\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":1024}", """
        [{"role":"user","content":"Say hello"},
         {"role":"assistant","content":[
           {"type":"thinking","thinking":"A greeting is due.","signature":"sig_from_anthropic"},
           {"type":"text","text":"Hello!"}]},
         {"role":"user","content":"Again, please"}]""");
    Recorded r = golden("thinking_history", request);
    assertProviderGot(r, request);
    JsonNode messages = body(r).path("messages");
    assertThat(messages).hasSize(3);
    assertThat(messages.path(1)).isEqualTo(parse("{\"role\":\"assistant\",\"content\":\"Hello!\"}"));
    assertThat(r.last().toString()).doesNotContain("sig_from_anthropic");
  }
}
