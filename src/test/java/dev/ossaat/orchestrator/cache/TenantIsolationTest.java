package dev.ossaat.orchestrator.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.testkit.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache keys on the real tenant, never on its bounded metric label: tenants a label cannot tell
 * apart (a space and an underscore both become {@code _}; every tenant past {@code metrics.maxTenants}
 * becomes {@code other}) never see each other's answers.
 */
class TenantIsolationTest {
  private static final String YAML = """
      metrics: {maxTenants: 1}
      cache: {enabled: true, ttl: 300s}
      providers:
        sim: {baseUrl: "${SIM:s}", apiKeyRequired: false, model: sim-small}
      """;

  private TestGateway gw;

  @BeforeEach
  void start() {
    gw = TestGateway.start(YAML);
  }

  @AfterEach
  void stop() {
    gw.close();
  }

  @Test
  void tenantsWhoseLabelsCollideNeverShareAnEntry() {
    String body = TestGateway.chat("sim-small");
    gw.simulate("s", "{\"content\":\"secret of acme corp\"}");
    assertThat(ask(body, "acme corp").body()).contains("secret of acme corp");
    assertThat(ask(body, "acme corp").headers().firstValue("x-orchestrator-cache")).hasValue("hit");

    gw.simulate("s", "{\"content\":\"answer for acme_corp\"}");
    HttpResponse<String> other = ask(body, "acme_corp"); // same label "acme_corp" as "acme corp"
    assertThat(other.headers().firstValue("x-orchestrator-cache")).hasValue("miss");
    assertThat(other.body()).contains("answer for acme_corp").doesNotContain("secret of acme corp");

    gw.simulate("s", "{\"content\":\"answer for globex\"}");
    HttpResponse<String> third = ask(body, "globex"); // past maxTenants: its label is "other"
    assertThat(third.headers().firstValue("x-orchestrator-cache")).hasValue("miss");
    assertThat(third.body()).contains("answer for globex");
    gw.simulate("s", "{\"content\":\"answer for initech\"}");
    HttpResponse<String> fourth = ask(body, "initech"); // also "other"
    assertThat(fourth.headers().firstValue("x-orchestrator-cache")).hasValue("miss");
    assertThat(fourth.body()).contains("answer for initech").doesNotContain("globex");

    assertThat(gw.simStats("s").path("chatRequests").asInt()).isEqualTo(4);
    // the labels still collapse, as they must for bounded metrics
    assertThat(gw.metrics().sum("orchestrator_provider_requests_total", "tenant_id", "other")).isEqualTo(2);
  }

  private HttpResponse<String> ask(String body, String tenant) {
    return gw.post("/v1/chat/completions", body, "x-tenant-id", tenant);
  }
}
