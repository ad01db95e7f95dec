package dev.ossaat.orchestrator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bytes after the request's JSON object are refused with a 400 in the caller's format, never
 * forwarded: spliced into, such a body would hide our edits (a stream's include_usage) in the trailing
 * bytes, and the provider would see a different request than the one we checked.
 */
class TrailingBytesTest {
  private TestGateway gw;

  @BeforeEach
  void start() {
    gw = TestGateway.start("""
        providers:
          sim: {baseUrl: "${SIM:s}", apiKeyRequired: false, model: sim-small}
        """);
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  @Test
  void trailingBytesAreA400AndNothingReachesTheProvider() {
    HttpResponse<String> openai = gw.post("/v1/chat/completions",
        TestGateway.streamingChat("sim-small", false) + " {\"model\":\"other\"}");
    assertThat(openai.statusCode()).isEqualTo(400);
    assertThat(openai.body()).contains("\"type\":\"invalid_request_error\"").contains("not valid JSON");

    HttpResponse<String> anthropic = gw.post("/v1/messages",
        "{\"model\":\"sim-small\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}garbage",
        "anthropic-version", "2023-06-01");
    assertThat(anthropic.statusCode()).isEqualTo(400);
    assertThat(anthropic.body()).startsWith("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\"");
    assertThat(anthropic.headers().firstValue("request-id")).isPresent();

    assertThat(gw.simStats("s").path("requests").asInt()).isZero();
    // whitespace after the object is fine
    assertThat(gw.post("/v1/chat/completions", TestGateway.chat("sim-small") + " \n").statusCode()).isEqualTo(200);
  }
}
