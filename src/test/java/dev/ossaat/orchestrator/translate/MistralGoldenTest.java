package dev.ossaat.orchestrator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An OpenAI client against Mistral: the adapted requests and Mistral's answers. Golden files in {@code golden/openai-to-mistral}. */
class MistralGoldenTest extends FlavorGoldenSupport {
  private static final String SAY_HELLO = OpenAiClientGoldenCases.SAY_HELLO;

  @Override
  String flavor() {
    return "mistral";
  }

  @Override
  String model() {
    return "mistral-small-latest";
  }

  @Test
  void streamWithOpenAiOptions() {
    profile();
    Recorded r = golden("plain_text_stream", chat("\"stream\":true,\"stream_options\":{\"include_usage\":true},\"seed\":3,"
        + "\"max_completion_tokens\":64", SAY_HELLO));
    assertThat(r.last().path("body").has("stream_options")).isFalse();
    OpenAiClientGoldenCases.assertCleanEnd(r.answer().events());
  }

  @Test
  void foreignToolCallIds() {
    profile();
    Recorded r = golden("tool_call_ids", chat("\"tool_choice\":\"required\",\"tools\":" + OpenAiClientGoldenCases.TOOLS,
        "[{\"role\":\"user\",\"content\":\"Weather?\"},{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":"
        + "\"call_abc123xyz\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"call_abc123xyz\",\"content\":\"sunny\"}]"));
    assertThat(r.answer().status()).isEqualTo(200);
  }

  @Test
  void validationError422() {
    profile();
    Recorded r = golden("error_422", chat("\"logprobs\":true", SAY_HELLO));
    assertThat(r.answer().status()).isEqualTo(422);
  }

  @Test
  void rateLimit429() {
    profile("\"fault\":\"rate_limit\"");
    Recorded r = golden("error_429", chat("", SAY_HELLO));
    assertThat(r.answer().status()).isEqualTo(429);
  }
}
