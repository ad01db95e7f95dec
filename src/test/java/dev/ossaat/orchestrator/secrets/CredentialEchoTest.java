package dev.ossaat.orchestrator.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.testkit.LogCapture;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A provider that echoes our credential in a client-error answer (status 400, 404, 422: passed on to
 * the client as the provider sent it) must not hand the credential to the client or to the log,
 * whatever the key looks like: one without a known prefix included.
 */
class CredentialEchoTest {
  private static final String KEY = "q7Vx2mZ9LpR4tYw8NbC3";   // no sk-/key- prefix: only its value tells it
  private TestGateway gw;

  @AfterEach
  void stop() {
    if (gw != null) gw.close();
  }

  @Test
  void anEchoedCredentialNeverReachesTheClientOrTheLog() {
    gw = TestGateway.start("""
        providers:
          retry: {maxAttempts: 1}
          p: {baseUrl: "${SIM:p}", apiKey: %s, model: sim-small}
          anthro: {type: anthropic, baseUrl: "${SIM:a}", apiKey: %s, model: claude-x}
        """.formatted(KEY, KEY));
    try (LogCapture log = new LogCapture()) {
      for (int status : new int[] {400, 404, 422}) {
        gw.simulate("p", "{\"fault\":\"echo_credential\",\"errorStatus\":" + status + "}");
        HttpResponse<String> r = gw.post("/v1/chat/completions", TestGateway.chat("sim-small"));
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.body()).contains("Incorrect API key provided").doesNotContain(KEY).doesNotContain(KEY.substring(0, 8))
            .contains("[REDACTED]");
        assertThat(r.body()).startsWith("{\"error\":"); // still the provider's JSON, intact
      }
      gw.simulate("a", "{\"fault\":\"echo_credential\",\"errorStatus\":400}");
      HttpResponse<String> anthropic = gw.post("/v1/messages",
          "{\"model\":\"claude-x\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
          "anthropic-version", "2023-06-01");
      assertThat(anthropic.statusCode()).isEqualTo(400);
      assertThat(anthropic.body()).doesNotContain(KEY).contains("[REDACTED]").startsWith("{\"type\":\"error\"");
      // an OpenAI client of the Anthropic provider: the provider's words re-worded, still masked
      HttpResponse<String> translated = gw.post("/v1/chat/completions", TestGateway.chat("claude-x"));
      assertThat(translated.statusCode()).isEqualTo(400);
      assertThat(translated.body()).doesNotContain(KEY);
      assertThat(String.join("\n", log.lines())).doesNotContain(KEY).doesNotContain(KEY.substring(KEY.length() - 8));
    }
  }
}
