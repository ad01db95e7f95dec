package dev.ossaat.orchestrator;

import static dev.ossaat.orchestrator.testkit.TestGateway.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.config.ConfigLoader;
import dev.ossaat.orchestrator.config.OrchestratorConfig;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's demo: no key set, two simulated providers, and a fallback when one is told to fail. */
class DemoModeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void demoAppliesOnlyToTheEmbeddedDefaultsWithoutCredentials() {
    ConfigLoader.LoadedConfig none = new ConfigLoader(Map.of("ORCHESTRATOR_SECRETS_DIR", "/nonexistent")).load();
    assertThat(DemoMode.applies(none.embeddedDefaults(), none.config(), Map.of())).isTrue();
    assertThat(DemoMode.applies(none.embeddedDefaults(), none.config(), Map.of("ORCHESTRATOR_DEMO", "false"))).isFalse();
    ConfigLoader.LoadedConfig keyed = new ConfigLoader(Map.of("ORCHESTRATOR_SECRETS_DIR", "/nonexistent", "OPENAI_API_KEY", "sk-x")).load();
    assertThat(DemoMode.applies(keyed.embeddedDefaults(), keyed.config(), Map.of())).isFalse();
  }

  @Test
  void theDemoServesAndFallsBackWhenThePrimaryIsToldToFail() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      OrchestratorConfig base = new ConfigLoader(Map.of("ORCHESTRATOR_SECRETS_DIR", "/nonexistent")).load().config();
      OrchestratorConfig demo = await(DemoMode.start(vertx, base.withPort(0), 0));
      Orchestrator gw = await(Orchestrator.start(vertx, demo));
      int simPort = Integer.parseInt(demo.providers().get(0).baseUrl().replaceAll(".*:(\\d+)/.*", "$1"));
      HttpClient http = HttpClient.newHttpClient();
      String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}";
      HttpRequest completion = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.port() + "/v1/chat/completions"))
          .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();

      HttpResponse<String> first = http.send(completion, HttpResponse.BodyHandlers.ofString());
      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.headers().firstValue("x-orchestrator-provider")).hasValue(DemoMode.PRIMARY);

      // The README's curl: tell the primary to fail.
      HttpResponse<String> control = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simPort + "/_sim/scenarios/primary"))
          .PUT(HttpRequest.BodyPublishers.ofString("{\"fault\":\"error\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(control.statusCode()).isEqualTo(200);

      HttpResponse<String> second = http.send(completion, HttpResponse.BodyHandlers.ofString());
      assertThat(second.statusCode()).isEqualTo(200);
      assertThat(second.headers().firstValue("x-orchestrator-provider")).hasValue(DemoMode.SECONDARY);
      assertThat(JSON.readTree(second.body()).path("choices").get(0).path("message").path("content").asText()).isNotBlank();
      await(gw.close());
    } finally {
      await(vertx.close());
    }
  }
}
