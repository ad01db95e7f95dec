package dev.ossaat.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
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
 * The Grafana dashboards: found by the runbook's uids, every panel query is PromQL that promtool
 * parses and names only metrics orchestrator exports (or listed external ones), and every metric of
 * the runbook's Key Metrics tables and every query of its appendix has a panel.
 */
class DashboardTest {

  @Test
  void theRunbookDashboardsExistWithTheirUids() {
    Map<String, String> uidByFile = new LinkedHashMap<>();
    Dashboards.all().forEach(d -> uidByFile.put(d.file(), d.uid()));
    assertThat(uidByFile).containsExactlyInAnyOrderEntriesOf(Map.of(
        "orchestrator-providers.json", "ossaat-provider-metrics",
        "orchestrator-queues.json", "ossaat-queue-health",
        "orchestrator-cost.json", "ossaat-cost-dashboard"));
    // The runbook's Quick Reference links them as /d/<uid>.
    String runbook = Runbook.text();
    uidByFile.values().forEach(uid -> assertThat(runbook).contains("/d/" + uid));
  }

  @Test
  void everyDashboardFiltersByProviderAndUsesTheDatasourceVariable() {
    for (Dashboards.Dashboard d : Dashboards.all()) {
      JsonNode provider = d.variable("provider");
      assertThat(provider).as(d.file() + " has a provider variable").isNotNull();
      assertThat(provider.path("includeAll").asBoolean()).isTrue();
      assertThat(provider.path("multi").asBoolean()).isTrue();
      assertThat(d.variable("datasource")).as(d.file()).isNotNull();
      for (JsonNode panel : d.panels()) {
        assertThat(panel.at("/datasource/uid").asText()).as(d.file() + " panel " + panel.path("title")).isEqualTo("${datasource}");
      }
    }
  }

  @Test
  void panelsHaveUniqueIdsTitlesAndQueries() {
    for (Dashboards.Dashboard d : Dashboards.all()) {
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : d.panels()) {
        assertThat(ids.add(panel.path("id").asInt())).as(d.file() + " duplicate panel id " + panel.path("id")).isTrue();
        assertThat(panel.path("title").asText()).isNotBlank();
        assertThat(panel.path("targets")).as(d.file() + " " + panel.path("title")).isNotEmpty();
        panel.path("targets").forEach(t -> assertThat(t.path("expr").asText()).isNotBlank());
      }
    }
  }

  @Test
  void everyPanelQueryParses(@TempDir Path tmp) {
    Map<String, String> expressions = new LinkedHashMap<>();
    for (Dashboards.Query q : Dashboards.allQueries()) {
      String name = PromQl.recordName(q.dashboard().file().replace(".json", ""), "panel", String.valueOf(q.panelId()), q.refId());
      expressions.put(name, PromQl.substituteGrafanaVariables(q.expr()));
    }
    assertThat(expressions).hasSizeGreaterThan(30);
    PromQl.assertAllParse(expressions, tmp);
  }

  @Test
  void everyPanelQueryUsesOnlyExportedOrListedExternalMetrics() {
    Set<String> allowed = new HashSet<>(ExportedMetrics.exportedMetricNames());
    allowed.addAll(ExportedMetrics.EXTERNAL);
    for (Dashboards.Query q : Dashboards.allQueries()) {
      assertThat(PromQl.metricNames(q.expr())).as(q.where()).isNotEmpty().isSubsetOf(allowed);
    }
  }

  @Test
  void templatingQueriesUseExportedMetrics() {
    Pattern labelValues = Pattern.compile("label_values\\((\\w+),\\s*(\\w+)\\)");
    for (Dashboards.Dashboard d : Dashboards.all()) {
      for (JsonNode v : d.json().at("/templating/list")) {
        if (!"query".equals(v.path("type").asText())) continue;
        Matcher m = labelValues.matcher(v.path("definition").asText());
        assertThat(m.matches()).as(d.file() + " variable " + v.path("name")).isTrue();
        assertThat(ExportedMetrics.exportedMetricNames()).contains(m.group(1));
      }
    }
  }

  @Test
  void everyKeyMetricOfTheRunbookHasAPanel() {
    Set<String> used = new TreeSet<>();
    Dashboards.allQueries().forEach(q -> used.addAll(PromQl.metricNames(q.expr())));
    Set<String> keyMetrics = keyMetricsOfTheRunbook();
    assertThat(keyMetrics).hasSizeGreaterThanOrEqualTo(10);
    for (String metric : keyMetrics) {
      // A histogram is queried through its _bucket/_sum/_count series.
      assertThat(used.stream().anyMatch(u -> u.equals(metric) || u.startsWith(metric + "_")))
          .as("a panel queries %s", metric).isTrue();
    }
  }

  @Test
  void everyAppendixQueryOfTheRunbookIsAPanel() {
    Set<String> panels = new HashSet<>();
    Dashboards.allQueries().forEach(q -> panels.add(normalized(q.expr())));
    Map<String, String> appendix = appendixQueries();
    assertThat(appendix.keySet()).contains("Provider success rate", "Token usage by model", "Cost projection (monthly)",
        "Circuit breaker flapping", "Request distribution", "Cache hit rate", "P95 latency by provider",
        "Top tenants by tokens", "Top users by tokens");
    appendix.forEach((title, query) -> assertThat(panels).as("panel for appendix query \"%s\"", title).contains(normalized(query)));
  }

  @Test
  void queueDashboardShowsInflightAndTheAutoscaler() {
    Dashboards.Dashboard queues = dashboard("ossaat-queue-health");
    Set<String> metrics = new TreeSet<>();
    queues.queries().forEach(q -> metrics.addAll(PromQl.metricNames(q.expr())));
    assertThat(metrics).contains("orchestrator_inflight_requests",
        "kube_horizontalpodautoscaler_status_current_replicas", "kube_horizontalpodautoscaler_status_desired_replicas");
    assertThat(queues.queries()).anyMatch(q -> q.expr().contains("horizontalpodautoscaler=\"orchestrator-hpa\""));
  }

  @Test
  void queueDashboardShowsTheAdmissionQueuesAndBothHpaMetrics() {
    List<String> exprs = dashboard("ossaat-queue-health").queries().stream().map(Dashboards.Query::expr).toList();
    // Depth per provider and per pod, wait P95 from the histogram, rejections (overloaded), in flight per provider.
    assertThat(exprs).anyMatch(e -> e.contains("sum by (queue) (orchestrator_queue_depth"));
    assertThat(exprs).anyMatch(e -> e.contains("sum by (pod) (orchestrator_queue_depth"));
    assertThat(exprs).anyMatch(e -> e.startsWith("histogram_quantile(0.95, sum by (queue, le) (rate(orchestrator_queue_wait_seconds_bucket"));
    assertThat(exprs).anyMatch(e -> e.contains("error_type=\"overloaded\""));
    assertThat(exprs).anyMatch(e -> e.contains("sum by (provider) (orchestrator_inflight_requests"));
    // The HPA's targets for both custom metrics, as the chart names them.
    for (JsonNode metric : Chart.withDefaults().get("HorizontalPodAutoscaler", "orchestrator-hpa").at("/spec/metrics")) {
      if (!metric.has("pods")) continue;
      String name = metric.at("/pods/metric/name").asText();
      assertThat(exprs).as("HPA target panel for %s", name)
          .anyMatch(e -> e.contains("kube_horizontalpodautoscaler_spec_target_metric") && e.contains("metric_name=\"" + name + "\""));
    }
  }

  @Test
  void providerDashboardShowsHealthAndBreakerTransitions() {
    List<String> exprs = dashboard("ossaat-provider-metrics").queries().stream().map(Dashboards.Query::expr).toList();
    assertThat(exprs).anyMatch(e -> e.contains("orchestrator_provider_health_status") && e.contains("by (provider, status)"));
    assertThat(exprs).anyMatch(e -> e.contains("orchestrator_provider_health_status{status=\"unhealthy\""));
    // The breaker gauge, one series per provider and pod: transitions, and pods in each state (0 closed, 1 open, 2 half-open).
    assertThat(exprs).anyMatch(e -> e.startsWith("sum by (provider) (changes(orchestrator_provider_circuit_breaker_state"));
    for (int state = 0; state <= 2; state++) {
      String value = " == " + state + ")";
      assertThat(exprs).anyMatch(e -> e.startsWith("count by (provider) (orchestrator_provider_circuit_breaker_state") && e.endsWith(value));
    }
    assertThat(exprs).anyMatch(e -> e.contains("error_type=\"circuit_open\""));
  }

  @Test
  void theBreakerGaugeIsReadAsOneSeriesPerProviderWithItsValue() {
    // 0 closed, 1 open, 2 half-open: no query may select a state label (the gauge has none), and
    // "open" is always the value 1.
    List<String> breakerQueries = Dashboards.allQueries().stream().map(Dashboards.Query::expr)
        .filter(e -> e.contains("orchestrator_provider_circuit_breaker_state")).toList();
    assertThat(breakerQueries).hasSizeGreaterThanOrEqualTo(6)
        .noneMatch(e -> e.matches("(?s).*circuit_breaker_state\\{[^}]*state\\s*=.*"))
        .noneMatch(e -> e.contains("by (provider, state)"));
    Dashboards.Dashboard providers = dashboard("ossaat-provider-metrics");
    JsonNode statePanel = providers.panels().stream()
        .filter(p -> p.path("targets").findValuesAsText("expr").contains("orchestrator_provider_circuit_breaker_state{provider=~\"$provider\"}"))
        .findFirst().orElseThrow();
    JsonNode mapping = statePanel.at("/fieldConfig/defaults/mappings/0/options");
    assertThat(mapping.at("/0/text").asText()).isEqualTo("closed");
    assertThat(mapping.at("/1/text").asText()).isEqualTo("open");
    assertThat(mapping.at("/2/text").asText()).isEqualTo("half_open");
  }

  private static Dashboards.Dashboard dashboard(String uid) {
    return Dashboards.all().stream().filter(d -> d.uid().equals(uid)).findFirst().orElseThrow();
  }

  /** Backticked metric names in the first column of the tables under "## Key Metrics". */
  static Set<String> keyMetricsOfTheRunbook() {
    Set<String> metrics = new TreeSet<>();
    boolean inside = false;
    Pattern row = Pattern.compile("^\\|\\s*`([a-z_:]+)[{`]");
    for (String line : Runbook.text().split("\n")) {
      if (line.startsWith("## ")) inside = line.startsWith("## Key Metrics");
      Matcher m = row.matcher(line);
      if (inside && m.find()) metrics.add(m.group(1));
    }
    return metrics;
  }

  /** The appendix's promql block: "# Title" comment lines, each followed by its query. */
  static Map<String, String> appendixQueries() {
    List<Runbook.CodeBlock> blocks = Runbook.codeBlocks("promql").stream()
        .filter(b -> b.section().equals("Useful Prometheus Queries")).toList();
    assertThat(blocks).hasSize(1);
    Map<String, String> queries = new LinkedHashMap<>();
    String title = null;
    StringBuilder query = new StringBuilder();
    for (String line : blocks.get(0).text().split("\n")) {
      if (line.startsWith("#")) {
        if (title != null && !query.isEmpty()) queries.put(title, query.toString().strip());
        title = line.substring(1).strip();
        query = new StringBuilder();
      } else {
        query.append(line).append(' ');
      }
    }
    if (title != null && !query.isEmpty()) queries.put(title, query.toString().strip());
    return queries;
  }

  /**
   * A panel query as the runbook would write it: without the dashboards' provider filter, in one
   * line with single spaces.
   */
  static String normalized(String expr) {
    return expr
        .replaceAll(",?\\s*provider=~\"\\$provider\"\\s*,?", ",")
        .replaceAll("\\{\\s*,", "{")
        .replaceAll(",\\s*}", "}")
        .replace("{}", "")
        .replaceAll("\\s+", " ")
        .replace("( ", "(")
        .replace(" )", ")")
        .strip();
  }
}
