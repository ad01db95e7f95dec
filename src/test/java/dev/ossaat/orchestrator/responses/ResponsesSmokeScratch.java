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
          anthropic:
            type: anthropic
            baseUrl: ${SIM:ant}
            apiKey: k
            model: claude-sonnet-4-5
        """)) {
      gw.simulate("oai", "{\"content\":\"Hello there.\",\"chunks\":3,\"promptTokens\":10,\"completionTokens\":5}");
      gw.simulate("ant", "{\"content\":\"Hello there.\",\"chunks\":3,\"promptTokens\":10,\"completionTokens\":5}");
      var r = gw.post("/v1/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"Say hello\",\"instructions\":\"Be brief\"}");
      System.out.println(r.statusCode() + " " + r.body());
      String id = r.body().replaceAll(".*\"id\":\"(resp_[0-9a-f]+)\".*", "$1");
      System.out.println(gw.get("/v1/responses/" + id).body());
      System.out.println(gw.get("/v1/responses/" + id, "x-tenant-id", "other").body());
      r = gw.post("/v1/responses", "{\"model\":\"claude-sonnet-4-5\",\"stream\":true,\"previous_response_id\":\"" + id + "\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"again\"}]}]}");
      System.out.println(r.statusCode() + " " + r.body());
      System.out.println(gw.send(java.net.http.HttpRequest.newBuilder(gw.simUri("/_sim/scenarios/ant/last-request")).GET().build()).body());
      r = gw.post("/v1/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"x\",\"previous_response_id\":\"resp_nope\"}");
      System.out.println(r.statusCode() + " " + r.body());
      r = gw.post("/v1/responses", "{\"model\":\"gpt-4o-mini\"}");
      System.out.println(r.statusCode() + " " + r.body());
      System.out.println(gw.get("/metrics").body().lines().filter(l -> l.contains("responses") || l.contains("tokens_total{")).toList());
    }
  }
}
