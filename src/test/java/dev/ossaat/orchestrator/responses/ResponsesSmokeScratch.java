package dev.ossaat.orchestrator.responses;

import dev.ossaat.orchestrator.testkit.TestGateway;
import org.junit.jupiter.api.Test;

class ResponsesSmokeScratch {
  @Test
  void smoke() {
    try (TestGateway gw = TestGateway.start("""
        providers:
          retry: {maxAttempts: 1}
          oai:
            baseUrl: ${SIM:oai}
            apiKey: k
            model: gpt-4o-mini
            responsesApi: true
        """)) {
      gw.simulate("oai", "{\"content\":\"Hello there.\",\"chunks\":3,\"promptTokens\":10,\"completionTokens\":5,\"cachedPromptTokens\":4,\"reasoningTokens\":2}");
      var r = gw.post("/v1/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"Say hello\",\"instructions\":\"Be brief\"}");
      System.out.println(r.statusCode() + " " + r.body());
      String id = r.body().replaceAll(".*\"id\":\"(resp_[a-z0-9_]+)\".*", "$1");
      r = gw.post("/v1/responses", "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"previous_response_id\":\"" + id + "\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"again\"}]}]}");
      System.out.println(r.statusCode() + " " + r.body());
      System.out.println(gw.send(java.net.http.HttpRequest.newBuilder(gw.simUri("/_sim/scenarios/oai/last-request")).GET().build()).body());
      gw.simulate("oai", "{\"content\":\"Hello there.\",\"chunks\":3,\"fault\":\"stream_error\",\"faultRate\":1.0,\"cutAfterChunks\":1}");
      r = gw.post("/v1/responses", "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"input\":\"x\"}");
      System.out.println(r.statusCode() + " " + r.body());
      System.out.println(gw.get("/metrics").body().lines().filter(l -> l.contains("responses") || l.contains("tokens_total{")|| l.contains("details_total{")).toList());
    }
  }
}
