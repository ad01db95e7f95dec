package dev.ossaat.orchestrator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * An OpenAI client against OpenRouter: keep-alive comments, usage with cache writes and cost, its
 * errors before and after the 200. Golden files in {@code golden/openai-to-openrouter}.
 */
class OpenRouterGoldenTest extends FlavorGoldenSupport {
  private static final String SAY_HELLO = OpenAiClientGoldenCases.SAY_HELLO;

  @Override
  String flavor() {
    return "openrouter";
  }

  @Override
  String model() {
    return "openai/gpt-4o-mini";
  }

  @Test
  void streamWithKeepAlives() {
    profile();
    Recorded r = golden("plain_text_stream", chat("\"stream\":true,\"stream_options\":{\"include_usage\":true}", SAY_HELLO));
    assertThat(r.answer().body()).contains(": OPENROUTER PROCESSING");
    OpenAiClientGoldenCases.assertCleanEnd(r.answer().events());
  }

  @Test
  void usage() {
    profile("\"promptTokens\":100,\"cachedPromptTokens\":30,\"cacheCreationTokens\":10,\"completionTokens\":15,\"reasoningTokens\":5");
    Recorded r = golden("usage", chat("", SAY_HELLO));
    assertThat(r.answer().json().path("usage").path("cost").isNumber()).isTrue();
  }

  @Test
  void midStreamError() {
    profile("\"fault\":\"stream_error\",\"cutAfterChunks\":1");
    Recorded r = golden("mid_stream_error", chat("\"stream\":true", SAY_HELLO));
    assertThat(r.answer().status()).isEqualTo(200);
  }

  @Test
  void errorInA200() {
    profile("\"fault\":\"stream_error\"");
    Recorded r = golden("error_in_200", chat("", SAY_HELLO));
    assertThat(r.answer().status()).isEqualTo(502);
  }

  @Test
  void insufficientCredits402() {
    profile("\"fault\":\"error\",\"errorStatus\":402");
    Recorded r = golden("error_402", chat("", SAY_HELLO));
    assertThat(r.answer().status()).isEqualTo(502);
  }

  @Test
  void moderation403() {
    profile("\"fault\":\"error\",\"errorStatus\":403");
    Recorded r = golden("error_403", chat("", SAY_HELLO));
    assertThat(r.answer().status()).isEqualTo(403);
  }
}
