package dev.ossaat.orchestrator.resilience;

import static dev.ossaat.orchestrator.testkit.TestGateway.chat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Manual breaker control instead of "restart the pods", behind the admin token. */
class AdminEndpointsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private TestGateway gw;

  @AfterEach
  void stop() {
    if (gw != null) gw.close();
  }

  private HttpResponse<String> admin(String path, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(path)).POST(HttpRequest.BodyPublishers.noBody());
    if (token != null) b.header("authorization", "Bearer " + token);
    return gw.send(b.build());
  }

  private double open(String provider) {
    return gw.metrics().sum("orchestrator_provider_circuit_breaker_state", "provider", provider);
  }

  @Test
  void operatorsCanDrainAProviderAndBringItBack() throws Exception {
    gw = TestGateway.start("""
        admin: {token: adm-secret-token-1}
        providers:
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small}
          b: {baseUrl: "${SIM:b}", apiKeyRequired: false, model: sim-small}
        """);
    assertThat(admin("/admin/providers/a/circuit-breaker/open", null).statusCode()).isEqualTo(401);
    assertThat(admin("/admin/providers/a/circuit-breaker/open", "wrong").statusCode()).isEqualTo(403);
    assertThat(admin("/admin/providers/zz/circuit-breaker/open", "adm-secret-token-1").statusCode()).isEqualTo(404);

    HttpResponse<String> opened = admin("/admin/providers/a/circuit-breaker/open", "adm-secret-token-1");
    assertThat(opened.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(opened.body()).path("state").asText()).isEqualTo("open");
    assertThat(open("a")).isEqualTo(1);
    for (int i = 0; i < 3; i++) {
      assertThat(gw.post("/v1/chat/completions", chat("sim-small")).headers().firstValue("x-orchestrator-provider")).hasValue("b");
    }
    assertThat(gw.simStats("a").path("requests").asLong()).isZero();

    HttpResponse<String> reset = admin("/admin/providers/a/circuit-breaker/reset", "adm-secret-token-1");
    assertThat(JSON.readTree(reset.body()).path("previousState").asText()).isEqualTo("open");
    assertThat(JSON.readTree(reset.body()).path("state").asText()).isEqualTo("closed");
    assertThat(gw.post("/v1/chat/completions", chat("sim-small")).headers().firstValue("x-orchestrator-provider")).hasValue("a");
    assertThat(gw.get("/health/providers").body() + gw.get("/metrics").body()).doesNotContain("adm-secret-token-1");
  }

  @Test
  void withoutAConfiguredTokenTheAdminApiIsOff() {
    gw = TestGateway.start("""
        providers:
          a: {baseUrl: "${SIM:a}", apiKeyRequired: false, model: sim-small}
        """);
    assertThat(admin("/admin/providers/a/circuit-breaker/open", "anything").statusCode()).isEqualTo(403);
    assertThat(open("a")).isZero();
  }
}
