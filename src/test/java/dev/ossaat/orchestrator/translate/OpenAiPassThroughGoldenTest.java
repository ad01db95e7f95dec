package dev.ossaat.orchestrator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.exchange.WireFormat;
import org.junit.jupiter.api.Test;

/** An OpenAI client and an OpenAI-compatible provider: the request and the answer pass through. */
class OpenAiPassThroughGoldenTest extends OpenAiClientGoldenCases {
  @Override
  WireFormat provider() {
    return WireFormat.OPENAI;
  }

  @Override
  String pair() {
    return "openai-passthrough";
  }

  /** reasoning_effort goes out as sent; the reasoning tokens come back in the usage (see usage.json). */
  @Test
  void reasoningEffort() {
    profile("\"reasoningTokens\":5");
    String request = chat("\"reasoning_effort\":\"low\"", SAY_HELLO);
    Recorded r = golden("reasoning_effort", request);
    assertProviderGot(r, request);
    assertThat(r.answer().json().path("usage").path("completion_tokens_details").path("reasoning_tokens").asLong()).isEqualTo(5);
  }

  /**
   * A client that did not ask for stream usage should get the chunks OpenAI would send it: without a
   * {@code usage} field. The gateway asks for usage on its behalf, and OpenAI then puts
   * {@code "usage":null} in every chunk: spliced out of each chunk, and the usage-only chunk dropped.
   */
  @Test
  void noUsageFieldWhenTheClientDidNotAskForUsage() {
    profile();
    ClientAnswer answer = send(chat("\"stream\":true", SAY_HELLO));
    assertThat(data(answer.events(), null).stream().filter(d -> d.has("usage"))).isEmpty();
  }
}
