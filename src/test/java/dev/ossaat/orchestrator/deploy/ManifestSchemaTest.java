package dev.ossaat.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The rendered manifests validate against the Kubernetes and prometheus-operator schemas
 * (npm kubernetes-models and @kubernetes-models/prometheus-operator, through deploy/validate-manifests.mjs).
 */
class ManifestSchemaTest {

  @Test
  void defaultRenderIsValid() {
    assertValid(Chart.withDefaults());
  }

  @Test
  void monitoringRenderIsValid() {
    assertValid(Chart.withMonitoring());
  }

  @Test
  void everythingEnabledIsValid() {
    // Every optional object at once: Ollama, Redis, PROVIDER_PREFERENCE, the admin token, active probes.
    assertValid(Chart.render(List.of(Chart.MONITORING_VALUES), Map.of(
        "ollama.enabled", "true",
        "redis.enabled", "true",
        "providerPreference", "ollama,openai",
        "secrets.apiKeys.OPENAI_API_KEY", "sk-test",
        "secrets.adminToken", "admin-test-token",
        "orchestrator.health.probes.enabled", "true")));
  }

  @Test
  void validatorRejectsAnInvalidManifestAndAnUnknownKind() {
    // Proof that the validator validates: a string port and a misspelt kind must both fail.
    ArrayNode objects = Chart.JSON.createArrayNode();
    ObjectNode deployment = Chart.withDefaults().get("Deployment", "orchestrator").deepCopy();
    ((ObjectNode) deployment.at("/spec/template/spec/containers/0/ports/0")).put("containerPort", "three thousand");
    objects.add(deployment);
    ObjectNode typo = Chart.withMonitoring().get("ServiceMonitor", "orchestrator").deepCopy();
    typo.put("kind", "ServiceMonitr");
    objects.add(typo);

    Processes.Result result = validate(objects);
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.stdout())
        .contains("invalid apps/v1 Deployment orchestrator: ")
        .contains("containerPort must be integer")
        .contains("invalid monitoring.coreos.com/v1 ServiceMonitr orchestrator: no schema");
  }

  private static void assertValid(Chart.Rendered rendered) {
    ArrayNode objects = Chart.JSON.createArrayNode();
    rendered.objects.forEach(objects::add);
    Processes.Result result = validate(objects);
    assertThat(result.exitCode()).as("validate-manifests.mjs:%n%s", result.output()).isZero();
    // One "ok" line per rendered object: nothing skipped.
    assertThat(result.stdout().lines().filter(l -> l.startsWith("ok ")).count()).isEqualTo(rendered.objects.size());
  }

  private static Processes.Result validate(JsonNode objects) {
    return Processes.run(Processes.deployDir(), objects.toString(),
        Processes.require("node").toString(), "validate-manifests.mjs");
  }
}
