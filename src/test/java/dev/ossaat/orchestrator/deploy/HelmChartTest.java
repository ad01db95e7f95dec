package dev.ossaat.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.ossaat.orchestrator.config.ConfigLoader;
import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.config.ProviderConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chart renders the objects, names and settings the runbook relies on (deploy/orchestrator,
 * svc orchestrator:3000, cm orchestrator-config, secret orchestrator-secrets, hpa orchestrator-hpa,
 * -l app=orchestrator), with default values and with the runbook's monitoring values.
 */
class HelmChartTest {

  @Test
  void lintPassesWithDefaultValues() {
    LintResult lint = new Helm(Chart.DIR).lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
  }

  @Test
  void lintPassesWithTheRunbookMonitoringValues(@TempDir Path tmp) throws IOException {
    // helm-java's lint takes no --values: lint a copy whose values.yaml already has them merged in.
    Path copy = copyChart(tmp);
    PromQl.write(copy.resolve("values.yaml"), Chart.mergedValues(Chart.MONITORING_VALUES));
    LintResult lint = new Helm(copy).lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
  }

  @Test
  void defaultValuesRenderTheCoreObjectsOnly() {
    Chart.Rendered r = Chart.withDefaults();
    assertThat(r.kindsAndNames()).containsExactlyInAnyOrder(
        "Deployment/orchestrator",
        "Service/orchestrator",
        "ConfigMap/orchestrator-config",
        "Secret/orchestrator-secrets",
        "HorizontalPodAutoscaler/orchestrator-hpa",
        "PodDisruptionBudget/orchestrator");
    assertThat(r.objects).allSatisfy(o -> assertThat(o.at("/metadata/namespace").asText()).isEqualTo(Chart.NAMESPACE));
  }

  @Test
  void monitoringValuesAddServiceMonitorRulesAndDashboards() {
    Chart.Rendered r = Chart.withMonitoring();
    assertThat(r.kindsAndNames()).contains(
        "ServiceMonitor/orchestrator",
        "PrometheusRule/orchestrator-alerts",
        "ConfigMap/orchestrator-providers-dashboard",
        "ConfigMap/orchestrator-queues-dashboard",
        "ConfigMap/orchestrator-cost-dashboard");
  }

  @Test
  void everyOrchestratorObjectCarriesTheAppLabelTheRunbookSelects() {
    Chart.Rendered r = Chart.withMonitoring();
    for (String kindAndName : List.of("Deployment/orchestrator", "Service/orchestrator", "ConfigMap/orchestrator-config",
        "HorizontalPodAutoscaler/orchestrator-hpa", "ServiceMonitor/orchestrator")) {
      String[] kn = kindAndName.split("/");
      assertThat(r.get(kn[0], kn[1]).at("/metadata/labels/app").asText()).as(kindAndName).isEqualTo("orchestrator");
    }
    JsonNode deployment = r.get("Deployment", "orchestrator");
    assertThat(deployment.at("/spec/selector/matchLabels")).isEqualTo(Chart.JSON.valueToTree(Map.of("app", "orchestrator")));
    assertThat(deployment.at("/spec/template/metadata/labels/app").asText()).isEqualTo("orchestrator");
  }

  @Test
  void serviceAnswersOnPort3000ThroughTheNamedContainerPort() {
    Chart.Rendered r = Chart.withDefaults();
    JsonNode port = r.get("Service", "orchestrator").at("/spec/ports/0");
    assertThat(port.path("port").asInt()).isEqualTo(3000);
    assertThat(port.path("name").asText()).isEqualTo("http");
    assertThat(port.path("targetPort").asText()).isEqualTo("http");
    assertThat(r.get("Service", "orchestrator").at("/spec/selector/app").asText()).isEqualTo("orchestrator");

    JsonNode containerPort = r.container("orchestrator").at("/ports/0");
    assertThat(containerPort.path("name").asText()).isEqualTo("http");
    assertThat(containerPort.path("containerPort").asInt()).isEqualTo(3000);
  }

  @Test
  void deploymentProbesHealthAndReadinessAndDrainsBeforeStopping() {
    Chart.Rendered r = Chart.withDefaults();
    JsonNode c = r.container("orchestrator");
    assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    assertThat(c.at("/startupProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(c.at("/lifecycle/preStop/exec/command").toString()).isEqualTo("[\"sleep\",\"10\"]");
    assertThat(c.at("/resources/requests/cpu").asText()).as("the CPU fallback of the HPA needs a request").isNotEmpty();
    assertThat(c.at("/resources/limits/memory").asText()).isNotEmpty();
    // Room for the preStop sleep plus the 120s request deadline.
    JsonNode pod = r.get("Deployment", "orchestrator").at("/spec/template/spec");
    assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThanOrEqualTo(10 + 120);
  }

  @Test
  void containerRunsUnderTheRestrictedSecurityProfile() {
    Chart.Rendered r = Chart.withDefaults();
    JsonNode pod = r.get("Deployment", "orchestrator").at("/spec/template/spec");
    JsonNode sc = r.container("orchestrator").path("securityContext");
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(sc.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(sc.path("readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(sc.path("allowPrivilegeEscalation").asBoolean()).isFalse();
    assertThat(sc.at("/capabilities/drop").toString()).isEqualTo("[\"ALL\"]");
    assertThat(sc.at("/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
    // A read-only root needs a writable /tmp for the JVM.
    assertThat(mountPaths(r)).contains("/tmp");
  }

  @Test
  void configIsMountedWhereOrchestratorConfigPointsAndSecretsWhereTheConfigLooksForThem() throws IOException {
    Chart.Rendered r = Chart.withDefaults();
    assertThat(r.env("orchestrator")).containsEntry("ORCHESTRATOR_CONFIG", "/etc/orchestrator/providers.json");
    JsonNode config = providersJson(r);
    assertThat(mountPaths(r)).contains("/etc/orchestrator/providers.json", config.at("/secrets/dir").asText());

    JsonNode volumes = r.get("Deployment", "orchestrator").at("/spec/template/spec/volumes");
    assertThat(volumes.findValuesAsText("secretName")).containsExactly("orchestrator-secrets");
    assertThat(volumes.findValuesAsText("name")).contains("orchestrator-config");
  }

  @Test
  void providersJsonIsJsonWithTheRunbookKeys() throws IOException {
    JsonNode config = providersJson(Chart.withDefaults());
    for (String pointer : List.of(
        "/providers/connectionPool/maxConnections", "/providers/connectionPool/maxIdleConnections",
        "/providers/connectionPool/connectionTimeout", "/providers/connectionPool/idleTimeout",
        "/providers/batching/enabled", "/providers/batching/maxBatchSize", "/providers/batching/batchTimeout",
        "/providers/circuitBreaker/threshold", "/providers/circuitBreaker/timeout", "/providers/circuitBreaker/halfOpenRequests",
        "/cache/enabled", "/cache/type", "/cache/ttl", "/cache/maxSize", "/cache/compressionEnabled",
        "/providers/openai/enabled", "/providers/ollama/baseUrl", "/routing/preference", "/server/port")) {
      assertThat(config.at(pointer).isMissingNode()).as("providers.json has %s", pointer).isFalse();
    }
    assertThat(config.at("/providers/connectionPool/maxConnections").asInt()).isEqualTo(100);
    assertThat(config.at("/cache/ttl").asInt()).isEqualTo(3600);
  }

  @Test
  void orchestratorAcceptsTheRenderedConfig(@TempDir Path tmp) throws IOException {
    // The real ConfigLoader rejects unknown keys: this proves every rendered key is one it reads.
    Path file = tmp.resolve("providers.json");
    Files.writeString(file, providersJson(Chart.withDefaults()).toString());
    OrchestratorConfig config = new ConfigLoader(Map.of("OPENAI_API_KEY", "sk-test")).loadFile(file);

    assertThat(config.server().port()).isEqualTo(3000);
    assertThat(config.providers()).extracting(ProviderConfig::name).startsWith("openai", "mistral", "openrouter", "ollama");
    // enabled: auto: a provider with a credential is on, one without stays off.
    assertThat(config.provider("openai")).get().extracting(ProviderConfig::enabled).isEqualTo(true);
    assertThat(config.provider("mistral")).get().extracting(ProviderConfig::enabled).isEqualTo(false);
    assertThat(config.provider("ollama")).get().extracting(ProviderConfig::baseUrl).isEqualTo("http://ollama:11434/v1");
  }

  @Test
  void aChangedConfigRollsThePodsAndAnUnrelatedValueDoesNot() {
    String before = configChecksum(Chart.withDefaults());
    String changedConfig = configChecksum(Chart.render(List.of(), Map.of("orchestrator.cache.ttl", "60")));
    String unrelated = configChecksum(Chart.render(List.of(), Map.of("autoscaling.maxReplicas", "20")));
    assertThat(before).matches("[0-9a-f]{64}");
    assertThat(changedConfig).isNotEqualTo(before);
    assertThat(unrelated).isEqualTo(before);
  }

  @Test
  void providerPreferenceValueBecomesTheEnvironmentVariable() {
    assertThat(Chart.withDefaults().env("orchestrator")).doesNotContainKey("PROVIDER_PREFERENCE");
    Chart.Rendered list = Chart.render(List.of(), Map.of("providerPreference[0]", "ollama", "providerPreference[1]", "openai"));
    assertThat(list.env("orchestrator")).containsEntry("PROVIDER_PREFERENCE", "ollama,openai");
    Chart.Rendered string = Chart.render(List.of(), Map.of("providerPreference", "ollama"));
    assertThat(string.env("orchestrator")).containsEntry("PROVIDER_PREFERENCE", "ollama");
  }

  @Test
  void providerPreferenceNamingAnUnknownProviderFailsTheRender() {
    // orchestrator would refuse to start; helm should refuse first, with the reason.
    assertThatThrownBy(() -> Chart.template(Chart.DIR, List.of(), Map.of("providerPreference", "anthropic")))
        .hasMessageContaining("providerPreference names \"anthropic\"");
  }

  @Test
  void secretHoldsOnlyTheKeysGivenInValues() {
    JsonNode empty = Chart.withDefaults().get("Secret", "orchestrator-secrets");
    assertThat(empty.has("stringData")).as("empty keys are not written").isFalse();

    JsonNode secret = Chart.render(List.of(), Map.of("secrets.apiKeys.OPENAI_API_KEY", "sk-test")).get("Secret", "orchestrator-secrets");
    assertThat(secret.at("/stringData/OPENAI_API_KEY").asText()).isEqualTo("sk-test");
    assertThat(secret.at("/stringData").size()).isEqualTo(1);
  }

  @Test
  void anExistingSecretIsMountedInsteadOfCreated() {
    Chart.Rendered r = Chart.render(List.of(), Map.of("secrets.create", "false"));
    assertThat(r.find("Secret", "orchestrator-secrets")).isEmpty();
    JsonNode volumes = r.get("Deployment", "orchestrator").at("/spec/template/spec/volumes");
    assertThat(volumes.findValuesAsText("secretName")).containsExactly("orchestrator-secrets");
  }

  @Test
  void serviceMonitorScrapesMetricsAtTheConfiguredInterval() {
    JsonNode sm = Chart.withMonitoring().get("ServiceMonitor", "orchestrator");
    assertThat(sm.at("/spec/selector/matchLabels/app").asText()).isEqualTo("orchestrator");
    assertThat(sm.at("/spec/namespaceSelector/matchNames/0").asText()).isEqualTo(Chart.NAMESPACE);
    JsonNode endpoint = sm.at("/spec/endpoints/0");
    assertThat(endpoint.path("port").asText()).isEqualTo("http");
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
    assertThat(endpoint.path("interval").asText()).isEqualTo("30s");

    JsonNode faster = Chart.render(List.of(Chart.MONITORING_VALUES), Map.of("monitoring.serviceMonitor.interval", "15s"))
        .get("ServiceMonitor", "orchestrator");
    assertThat(faster.at("/spec/endpoints/0/interval").asText()).isEqualTo("15s");
  }

  @Test
  void hpaScalesTheDeploymentOnInflightRequestsWithCpuAsFallback() {
    Chart.Rendered r = Chart.withDefaults();
    JsonNode hpa = r.get("HorizontalPodAutoscaler", "orchestrator-hpa");
    assertThat(hpa.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
    assertThat(hpa.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("Deployment");
    assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo("orchestrator");
    JsonNode pods = hpa.at("/spec/metrics/0");
    assertThat(pods.path("type").asText()).isEqualTo("Pods");
    assertThat(pods.at("/pods/metric/name").asText()).isEqualTo("orchestrator_inflight_requests");
    assertThat(pods.at("/pods/target/type").asText()).isEqualTo("AverageValue");
    JsonNode cpu = hpa.at("/spec/metrics/1");
    assertThat(cpu.at("/resource/name").asText()).isEqualTo("cpu");
    assertThat(cpu.at("/resource/target/type").asText()).isEqualTo("Utilization");
    // The HPA owns the replica count: a replicas field would fight it on every helm upgrade.
    assertThat(r.get("Deployment", "orchestrator").at("/spec/replicas").isMissingNode()).isTrue();
  }

  @Test
  void withoutAutoscalingTheDeploymentCarriesItsReplicaCount() {
    Chart.Rendered r = Chart.render(List.of(), Map.of("autoscaling.enabled", "false", "replicaCount", "3"));
    assertThat(r.find("HorizontalPodAutoscaler", "orchestrator-hpa")).isEmpty();
    assertThat(r.get("Deployment", "orchestrator").at("/spec/replicas").asInt()).isEqualTo(3);
  }

  @Test
  void prometheusAdapterRuleServesTheMetricTheHpaReads(@TempDir Path tmp) throws IOException {
    JsonNode adapter = Chart.YAML.readTree(Chart.REPO.resolve("deploy/prometheus-adapter/values.yaml").toFile());
    JsonNode rule = adapter.at("/rules/custom/0");
    String hpaMetric = Chart.withDefaults().get("HorizontalPodAutoscaler", "orchestrator-hpa").at("/spec/metrics/0/pods/metric/name").asText();
    assertThat(rule.at("/name/as").asText()).isEqualTo(hpaMetric);
    assertThat(rule.at("/resources/overrides/pod/resource").asText()).isEqualTo("pod");
    assertThat(rule.at("/resources/overrides/namespace/resource").asText()).isEqualTo("namespace");

    // The adapter fills in its <<.Series>>, <<.LabelMatchers>> and <<.GroupBy>>: the result must be PromQL
    // over metrics orchestrator exports.
    String seriesQuery = rule.path("seriesQuery").asText();
    String metricsQuery = rule.path("metricsQuery").asText()
        .replace("<<.Series>>", "orchestrator_inflight_requests")
        .replace("<<.LabelMatchers>>", "namespace=\"oss-ai\",pod=~\"orchestrator-.*\"")
        .replace("<<.GroupBy>>", "pod");
    PromQl.assertAllParse(Map.of("adapter_series", seriesQuery, "adapter_metrics", metricsQuery), tmp);
    assertThat(PromQl.metricNames(seriesQuery)).containsExactly(hpaMetric);
    assertThat(ExportedMetrics.exportedMetricNames()).contains(hpaMetric);
  }

  @Test
  void ollamaFallbackIsOptionalAndScalable() {
    assertThat(Chart.withDefaults().find("Deployment", "ollama")).isEmpty();
    Chart.Rendered r = Chart.render(List.of(), Map.of("ollama.enabled", "true", "ollama.replicas", "2"));
    assertThat(r.get("Deployment", "ollama").at("/spec/replicas").asInt()).isEqualTo(2);
    JsonNode svc = r.get("Service", "ollama");
    assertThat(svc.at("/spec/ports/0/port").asInt()).isEqualTo(11434);
    // The provider entry the runbook's PROVIDER_PREFERENCE=ollama routes to points at this Service.
    assertThat(r.get("ConfigMap", "orchestrator-config").at("/data/providers.json").asText()).contains("http://ollama:11434/v1");
  }

  @Test
  void redisIsOptional() {
    assertThat(Chart.withDefaults().find("Deployment", "orchestrator-redis")).isEmpty();
    Chart.Rendered r = Chart.render(List.of(), Map.of("redis.enabled", "true"));
    assertThat(r.get("Deployment", "orchestrator-redis").at("/spec/template/spec/containers/0/ports/0/containerPort").asInt()).isEqualTo(6379);
    assertThat(r.get("Service", "orchestrator-redis").at("/spec/ports/0/port").asInt()).isEqualTo(6379);
  }

  @Test
  void dashboardsAreIncludedFromTheChartFilesUnchanged() throws IOException {
    Chart.Rendered r = Chart.withMonitoring();
    for (Dashboards.Dashboard d : Dashboards.all()) {
      String name = d.file().replace(".json", "") + "-dashboard";
      JsonNode cm = r.get("ConfigMap", name);
      assertThat(cm.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
      String embedded = cm.path("data").path(d.file()).asText();
      assertThat(Chart.JSON.readTree(embedded)).as(d.file()).isEqualTo(d.json());
    }
    assertThat(Dashboards.all()).extracting(Dashboards.Dashboard::uid)
        .containsExactlyInAnyOrder("ossaat-provider-metrics", "ossaat-queue-health", "ossaat-cost-dashboard");
  }

  @Test
  void dashboardsNeedBothGrafanaFlags() {
    Chart.Rendered onlyGrafana = Chart.render(List.of(), Map.of("monitoring.grafana.enabled", "true"));
    assertThat(onlyGrafana.kindsAndNames()).noneMatch(n -> n.endsWith("-dashboard"));
  }

  private static JsonNode providersJson(Chart.Rendered r) throws IOException {
    return Chart.JSON.readTree(r.get("ConfigMap", "orchestrator-config").at("/data/providers.json").asText());
  }

  private static String configChecksum(Chart.Rendered r) {
    return r.get("Deployment", "orchestrator").at("/spec/template/metadata/annotations/checksum~1config").asText();
  }

  private static List<String> mountPaths(Chart.Rendered r) {
    return r.container("orchestrator").path("volumeMounts").findValuesAsText("mountPath");
  }

  private static Path copyChart(Path tmp) throws IOException {
    Path target = tmp.resolve("oss-ai-agent-tool");
    try (Stream<Path> files = Files.walk(Chart.DIR)) {
      for (Path source : files.toList()) {
        Path dest = target.resolve(Chart.DIR.relativize(source).toString());
        if (Files.isDirectory(source)) Files.createDirectories(dest);
        else Files.copy(source, dest);
      }
    }
    return target;
  }
}
