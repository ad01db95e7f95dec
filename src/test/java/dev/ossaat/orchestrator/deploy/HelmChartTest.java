package dev.ossaat.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.ossaat.orchestrator.config.AdmissionConfig;
import dev.ossaat.orchestrator.config.CacheConfig;
import dev.ossaat.orchestrator.config.CircuitBreakerConfig;
import dev.ossaat.orchestrator.config.ConfigLoader;
import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.config.ProbeConfig;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.config.ReloadConfig;
import dev.ossaat.orchestrator.config.RetryConfig;
import dev.ossaat.orchestrator.config.RoutingConfig;
import dev.ossaat.orchestrator.config.Timeouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
  void deploymentProbesHealthAndReadinessAndDrainsBeforeStopping() throws IOException {
    Chart.Rendered r = Chart.withDefaults();
    JsonNode c = r.container("orchestrator");
    assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    assertThat(c.at("/startupProbe/httpGet/path").asText()).isEqualTo("/healthz");
    // Issue 9: polled every second (start-up takes seconds with the CDS archive), same 60s budget.
    assertThat(c.at("/startupProbe/periodSeconds").asInt() * c.at("/startupProbe/failureThreshold").asInt()).isEqualTo(60);
    assertThat(c.at("/readinessProbe/periodSeconds").asInt()).isEqualTo(2);
    assertThat(c.at("/lifecycle/preStop/exec/command").toString()).isEqualTo("[\"sleep\",\"10\"]");
    assertThat(c.at("/resources/requests/cpu").asText()).as("the CPU fallback of the HPA needs a request").isNotEmpty();
    assertThat(c.at("/resources/limits/memory").asText()).isNotEmpty();
    // The preStop sleep (10s), then the drain (server.drainTimeout 30s), then 5s for the JVM to exit.
    assertThat(terminationGrace(r)).isEqualTo(10 + 30 + 5);
    assertThat(providersJson(r).at("/server/drainTimeout").asText()).isEqualTo("30s");
  }

  @Test
  void terminationGraceIsDerivedFromPreStopAndDrainTimeout() {
    assertThat(terminationGrace(Chart.render(List.of(), Map.of("orchestrator.server.drainTimeout", "2m")))).isEqualTo(10 + 120 + 5);
    assertThat(terminationGrace(Chart.render(List.of(), Map.of("orchestrator.server.drainTimeout", "1500ms",
        "preStopSleepSeconds", "0")))).isEqualTo(2 + 5);
    assertThat(terminationGrace(Chart.render(List.of(), Map.of("preStopSleepSeconds", "20",
        "terminationGraceMarginSeconds", "10")))).isEqualTo(20 + 30 + 10);
    // A number given explicitly is kept when it leaves room for the drain...
    assertThat(terminationGrace(Chart.render(List.of(), Map.of("terminationGracePeriodSeconds", "90")))).isEqualTo(90);
  }

  @Test
  void terminationGraceTooShortForTheDrainFailsTheRender() {
    // ...and refused when Kubernetes would kill the pod before its requests drained.
    assertThatThrownBy(() -> Chart.template(Chart.DIR, List.of(), Map.of("terminationGracePeriodSeconds", "40")))
        .hasMessageContaining("terminationGracePeriodSeconds (40) must exceed preStopSleepSeconds (10) + orchestrator.server.drainTimeout (30s)");
    assertThatThrownBy(() -> Chart.template(Chart.DIR, List.of(), Map.of("orchestrator.server.drainTimeout", "half a minute")))
        .hasMessageContaining("orchestrator.server.drainTimeout: expected a duration");
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
    assertThat(r.env("orchestrator")).containsEntry("ORCHESTRATOR_CONFIG", "/etc/orchestrator/config/providers.json");
    JsonNode config = providersJson(r);
    assertThat(mountPaths(r)).contains("/etc/orchestrator/config", config.at("/secrets/dir").asText());
    // Directory mounts only: the kubelet never updates a subPath mount, so reload would not see an
    // edited ConfigMap or a rotated Secret.
    assertThat(r.container("orchestrator").path("volumeMounts").findValuesAsText("subPath")).isEmpty();
    // Every key of the Secret becomes a file (provider keys and ORCHESTRATOR_ADMIN_TOKEN alike).
    assertThat(r.get("Deployment", "orchestrator").at("/spec/template/spec/volumes").findValues("items")).isEmpty();

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
        "/providers/openai/enabled", "/providers/ollama/baseUrl", "/routing/preference", "/server/port",
        // The resilience keys (issue 3).
        "/providers/circuitBreaker/countRateLimits",
        "/providers/retry/maxAttempts", "/providers/retry/initialBackoff", "/providers/retry/maxBackoff",
        "/providers/retry/maxRetryAfter",
        "/providers/admission/maxConcurrent", "/providers/admission/maxQueued", "/providers/admission/maxWait",
        "/providers/openai/weight", "/providers/openai/firstByteTimeout", "/providers/openai/streamIdleTimeout",
        "/server/requestTimeout", "/server/drainTimeout", "/routing/strategy",
        "/reload/enabled", "/reload/interval",
        "/health/probes/enabled", "/health/probes/interval", "/health/probes/timeout")) {
      assertThat(config.at(pointer).isMissingNode()).as("providers.json has %s", pointer).isFalse();
    }
    assertThat(config.at("/providers/connectionPool/maxConnections").asInt()).isEqualTo(100);
    assertThat(config.at("/cache/ttl").asInt()).isEqualTo(3600);
    // 10,000 open streams plus probes and scrapes (issue 9).
    assertThat(config.at("/server/maxConnections").asInt()).isEqualTo(11000);
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

    // The resilience settings as values.yaml gives them.
    ProviderConfig openai = config.provider("openai").orElseThrow();
    assertThat(openai.circuitBreaker()).isEqualTo(new CircuitBreakerConfig(5, Duration.ofSeconds(60), 3, true));
    assertThat(openai.retry()).isEqualTo(new RetryConfig(2, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(10)));
    assertThat(openai.admission()).isEqualTo(new AdmissionConfig(100, 200, Duration.ofSeconds(5)));
    assertThat(openai.timeouts()).isEqualTo(new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30)));
    assertThat(openai.weight()).isEqualTo(1);
    assertThat(config.server().requestTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(config.server().drainTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.routing().strategy()).isEqualTo(RoutingConfig.Strategy.PREFERENCE);
    assertThat(config.reload()).isEqualTo(new ReloadConfig(true, Duration.ofSeconds(5)));
    assertThat(config.probes()).isEqualTo(new ProbeConfig(false, Duration.ofSeconds(30), Duration.ofSeconds(5)));
    // No admin token in the ConfigMap: it comes from the Secret, or the admin API stays off.
    assertThat(config.admin().token().isPresent()).isFalse();
  }

  @Test
  void resilienceValuesReachTheConfigOrchestratorReads(@TempDir Path tmp) throws IOException {
    Chart.Rendered r = Chart.render(List.of(), Map.of(
        "orchestrator.providers.retry.maxAttempts", "3",
        "orchestrator.providers.admission.maxQueued", "50",
        "orchestrator.providers.mistral.weight", "0",
        "orchestrator.routing.strategy", "weighted",
        "orchestrator.routing.models.gpt-4o-mini.strategy", "least_inflight",
        "orchestrator.health.probes.enabled", "true",
        "orchestrator.reload.interval", "10s"));
    Path file = tmp.resolve("providers.json");
    Files.writeString(file, providersJson(r).toString());
    OrchestratorConfig config = new ConfigLoader(Map.of("OPENAI_API_KEY", "sk-test", "MISTRAL_API_KEY", "sk-m")).loadFile(file);
    assertThat(config.provider("openai").orElseThrow().retry().maxAttempts()).isEqualTo(3);
    assertThat(config.provider("openai").orElseThrow().admission().maxQueued()).isEqualTo(50);
    assertThat(config.provider("mistral").orElseThrow().weight()).isZero();
    assertThat(config.routing().strategy()).isEqualTo(RoutingConfig.Strategy.WEIGHTED);
    assertThat(config.routing().strategyFor("gpt-4o-mini")).isEqualTo(RoutingConfig.Strategy.LEAST_INFLIGHT);
    assertThat(config.probes().enabled()).isTrue();
    assertThat(config.reload().interval()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void adminTokenGoesIntoTheSecretAndOrchestratorFindsItInTheMountedFiles(@TempDir Path tmp) throws IOException {
    Chart.Rendered r = Chart.render(List.of(), Map.of("secrets.adminToken", "admin-test-token"));
    JsonNode secret = r.get("Secret", "orchestrator-secrets");
    assertThat(secret.at("/stringData/ORCHESTRATOR_ADMIN_TOKEN").asText()).isEqualTo("admin-test-token");
    assertThat(Chart.YAML.writeValueAsString(r.get("ConfigMap", "orchestrator-config"))).doesNotContain("admin-test-token");

    // The kubelet writes each Secret key as a file of that name in the mounted directory.
    Path secrets = Files.createDirectories(tmp.resolve("secrets"));
    secret.path("stringData").properties().forEach(e -> write(secrets.resolve(e.getKey()), e.getValue().asText()));
    Path file = tmp.resolve("providers.json");
    Files.writeString(file, providersJson(r).toString());
    OrchestratorConfig config = new ConfigLoader(Map.of("ORCHESTRATOR_SECRETS_DIR", secrets.toString())).loadFile(file);
    assertThat(config.admin().token().reveal()).isEqualTo("admin-test-token");
  }

  @Test
  void onlyConfigThatAppliesAtStartRollsThePods() {
    String before = configChecksum(Chart.withDefaults());
    assertThat(before).matches("[0-9a-f]{64}");
    // Keys orchestrator applies only at start (a reload logs that they need a restart).
    for (Map.Entry<String, Object> restartOnly : Map.<String, Object>of(
        "orchestrator.cache.ttl", "60", "orchestrator.server.maxBodyBytes", "1048576",
        "orchestrator.server.drainTimeout", "45s", "orchestrator.metrics.maxTenants", "10",
        "orchestrator.reload.interval", "10s", "orchestrator.health.probes.enabled", "true",
        "orchestrator.responses.store", "redis").entrySet()) {
      assertThat(configChecksum(Chart.render(List.of(), Map.of(restartOnly.getKey(), restartOnly.getValue()))))
          .as(restartOnly.getKey()).isNotEqualTo(before);
    }
    // Keys the running pods reload by themselves, and values that are not config at all.
    for (Map.Entry<String, Object> reloadable : Map.<String, Object>of(
        "orchestrator.providers.circuitBreaker.threshold", "10", "orchestrator.providers.openai.weight", "0",
        "orchestrator.providers.admission.maxQueued", "50", "orchestrator.routing.strategy", "weighted",
        "orchestrator.server.requestTimeout", "60s", "orchestrator.providers.ollama.enabled", "true",
        "autoscaling.maxReplicas", "20").entrySet()) {
      assertThat(configChecksum(Chart.render(List.of(), Map.of(reloadable.getKey(), reloadable.getValue()))))
          .as(reloadable.getKey()).isEqualTo(before);
    }
    // A rotated key is re-read from the mounted files: it does not roll the pods either.
    Chart.Rendered withKey = Chart.render(List.of(), Map.of("secrets.apiKeys.OPENAI_API_KEY", "sk-test"));
    assertThat(withKey.get("Deployment", "orchestrator").at("/spec/template/metadata/annotations").has("checksum/secrets")).isFalse();
  }

  @Test
  void withoutReloadEveryConfigOrSecretChangeRollsThePods() {
    Map<String, Object> off = Map.of("orchestrator.reload.enabled", "false");
    String before = configChecksum(Chart.render(List.of(), off));
    Map<String, Object> changed = new java.util.HashMap<>(off);
    changed.put("orchestrator.providers.circuitBreaker.threshold", "10");
    assertThat(configChecksum(Chart.render(List.of(), changed))).isNotEqualTo(before);

    Map<String, Object> key = new java.util.HashMap<>(off);
    key.put("secrets.apiKeys.OPENAI_API_KEY", "sk-test");
    assertThat(Chart.render(List.of(), key).get("Deployment", "orchestrator")
        .at("/spec/template/metadata/annotations/checksum~1secrets").asText()).matches("[0-9a-f]{64}");
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
  void hpaScalesTheDeploymentOnInflightRequestsAndQueueDepthWithCpuAsFallback() {
    Chart.Rendered r = Chart.withDefaults();
    JsonNode hpa = r.get("HorizontalPodAutoscaler", "orchestrator-hpa");
    assertThat(hpa.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
    assertThat(hpa.at("/spec/scaleTargetRef/kind").asText()).isEqualTo("Deployment");
    assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo("orchestrator");
    JsonNode inflight = hpa.at("/spec/metrics/0");
    assertThat(inflight.path("type").asText()).isEqualTo("Pods");
    assertThat(inflight.at("/pods/metric/name").asText()).isEqualTo("orchestrator_inflight_requests");
    assertThat(inflight.at("/pods/target/type").asText()).isEqualTo("AverageValue");
    assertThat(inflight.at("/pods/target/averageValue").asText()).isEqualTo("20");
    JsonNode queue = hpa.at("/spec/metrics/1");
    assertThat(queue.path("type").asText()).isEqualTo("Pods");
    assertThat(queue.at("/pods/metric/name").asText()).isEqualTo("orchestrator_queue_depth");
    assertThat(queue.at("/pods/target/type").asText()).isEqualTo("AverageValue");
    assertThat(queue.at("/pods/target/averageValue").asText()).isEqualTo("10");
    JsonNode cpu = hpa.at("/spec/metrics/2");
    assertThat(cpu.at("/resource/name").asText()).isEqualTo("cpu");
    assertThat(cpu.at("/resource/target/type").asText()).isEqualTo("Utilization");
    // Each custom metric can be turned off; CPU always stays.
    JsonNode cpuOnly = Chart.render(List.of(), Map.of("autoscaling.queueDepth.enabled", "false", "autoscaling.inflight.enabled", "false"))
        .get("HorizontalPodAutoscaler", "orchestrator-hpa");
    assertThat(cpuOnly.at("/spec/metrics")).singleElement()
        .satisfies(m -> assertThat(m.at("/resource/name").asText()).isEqualTo("cpu"));
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
  void prometheusAdapterRulesServeTheMetricsTheHpaReads(@TempDir Path tmp) throws IOException {
    JsonNode adapter = Chart.YAML.readTree(Chart.REPO.resolve("deploy/prometheus-adapter/values.yaml").toFile());
    List<String> hpaMetrics = Chart.withDefaults().get("HorizontalPodAutoscaler", "orchestrator-hpa")
        .at("/spec/metrics").findValues("pods").stream().map(p -> p.at("/metric/name").asText()).toList();
    assertThat(hpaMetrics).containsExactly("orchestrator_inflight_requests", "orchestrator_queue_depth");
    Map<String, JsonNode> rulesByName = new java.util.LinkedHashMap<>();
    adapter.at("/rules/custom").forEach(rule -> rulesByName.put(rule.at("/name/as").asText(), rule));
    assertThat(rulesByName.keySet()).containsExactlyElementsOf(hpaMetrics);

    Map<String, String> queries = new java.util.LinkedHashMap<>();
    for (String hpaMetric : hpaMetrics) {
      JsonNode rule = rulesByName.get(hpaMetric);
      assertThat(rule.at("/resources/overrides/pod/resource").asText()).isEqualTo("pod");
      assertThat(rule.at("/resources/overrides/namespace/resource").asText()).isEqualTo("namespace");
      assertThat(rule.at("/name/matches").asText()).isEqualTo("^" + hpaMetric + "$");
      // The adapter fills in its <<.Series>>, <<.LabelMatchers>> and <<.GroupBy>>: the result must be PromQL
      // over metrics orchestrator exports, summed per pod (one series per provider or queue).
      String seriesQuery = rule.path("seriesQuery").asText();
      String metricsQuery = rule.path("metricsQuery").asText()
          .replace("<<.Series>>", hpaMetric)
          .replace("<<.LabelMatchers>>", "namespace=\"oss-ai\",pod=~\"orchestrator-.*\"")
          .replace("<<.GroupBy>>", "pod");
      assertThat(metricsQuery).startsWith("sum by (pod) (");
      queries.put("adapter_series_" + hpaMetric, seriesQuery);
      queries.put("adapter_metrics_" + hpaMetric, metricsQuery);
      assertThat(PromQl.metricNames(seriesQuery)).containsExactly(hpaMetric);
      assertThat(ExportedMetrics.exportedMetricNames()).contains(hpaMetric);
    }
    PromQl.assertAllParse(queries, tmp);
  }

  @Test
  void ollamaFallbackIsOptionalAndScalable() throws IOException {
    Chart.Rendered defaults = Chart.withDefaults();
    assertThat(defaults.find("Deployment", "ollama")).isEmpty();
    // Without the chart's Ollama, its provider entry stays out of the routing.
    assertThat(providersJson(defaults).at("/providers/ollama/enabled").asBoolean(true)).isFalse();

    Chart.Rendered r = Chart.render(List.of(), Map.of("ollama.enabled", "true"));
    // The runbook's `kubectl scale deploy ollama`: Deployment ollama, one warm pod by default.
    JsonNode deployment = r.get("Deployment", "ollama");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(Chart.render(List.of(), Map.of("ollama.enabled", "true", "ollama.replicas", "2"))
        .get("Deployment", "ollama").at("/spec/replicas").asInt()).isEqualTo(2);
    JsonNode svc = r.get("Service", "ollama");
    assertThat(svc.at("/spec/ports/0/port").asInt()).isEqualTo(11434);
    assertThat(svc.at("/spec/selector")).isEqualTo(deployment.at("/spec/selector/matchLabels"));

    // The provider the runbook's PROVIDER_PREFERENCE=ollama routes to: enabled with the chart's Ollama,
    // pointed at its Service, answering every model with the default model the Ollama pods pull.
    JsonNode ollama = providersJson(r).at("/providers/ollama");
    assertThat(ollama.path("enabled").asBoolean()).isTrue();
    assertThat(ollama.path("baseUrl").asText()).isEqualTo("http://" + svc.at("/metadata/name").asText() + ":11434/v1");
    assertThat(ollama.path("acceptAnyModel").asBoolean()).isTrue();
    assertThat(ollama.path("model").asText()).isEqualTo("llama3.2");
    String postStart = r.container("ollama").at("/lifecycle/postStart/exec/command/2").asText();
    assertThat(postStart).contains("ollama pull \"llama3.2\"");

    // Another default model is what gets pulled; further models come from ollama.pullModels, once each.
    Chart.Rendered other = Chart.render(List.of(), Map.of("ollama.enabled", "true",
        "orchestrator.providers.ollama.model", "qwen2.5:7b", "ollama.pullModels[0]", "llama3.2", "ollama.pullModels[1]", "qwen2.5:7b"));
    String pulls = other.container("ollama").at("/lifecycle/postStart/exec/command/2").asText();
    assertThat(pulls).contains("ollama pull \"qwen2.5:7b\"", "ollama pull \"llama3.2\"");
    assertThat(pulls.split("ollama pull ", -1)).hasSize(3);
    assertThat(providersJson(other).at("/providers/ollama/model").asText()).isEqualTo("qwen2.5:7b");

    // An explicit `enabled` wins both ways: an Ollama elsewhere, or the chart's kept out of the routing.
    assertThat(providersJson(Chart.render(List.of(), Map.of("orchestrator.providers.ollama.enabled", "true",
        "orchestrator.providers.ollama.baseUrl", "http://ollama.models.svc:11434/v1"))).at("/providers/ollama/enabled").asBoolean()).isTrue();
    assertThat(providersJson(Chart.render(List.of(), Map.of("ollama.enabled", "true", "orchestrator.providers.ollama.enabled", "false")))
        .at("/providers/ollama/enabled").asBoolean(true)).isFalse();
  }

  @Test
  void redisIsOptional() {
    assertThat(Chart.withDefaults().find("Deployment", "orchestrator-redis")).isEmpty();
    Chart.Rendered r = Chart.render(List.of(), Map.of("redis.enabled", "true"));
    assertThat(r.get("Deployment", "orchestrator-redis").at("/spec/template/spec/containers/0/ports/0/containerPort").asInt()).isEqualTo(6379);
    assertThat(r.get("Service", "orchestrator-redis").at("/spec/ports/0/port").asInt()).isEqualTo(6379);
    // It holds API keys and limit counters: never evicted (only expiring keys are), kept across a
    // container restart (append-only file), on a claim when one is named.
    String args = r.get("Deployment", "orchestrator-redis").at("/spec/template/spec/containers/0/args").toString();
    assertThat(args).contains("\"--maxmemory-policy\",\"volatile-lru\"").contains("\"--appendonly\",\"yes\"")
        .doesNotContain("allkeys");
    assertThat(r.get("Deployment", "orchestrator-redis").at("/spec/template/spec/volumes/0/emptyDir").isObject()).isTrue();
    Chart.Rendered claimed = Chart.render(List.of(), Map.of("redis.enabled", "true", "redis.persistence.existingClaim", "redis-data"));
    assertThat(claimed.get("Deployment", "orchestrator-redis").at("/spec/template/spec/volumes/0/persistentVolumeClaim/claimName")
        .asText()).isEqualTo("redis-data");
  }

  @Test
  void chartRedisBecomesTheSharedCacheInAConfigOrchestratorAccepts(@TempDir Path tmp) throws IOException {
    // Without the chart's Redis: the per-pod cache, and the default Redis settings (unused).
    Path plain = tmp.resolve("plain.json");
    Files.writeString(plain, providersJson(Chart.withDefaults()).toString());
    OrchestratorConfig defaults = new ConfigLoader(Map.of("OPENAI_API_KEY", "sk-test")).loadFile(plain);
    assertThat(defaults.cache().type()).isEqualTo(CacheConfig.CacheType.MEMORY);
    assertThat(defaults.cache().cacheNonDeterministic()).isFalse();

    Chart.Rendered r = Chart.render(List.of(), Map.of("redis.enabled", "true", "orchestrator.cache.enabled", "true",
        "orchestrator.cache.compressionEnabled", "true", "orchestrator.cache.maxSize", "5000"));
    Path file = tmp.resolve("providers.json");
    Files.writeString(file, providersJson(r).toString());
    OrchestratorConfig config = new ConfigLoader(Map.of("OPENAI_API_KEY", "sk-test")).loadFile(file);
    assertThat(config.cache()).isEqualTo(new CacheConfig(true, CacheConfig.CacheType.REDIS, Duration.ofHours(1), 5000, true, false));
    assertThat(config.redis().url()).isEqualTo("redis://orchestrator-redis." + Chart.NAMESPACE + ".svc:6379");
    assertThat(config.redis().keyPrefix()).isEqualTo("orchestrator:");
    assertThat(config.redis().commandTimeout()).isEqualTo(Duration.ofMillis(250));
    // Conversations continue on whichever pod answers the follow-up.
    assertThat(config.responses().store()).isEqualTo(dev.ossaat.orchestrator.config.ResponsesConfig.StoreType.REDIS);

    // Another Redis named in the values wins over the chart's.
    Chart.Rendered external = Chart.render(List.of(), Map.of("redis.enabled", "true",
        "orchestrator.redis.url", "rediss://cache.example.internal:6380"));
    assertThat(providersJson(external).at("/redis/url").asText()).isEqualTo("rediss://cache.example.internal:6380");
    // Turning the chart's Redis on changes a start-only setting: the pods roll.
    assertThat(configChecksum(r)).isNotEqualTo(configChecksum(Chart.render(List.of(), Map.of(
        "orchestrator.cache.enabled", "true", "orchestrator.cache.compressionEnabled", "true", "orchestrator.cache.maxSize", "5000"))));
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
    return r.get("Deployment", "orchestrator").at("/spec/template/metadata/annotations/checksum~1config-restart").asText();
  }

  private static int terminationGrace(Chart.Rendered r) {
    JsonNode grace = r.get("Deployment", "orchestrator").at("/spec/template/spec/terminationGracePeriodSeconds");
    assertThat(grace.isInt()).as("terminationGracePeriodSeconds is an integer: %s", grace).isTrue();
    return grace.asInt();
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
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
