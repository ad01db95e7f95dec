package dev.ossaat.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.config.AdmissionConfig;
import dev.ossaat.orchestrator.config.CircuitBreakerConfig;
import dev.ossaat.orchestrator.config.ConfigLoader;
import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.config.ProviderConfig;
import dev.ossaat.orchestrator.config.RetryConfig;
import dev.ossaat.orchestrator.config.RoutingConfig;
import dev.ossaat.orchestrator.config.Timeouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/runbooks/provider-monitoring.md stays true: its structure is the shared runbook's, its helm
 * and kubectl commands name what the chart creates, its PromQL parses and names exported metrics,
 * its config snippets are chart values that orchestrator accepts, and its log pipelines work on
 * orchestrator's log lines.
 */
class RunbookTest {
  private static final Map<String, String> KUBECTL_KINDS = Map.of(
      "deploy", "Deployment", "svc", "Service", "cm", "ConfigMap", "secret", "Secret",
      "hpa", "HorizontalPodAutoscaler", "prometheusrule", "PrometheusRule", "servicemonitor", "ServiceMonitor");

  @Test
  void keepsTheStructureOfTheSharedRunbook() {
    List<String> sections = new ArrayList<>();
    for (String line : Runbook.text().split("\n")) {
      if (line.startsWith("## ")) sections.add(line.substring(3).strip());
    }
    assertThat(sections).containsSubsequence("Overview", "Table of Contents", "Quick Reference", "Monitoring Setup",
        "Key Metrics", "Alert Response Procedures", "Troubleshooting Guide", "Performance Tuning",
        "Maintenance Procedures", "Appendix");
    assertThat(Runbook.subHeadings("Troubleshooting Guide"))
        .contains("Provider Not Receiving Requests", "High Cache Miss Rate", "Provider Authentication Failures");
    assertThat(Runbook.subHeadings("Maintenance Procedures"))
        .contains("Provider Credential Rotation", "Adding New Provider", "Provider Deprecation");
    assertThat(Runbook.subHeadings("Performance Tuning"))
        .contains("Connection Pool Configuration", "Request Batching", "Circuit Breaker Tuning", "Caching Strategy",
            "Retries", "Timeouts", "Admission Queues", "Routing Strategies", "Graceful Shutdown");
    assertThat(Runbook.subHeadings("Maintenance Procedures")).contains("Configuration Changes Without Restart");
    assertThat(Runbook.subHeadings("Quick Reference")).contains("Admin API");
  }

  @Test
  void internalLinksPointAtHeadings() {
    Matcher m = Pattern.compile("\\]\\(#([^)]+)\\)").matcher(Runbook.text());
    Set<String> anchors = Runbook.anchors();
    while (m.find()) assertThat(anchors).as("link #%s", m.group(1)).contains(m.group(1));
  }

  @Test
  void monitoringValuesBlockIsTheOneTheChartTestsRenderWith() throws IOException {
    Runbook.CodeBlock block = Runbook.codeBlocks("yaml").stream()
        .filter(b -> b.section().equals("1. Enable Monitoring Components")).findFirst().orElseThrow();
    assertThat(Chart.YAML.readTree(block.text())).isEqualTo(Chart.YAML.readTree(Chart.MONITORING_VALUES.toFile()));
  }

  @Test
  void helmCommandsDeployThisChartIntoTheRunbookNamespace() {
    List<String> helm = commands().stream().filter(c -> c.startsWith("helm upgrade") && c.contains(" oss-ai-agent-tool ")).toList();
    assertThat(helm).hasSizeGreaterThanOrEqualTo(2);
    for (String command : helm) {
      assertThat(command).as(command).contains("./charts/oss-ai-agent-tool").contains("-n oss-ai");
    }
    assertThat(Chart.DIR.resolve("Chart.yaml")).exists();
    assertThat(Chart.REPO.resolve("deploy/prometheus-adapter/values.yaml")).exists();
  }

  @Test
  void kubectlCommandsNameObjectsTheChartCreates() {
    // The emergency fallback's prerequisite (documented with it) deploys Ollama too.
    Chart.Rendered r = Chart.render(List.of(Chart.MONITORING_VALUES), Map.of("ollama.enabled", "true"));
    Pattern reference = Pattern.compile("\\b(deploy|svc|cm|secret|hpa|prometheusrule|servicemonitor)[/ ]([a-z][a-z0-9-]*)");
    Pattern label = Pattern.compile("-l ([a-z_]+)=([a-z0-9-]+)");
    int checked = 0;
    for (String command : commands()) {
      // Commands for the monitoring stack's own namespace are about objects this chart does not make.
      if (!command.contains("kubectl ") || command.contains("-n monitoring")) continue;
      assertThat(command.contains("-n oss-ai") || command.contains("/namespaces/oss-ai/"))
          .as("namespace oss-ai in: %s", command).isTrue();
      Matcher m = reference.matcher(command);
      while (m.find()) {
        r.get(KUBECTL_KINDS.get(m.group(1)), m.group(2));
        checked++;
      }
      Matcher l = label.matcher(command);
      while (l.find()) {
        String key = l.group(1);
        String value = l.group(2);
        assertThat(r.objects).as("an object labelled %s=%s", key, value)
            .anyMatch(o -> value.equals(o.at("/metadata/labels/" + key).asText()));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(20);
  }

  @Test
  void promqlParsesAndNamesOnlyExportedMetrics(@TempDir Path tmp) {
    Map<String, String> queries = new LinkedHashMap<>();
    int i = 0;
    for (Runbook.CodeBlock block : Runbook.codeBlocks("promql")) {
      for (String query : queries(block.text())) {
        String expr = query.replace("<provider>", "openai");
        queries.put("runbook_query_" + (++i), expr);
        assertThat(PromQl.metricNames(expr)).as(query).isNotEmpty().isSubsetOf(ExportedMetrics.exportedMetricNames());
      }
    }
    assertThat(queries).hasSizeGreaterThan(15);
    PromQl.assertAllParse(queries, tmp);
  }

  @Test
  void breakerStateIsReadAsTheSharedRunbookReadsIt() {
    // One series per provider (and pod): 0 = closed, 1 = open, 2 = half-open. No query selects a
    // state label, the flapping count is the shared runbook's query as written, and the alert is `== 1`.
    String text = Runbook.text();
    assertThat(text).doesNotContainPattern("circuit_breaker_state\\{[^}]*state\\s*=");
    assertThat(DashboardTest.appendixQueries())
        .containsEntry("Circuit breaker flapping", "changes(orchestrator_provider_circuit_breaker_state[30m])");
    assertThat(text.lines().filter(l -> l.startsWith("| `orchestrator_provider_circuit_breaker_state`")))
        .singleElement().asString().contains("0 = closed", "1 = open", "2 = half-open", "opened by an operator reads 1");
    String alert = alertExpr("ProviderCircuitBreakerOpen");
    assertThat(alert).contains("orchestrator_provider_circuit_breaker_state == 1");
    assertThat(text).contains("(`" + alert + "`");
  }

  private static String alertExpr(String name) {
    for (JsonNode rule : Chart.withMonitoring().get("PrometheusRule", "orchestrator-alerts").at("/spec/groups/0/rules")) {
      if (name.equals(rule.path("alert").asText())) return rule.path("expr").asText().strip();
    }
    throw new AssertionError("no alert " + name);
  }

  @Test
  void valuesSnippetsUseOnlyKeysTheChartHas() throws IOException {
    JsonNode values = Chart.YAML.readTree(Chart.DIR.resolve("values.yaml").toFile());
    // New map entries the snippets add on purpose (a new provider, labels for the Prometheus selector).
    List<String> open = List.of("orchestrator.providers.newProvider", "orchestrator.metrics.providers",
        "monitoring.serviceMonitor.labels", "monitoring.prometheus.alerts.labels");
    int checked = 0;
    for (Runbook.CodeBlock block : Runbook.codeBlocks("yaml")) {
      for (String path : leafPaths(Chart.YAML.readTree(block.text()), "")) {
        if (open.stream().anyMatch(path::startsWith)) continue;
        assertThat(values.at(valuesPointer(path)).isMissingNode()).as("values.yaml has %s (%s)", path, block.section()).isFalse();
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(40);
  }

  /**
   * Where values.yaml has the key a snippet sets: the key itself, or for a provider's own override
   * (providers.<p>.circuitBreaker.threshold) and a model's own strategy (routing.models.<m>.strategy)
   * the shared key it overrides, for a provider and a setting that values.yaml has.
   */
  private static String valuesPointer(String path) {
    Matcher override = Pattern.compile("orchestrator\\.providers\\.([A-Za-z][\\w-]*)\\.(connectionPool|circuitBreaker|retry|admission)\\.(\\w+)")
        .matcher(path);
    if (override.matches()) {
      JsonNode values = Chart.YAML.createObjectNode();
      try {
        values = Chart.YAML.readTree(Chart.DIR.resolve("values.yaml").toFile());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      assertThat(values.at("/orchestrator/providers/" + override.group(1)).isObject())
          .as("%s overrides a setting of a provider values.yaml has", path).isTrue();
      return "/orchestrator/providers/" + override.group(2) + "/" + override.group(3);
    }
    Matcher model = Pattern.compile("orchestrator\\.routing\\.models\\.[^.]+\\.strategy").matcher(path);
    if (model.matches()) return "/orchestrator/routing/strategy";
    return "/" + path.replace('.', '/');
  }

  @Test
  void resilienceSnippetsMeanWhatTheRunbookSays(@TempDir Path tmp) throws IOException {
    Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-test", "MISTRAL_API_KEY", "sk-m", "OPENROUTER_API_KEY", "sk-r");
    // Circuit Breaker Tuning: the shared settings, and a provider's own override on top of them.
    OrchestratorConfig breakers = snippetConfig("Circuit Breaker Tuning", env, tmp);
    assertThat(breakers.provider("openai").orElseThrow().circuitBreaker())
        .isEqualTo(new CircuitBreakerConfig(5, Duration.ofSeconds(60), 3, true));
    assertThat(breakers.provider("openrouter").orElseThrow().circuitBreaker())
        .isEqualTo(new CircuitBreakerConfig(3, Duration.ofSeconds(120), 3, true));
    // Retries, Timeouts, Admission Queues.
    assertThat(snippetConfig("Retries", env, tmp).provider("openai").orElseThrow().retry())
        .isEqualTo(new RetryConfig(2, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(10)));
    OrchestratorConfig timeouts = snippetConfig("Timeouts", env, tmp);
    assertThat(timeouts.server().requestTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(timeouts.provider("openai").orElseThrow().timeouts())
        .isEqualTo(new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(30)));
    assertThat(timeouts.provider("openai").orElseThrow().connectionPool().connectionTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(snippetConfig("Admission Queues", env, tmp).provider("openai").orElseThrow().admission())
        .isEqualTo(new AdmissionConfig(100, 200, Duration.ofSeconds(5)));
    // Routing Strategies: weighted by default, least_inflight for one model.
    OrchestratorConfig routing = snippetConfig("Routing Strategies", env, tmp);
    assertThat(routing.routing().strategy()).isEqualTo(RoutingConfig.Strategy.WEIGHTED);
    assertThat(routing.routing().strategyFor("gpt-4o-mini")).isEqualTo(RoutingConfig.Strategy.LEAST_INFLIGHT);
    assertThat(routing.provider("openai").orElseThrow().weight()).isEqualTo(3);
    // Provider Deprecation: weight 0 under the weighted strategy (the only strategy that reads weights).
    OrchestratorConfig deprecation = snippetConfig("Provider Deprecation", env, tmp);
    assertThat(deprecation.routing().strategy()).isEqualTo(RoutingConfig.Strategy.WEIGHTED);
    assertThat(deprecation.provider("mistral").orElseThrow().weight()).isZero();
    assertThat(deprecation.provider("openai").orElseThrow().weight()).isPositive();
    // Graceful Shutdown: the drain timeout, and the grace period the chart derives from it.
    Path valuesFile = tmp.resolve("shutdown.yaml");
    Files.writeString(valuesFile, snippet("Graceful Shutdown"));
    String rendered = Chart.template(Chart.DIR, List.of(valuesFile), Map.of());
    assertThat(loadRenderedConfig(rendered, env, tmp).server().drainTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(new Chart.Rendered(rendered).get("Deployment", "orchestrator")
        .at("/spec/template/spec/terminationGracePeriodSeconds").asInt()).isEqualTo(10 + 30 + 5);
  }

  @Test
  void adminCallsUseTheRoutesOrchestratorServesOnEveryPod() throws IOException {
    String http = Files.readString(Chart.REPO.resolve("src/main/java/dev/ossaat/orchestrator/api/HttpApi.java"));
    for (String action : List.of("reset", "open")) {
      assertThat(http).contains("\"/admin/providers/:name/circuit-breaker/" + action + "\"");
      assertThat(Runbook.text()).contains("/admin/providers/<provider>/circuit-breaker/" + action);
    }
    // The runbook's admin loop goes to each pod (breakers are per pod), not through the Service, with
    // the token from the Secret key the chart writes and orchestrator reads.
    List<String> admin = commands().stream().filter(c -> c.contains("/admin/providers/")).toList();
    assertThat(admin).isNotEmpty().allSatisfy(c -> assertThat(c)
        .contains("Authorization: Bearer $TOKEN").doesNotContain("orchestrator:3000").doesNotContain("svc/"));
    assertThat(commands()).anyMatch(c -> c.startsWith("for pod in $(kubectl get pods -l app=orchestrator -n oss-ai -o name)"));
    assertThat(commands()).anyMatch(c -> c.contains("kubectl port-forward \"$pod\""));
    assertThat(commands()).anyMatch(c -> c.contains("{.data.ORCHESTRATOR_ADMIN_TOKEN}"));
    assertThat(Chart.render(List.of(), Map.of("secrets.adminToken", "t")).get("Secret", "orchestrator-secrets")
        .at("/stringData/ORCHESTRATOR_ADMIN_TOKEN").asText()).isEqualTo("t");
  }

  @Test
  void breakerAndReloadLogGrepsFindTheTransitionLinesOrchestratorWrites() throws IOException {
    // The sample log's breaker lines are in the format orchestrator's code writes them.
    String breaker = Files.readString(Chart.REPO.resolve("src/main/java/dev/ossaat/orchestrator/resilience/ProviderBreaker.java"));
    assertThat(breaker).contains("\"circuit breaker {} {} -> {} reason=\\\"{}\\\" last_error=\\\"{}\\\"\"")
        .contains("\"circuit breaker {} {} -> {} reason=\\\"{}\\\"\"")
        .contains("\"opened by an operator\"").contains("\"reset by an operator\"")
        .contains("\" consecutive failures\"").contains("\"a trial request failed in half-open\"");
    String orchestrator = Files.readString(Chart.REPO.resolve("src/main/java/dev/ossaat/orchestrator/Orchestrator.java"));
    assertThat(orchestrator).contains("\"config reloaded from {} providers={} changed={}{}\"");
    String watcher = Files.readString(Chart.REPO.resolve("src/main/java/dev/ossaat/orchestrator/config/ConfigWatcher.java"));
    assertThat(watcher).contains("\"config reload rejected, keeping the running config: {}\"");
    List<String> sample = Files.readAllLines(Chart.REPO.resolve("src/test/resources/deploy/sample-orchestrator.log"));
    Pattern transition = Pattern.compile("^\\S+ (INFO|WARN) circuit breaker (\\w+) (closed|open|half_open) -> (closed|open|half_open) reason=\"[^\"]+\"( last_error=\".*\")?$");
    assertThat(sample.stream().filter(l -> l.contains(" circuit breaker ") && !l.contains(" admin ")))
        .hasSizeGreaterThanOrEqualTo(5).allMatch(l -> transition.matcher(l).matches());
    // The ProviderCircuitBreakerOpen response greps exactly as the spec's runbook does.
    assertThat(commands()).anyMatch(c -> c.startsWith("kubectl logs -l app=orchestrator -n oss-ai")
        && c.endsWith("| grep \"circuit breaker\" | grep <provider>"));
  }

  private static String snippet(String section) {
    List<Runbook.CodeBlock> blocks = Runbook.codeBlocks("yaml").stream().filter(b -> b.section().equals(section)).toList();
    assertThat(blocks).as("yaml blocks under %s", section).isNotEmpty();
    ObjectNode merged = Chart.YAML.createObjectNode();
    for (Runbook.CodeBlock block : blocks) {
      try {
        Chart.deepMerge(merged, (ObjectNode) Chart.YAML.readTree(block.text()));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    try {
      return Chart.YAML.writeValueAsString(merged);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static OrchestratorConfig snippetConfig(String section, Map<String, String> env, Path tmp) throws IOException {
    Path valuesFile = tmp.resolve("snippet-" + section.replaceAll("\\W", "_") + ".yaml");
    Files.writeString(valuesFile, snippet(section));
    return loadRenderedConfig(Chart.template(Chart.DIR, List.of(valuesFile), Map.of()), env, tmp);
  }

  @Test
  void orchestratorAcceptsEveryConfigSnippetAsRenderedByTheChart(@TempDir Path tmp) throws IOException {
    for (Runbook.CodeBlock block : Runbook.codeBlocks("yaml")) {
      if (!Chart.YAML.readTree(block.text()).has("orchestrator")) continue;
      Path valuesFile = tmp.resolve("snippet.yaml");
      // The metrics mapping names a provider, so it needs the provider snippet beside it.
      String snippet = block.section().equals("Adding New Provider") ? addingNewProviderValues() : block.text();
      Files.writeString(valuesFile, snippet);
      loadRenderedConfig(Chart.template(Chart.DIR, List.of(valuesFile), Map.of()), Map.of("OPENAI_API_KEY", "sk-test"), tmp);
    }
  }

  @Test
  void addingNewProviderShowsTheValuesSnippetAndTheHelmCommandThatDeploysIt() throws IOException {
    List<Runbook.CodeBlock> blocks = Runbook.codeBlocks().stream().filter(b -> b.section().equals("Adding New Provider")).toList();
    assertThat(blocks).filteredOn(b -> b.language().equals("yaml"))
        .anySatisfy(b -> assertThat(Chart.YAML.readTree(b.text()).at("/orchestrator/providers/newProvider").isObject()).isTrue());
    assertThat(blocks).filteredOn(b -> b.language().equals("bash")).anySatisfy(b -> assertThat(b.text())
        .contains("helm upgrade oss-ai-agent-tool ./charts/oss-ai-agent-tool -n oss-ai --values values.yaml"));
  }

  @Test
  void aProviderAddedAsTheRunbookSaysIsEnabledWithItsKeyFromTheSecret(@TempDir Path tmp) throws IOException {
    Path valuesFile = tmp.resolve("new-provider.yaml");
    Files.writeString(valuesFile, addingNewProviderValues());
    Path secrets = Files.createDirectories(tmp.resolve("secrets"));
    Files.writeString(secrets.resolve("NEWPROVIDER_API_KEY"), "sk-new");

    OrchestratorConfig config = loadRenderedConfig(Chart.template(Chart.DIR, List.of(valuesFile), Map.of()),
        Map.of("ORCHESTRATOR_SECRETS_DIR", secrets.toString()), tmp);
    ProviderConfig provider = config.provider("newProvider").orElseThrow();
    assertThat(provider.enabled()).isTrue();
    assertThat(provider.configured()).isTrue();
    assertThat(provider.baseUrl()).isEqualTo("https://api.newprovider.example/v1");
  }

  @Test
  void emergencyFallbackPrerequisiteRoutesToTheInClusterOllama(@TempDir Path tmp) throws IOException {
    // The runbook's values snippet alone: the chart's Ollama, and with it orchestrator's provider.
    assertThat(Chart.YAML.readTree(emergencyFallbackValues())).isEqualTo(Chart.YAML.readTree("ollama: {enabled: true}"));
    Path valuesFile = tmp.resolve("fallback.yaml");
    Files.writeString(valuesFile, emergencyFallbackValues());
    Chart.Rendered r = new Chart.Rendered(Chart.template(Chart.DIR, List.of(valuesFile), Map.of()));
    // The runbook's commands: `kubectl scale deploy ollama` and `kubectl set env deploy/orchestrator`.
    assertThat(commands()).contains("kubectl scale deploy ollama --replicas=3 -n oss-ai",
        "kubectl set env deploy/orchestrator PROVIDER_PREFERENCE=ollama -n oss-ai");
    r.get("Deployment", "ollama");
    r.get("Deployment", "orchestrator");
    OrchestratorConfig config = loadRenderedConfig(r.yaml, Map.of("PROVIDER_PREFERENCE", "ollama"), tmp);
    // PROVIDER_PREFERENCE=ollama (kubectl set env) puts ollama first; it needs no key.
    ProviderConfig ollama = config.providers().get(0);
    assertThat(ollama.name()).isEqualTo("ollama");
    assertThat(ollama.enabled()).isTrue();
    assertThat(ollama.configured()).isTrue();
    assertThat(ollama.acceptAnyModel()).isTrue();
    // What the runbook says about it: the Service it points at, its default model.
    assertThat(Runbook.text()).contains("`" + ollama.baseUrl() + "`", "`orchestrator.providers.ollama.model`, `" + ollama.defaultModel() + "`");
    assertThat(r.get("Service", "ollama").at("/spec/ports/0/port").asInt()).isEqualTo(java.net.URI.create(ollama.baseUrl()).getPort());
  }

  /** The values snippet of the emergency fallback's prerequisite (under AllProvidersDown). */
  static String emergencyFallbackValues() {
    List<Runbook.CodeBlock> blocks = Runbook.codeBlocks("yaml").stream().filter(b -> b.section().equals("AllProvidersDown")).toList();
    assertThat(blocks).as("yaml blocks under AllProvidersDown").hasSize(1);
    return blocks.get(0).text();
  }

  @Test
  void logPipelinesWorkOnOrchestratorLogLines(@TempDir Path tmp) throws IOException {
    Files.copy(Chart.REPO.resolve("src/test/resources/deploy/sample-orchestrator.log"), tmp.resolve("orchestrator.log"));
    List<String> pipelines = commands().stream().filter(c -> c.startsWith("kubectl logs") && c.contains("|")).toList();
    assertThat(pipelines).hasSizeGreaterThanOrEqualTo(3);
    for (String pipeline : pipelines) {
      // kubectl logs ... | rest  ->  cat orchestrator.log | rest
      String local = "cat orchestrator.log " + pipeline.substring(pipeline.indexOf('|')).replace("<provider>", "mistral");
      Processes.Result result = Processes.run(tmp, null, "bash", "-o", "pipefail", "-c", local);
      assertThat(result.exitCode()).as("%s%n%s", local, result.stderr()).isZero();
      List<String> lines = result.stdout().lines().toList();
      assertThat(lines).as(local).isNotEmpty();
      if (local.contains("grep ERROR | grep mistral")) {
        assertThat(lines).allMatch(l -> l.contains(" ERROR ") && l.contains("mistral"));
      }
      if (local.contains("sort -k5 -n")) {
        // Field 5 is total tokens: the largest request comes last.
        assertThat(lines.get(lines.size() - 1)).contains(" request newProvider 40210 tokens ");
      }
    }
  }

  /** Commands of the bash blocks (continuation lines joined, comments dropped) and inline `kubectl ...` spans. */
  static List<String> commands() {
    List<String> out = new ArrayList<>();
    for (Runbook.CodeBlock block : Runbook.codeBlocks("bash")) {
      StringBuilder current = new StringBuilder();
      for (String line : block.text().split("\n")) {
        String t = line.strip();
        if (t.startsWith("#") || t.isEmpty()) continue;
        if (t.endsWith("\\")) {
          current.append(t, 0, t.length() - 1).append(' ');
        } else {
          out.add(current.append(t).toString().replaceAll("\\s+", " "));
          current = new StringBuilder();
        }
      }
    }
    Matcher inline = Pattern.compile("`(kubectl [^`]+)`").matcher(Runbook.text());
    while (inline.find()) out.add(inline.group(1));
    return out;
  }

  /** Queries of a promql block: separated by blank lines or "# title" comments. */
  static List<String> queries(String block) {
    List<String> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : block.split("\n")) {
      if (line.isBlank() || line.strip().startsWith("#")) {
        if (!current.isEmpty()) out.add(current.toString().strip());
        current = new StringBuilder();
      } else {
        current.append(line).append('\n');
      }
    }
    if (!current.isEmpty()) out.add(current.toString().strip());
    return out;
  }

  /** Both yaml blocks of "Adding New Provider" (the provider and its metrics mapping) as one values file. */
  static String addingNewProviderValues() throws IOException {
    ObjectNode merged = Chart.YAML.createObjectNode();
    for (Runbook.CodeBlock block : Runbook.codeBlocks("yaml")) {
      if (block.section().equals("Adding New Provider")) Chart.deepMerge(merged, (ObjectNode) Chart.YAML.readTree(block.text()));
    }
    assertThat(merged.at("/orchestrator/providers/newProvider").isObject()).isTrue();
    return Chart.YAML.writeValueAsString(merged);
  }

  private static OrchestratorConfig loadRenderedConfig(String renderedYaml, Map<String, String> env, Path tmp) throws IOException {
    String json = new Chart.Rendered(renderedYaml).get("ConfigMap", "orchestrator-config").at("/data/providers.json").asText();
    Path file = tmp.resolve("providers.json");
    Files.writeString(file, json);
    return new ConfigLoader(env).loadFile(file);
  }

  private static Set<String> leafPaths(JsonNode node, String prefix) {
    Set<String> out = new TreeSet<>();
    if (!node.isObject() || node.isEmpty()) {
      out.add(prefix);
      return out;
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      out.addAll(leafPaths(e.getValue(), prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey()));
    }
    return out;
  }
}
