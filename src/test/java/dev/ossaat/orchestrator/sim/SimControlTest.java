package dev.ossaat.orchestrator.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import org.junit.jupiter.api.Test;

/** The control API's simulator-wide stats, the last-request echo and the new profile fields. */
class SimControlTest extends SimulatorHttp {
  private static final String CHAT = "{\"model\":\"sim-small\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
  private static final String MESSAGE =
      "{\"model\":\"claude-sim\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @Test
  void connectionsCountsAcceptedTcpConnectionsNotRequests() throws Exception {
    long before = simulator.connectionsAccepted();

    HttpClient pooled = newClient();
    for (int i = 0; i < 3; i++) {
      assertThat(pooled.send(post("chat/completions", CHAT).build(), BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
    }
    long afterOneClient = simulator.connectionsAccepted();
    HttpClient other = newClient();
    other.send(post("chat/completions", CHAT).build(), BodyHandlers.ofString());
    HttpResponse<String> stats = other.send(request(uri("/_sim/stats")).GET().build(), BodyHandlers.ofString());

    assertThat(afterOneClient - before).as("three requests on one kept-alive connection").isEqualTo(1);
    assertThat(simulator.connectionsAccepted() - before).isEqualTo(2);
    assertThat(stats.statusCode()).isEqualTo(200);
    assertThat(stats.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode body = json(stats.body());
    assertThat(body.path("connections").asLong()).isEqualTo(before + 2);
    assertThat(body.path("openConnections").asInt()).isPositive();
    assertThat(send(request(uri("/_sim/stats")).POST(BodyPublishers.noBody())).statusCode()).isEqualTo(405);
  }

  @Test
  void lastRequestIs404BeforeTheFirstRequest() throws Exception {
    HttpResponse<String> response = send(request(uri("/_sim/scenarios/" + scenario + "/last-request")).GET());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(json(response.body()).at("/error/message").asText()).contains(scenario);
  }

  @Test
  void lastRequestEchoesMethodPathHeadersAndBodyWithCredentialsRedacted() throws Exception {
    configure(SimProfile.defaults().withRequireApiKey("sk-right"));
    send(post("chat/completions", CHAT).header("Authorization", "Bearer sk-right").header("X-Trace-Id", "t-1"));
    JsonNode matched = lastRequest();
    send(post("chat/completions", CHAT).header("Authorization", "Bearer sk-wrong"));
    JsonNode wrong = lastRequest();

    assertThat(matched.path("method").asText()).isEqualTo("POST");
    assertThat(matched.path("path").asText()).isEqualTo("/" + scenario + "/v1/chat/completions");
    assertThat(matched.at("/headers/authorization").asText()).isEqualTo("<redacted>");
    assertThat(matched.at("/headers/x-trace-id").asText()).isEqualTo("t-1");
    assertThat(matched.at("/headers/content-type").asText()).isEqualTo("application/json");
    matched.path("headers").fieldNames().forEachRemaining(name -> assertThat(name).isLowerCase());
    assertThat(matched.path("apiKeyMatched").asBoolean()).isTrue();
    assertThat(matched.path("body")).isEqualTo(json(CHAT));
    assertThat(matched.toString()).doesNotContain("sk-right");
    assertThat(wrong.path("apiKeyMatched").isBoolean()).isTrue();
    assertThat(wrong.path("apiKeyMatched").asBoolean()).isFalse();
    assertThat(wrong.toString()).doesNotContain("sk-wrong");
  }

  @Test
  void lastRequestKeepsAnthropicRequestsAndIgnoresModelListings() throws Exception {
    send(anthropic("messages", MESSAGE).header("x-api-key", "sk-ant-secret"));
    send(request(uri("/" + scenario + "/v1/models")).GET());
    JsonNode echo = lastRequest();

    assertThat(echo.path("path").asText()).isEqualTo("/" + scenario + "/v1/messages");
    assertThat(echo.at("/headers/x-api-key").asText()).isEqualTo("<redacted>");
    assertThat(echo.at("/headers/anthropic-version").asText()).isEqualTo("2023-06-01");
    assertThat(echo.path("apiKeyMatched").isNull()).as("no key required").isTrue();
    assertThat(echo.path("body")).isEqualTo(json(MESSAGE));
    assertThat(echo.path("assistantThinking").toString()).isEqualTo("{\"blocks\":0,\"intact\":0}");
    assertThat(echo.toString()).doesNotContain("sk-ant-secret");
  }

  @Test
  void lastRequestKeepsABodyThatIsNotJsonAsText() throws Exception {
    send(post("chat/completions", "{not json"));

    assertThat(lastRequest().path("body").asText()).isEqualTo("{not json");
  }

  @Test
  void newProfileFieldsAreConfigurableAsJsonAndDefaultToZero() throws Exception {
    HttpResponse<String> put = send(request(uri("/_sim/scenarios/" + scenario)).PUT(BodyPublishers.ofString(
        "{\"cachedPromptTokens\":4,\"cacheCreationTokens\":3,\"reasoningTokens\":2,\"fault\":\"stream_error\"}")));
    HttpResponse<String> negative = send(request(uri("/_sim/scenarios/" + scenario))
        .PUT(BodyPublishers.ofString("{\"reasoningTokens\":-1}")));

    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(simulator.profile(scenario)).isEqualTo(SimProfile.defaults().withCachedPromptTokens(4)
        .withCacheCreationTokens(3).withReasoningTokens(2).withFault(Fault.STREAM_ERROR));
    assertThat(json(put.body()).path("fault").asText()).isEqualTo("stream_error");
    assertThat(negative.statusCode()).isEqualTo(400);
    JsonNode defaults = JSON.valueToTree(SimProfile.defaults());
    assertThat(defaults.path("cachedPromptTokens").asInt(-1)).isZero();
    assertThat(defaults.path("cacheCreationTokens").asInt(-1)).isZero();
    assertThat(defaults.path("reasoningTokens").asInt(-1)).isZero();
    JsonNode view = json(send(request(uri("/_sim/scenarios/" + scenario)).GET()).body());
    assertThat(view.at("/stats/messagesRequests").asInt(-1)).isZero();
  }

  private JsonNode lastRequest() throws Exception {
    HttpResponse<String> response = send(request(uri("/_sim/scenarios/" + scenario + "/last-request")).GET());
    assertThat(response.statusCode()).isEqualTo(200);
    return json(response.body());
  }
}
