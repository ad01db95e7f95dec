package dev.ossaat.orchestrator.api;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every kind of bad input gets an OpenAI-style error with the right status, and no stack trace. */
class BadInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestGateway gw;

  @BeforeAll
  static void start() {
    gw = TestGateway.start("""
        server: {maxBodyBytes: 2048}
        routing: {unknownModel: reject}
        providers:
          alpha: {baseUrl: "${SIM:alpha}", apiKeyRequired: false, model: sim-small}
        """);
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  private static JsonNode error(HttpResponse<String> r) throws Exception {
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode error = JSON.readTree(r.body()).path("error");
    assertThat(error.path("message").asText()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(error.has("type")).isTrue();
    assertThat(error.has("code")).isTrue();
    return error;
  }

  @Test
  void malformedJsonIs400() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", "{\"model\": ");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r).path("type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void missingOrWrongFieldsAre400NamingTheParam() throws Exception {
    HttpResponse<String> noModel = gw.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(noModel.statusCode()).isEqualTo(400);
    assertThat(error(noModel).path("param").asText()).isEqualTo("model");
    HttpResponse<String> noMessages = gw.post("/v1/chat/completions", "{\"model\":\"sim-small\"}");
    assertThat(noMessages.statusCode()).isEqualTo(400);
    assertThat(error(noMessages).path("param").asText()).isEqualTo("messages");
    HttpResponse<String> badStream = gw.post("/v1/chat/completions",
        "{\"model\":\"sim-small\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(badStream.statusCode()).isEqualTo(400);
    assertThat(error(badStream).path("param").asText()).isEqualTo("stream");
    HttpResponse<String> notObject = gw.post("/v1/chat/completions", "[1,2]");
    assertThat(notObject.statusCode()).isEqualTo(400);
    error(notObject);
    HttpResponse<String> empty = gw.post("/v1/chat/completions", "");
    assertThat(empty.statusCode()).isEqualTo(400);
    error(empty);
    HttpResponse<String> noInput = gw.post("/v1/embeddings", "{\"model\":\"sim-small\"}");
    assertThat(noInput.statusCode()).isEqualTo(400);
    assertThat(error(noInput).path("param").asText()).isEqualTo("input");
    assertThat(gw.simStats("alpha").path("requests").asLong()).isZero();
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    String big = chat("sim-small").replace("Say hello", "x".repeat(4096));
    HttpResponse<String> r = gw.post("/v1/chat/completions", big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(error(r).path("code").asText()).isEqualTo("request_too_large");
  }

  @Test
  void anUnknownModelIs404WhenUnknownModelsAreRejected() throws Exception {
    HttpResponse<String> r = gw.post("/v1/chat/completions", chat("no-such-model"));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(error(r).path("code").asText()).isEqualTo("model_not_found");
  }

  @Test
  void unknownRoutesAndMethodsGetJsonErrors() throws Exception {
    HttpResponse<String> r = gw.get("/v1/nothing-here");
    assertThat(r.statusCode()).isEqualTo(404);
    error(r);
    HttpResponse<String> wrongMethod = gw.send(HttpRequest.newBuilder(gw.uri("/v1/chat/completions")).GET().build());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    error(wrongMethod);
  }

  @Test
  void noProviderAvailableIs503AndNotReady() throws Exception {
    try (TestGateway none = TestGateway.start("""
        providers:
          alpha: {baseUrl: "${SIM:alpha}", enabled: false, apiKeyRequired: false, model: sim-small}
          beta: {baseUrl: "${SIM:beta}", model: sim-small}
        """)) {
      HttpResponse<String> r = none.post("/v1/chat/completions", chat("sim-small"));
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(error(r).path("code").asText()).isEqualTo("no_provider_available");
      HttpResponse<String> ready = none.get("/readyz");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(JSON.readTree(ready.body()).path("reason").asText()).contains("no provider");
    }
  }
}
