package dev.ossaat.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PrometheusRule the chart renders: valid for promtool, every alert unit-tested to fire and to
 * stay quiet (src/test/resources/deploy/alert-tests.yaml), named and linked as the runbook says.
 */
class AlertRulesTest {
  /** The runbook's alerts, from its Alert Response Procedures and Key Metrics thresholds. */
  static final List<String> ALERTS = List.of(
      "ProviderHighErrorRate", "ProviderCircuitBreakerOpen", "AllProvidersDown", "ProviderHighLatency",
      "ProviderTokenUsageSpike", "ProviderHighTimeoutRate", "ProviderHighRetryRate", "ProviderLowCacheHitRate",
      "ProviderMonthlyCostHigh", "ProviderQueueSaturated", "LedgerSpoolBacklog", "TenantNearBudget");

  static final Path UNIT_TESTS = Chart.REPO.resolve("src/test/resources/deploy/alert-tests.yaml");

  @TempDir Path tmp;

  @Test
  void renderedRulesPassPromtoolCheck() {
    Path rules = writeRules(Chart.withMonitoring(), tmp);
    Processes.Result result = Processes.run(tmp, null, Processes.promtool().toString(), "check", "rules", rules.toString());
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS: " + ALERTS.size() + " rules found");
  }

  @Test
  void promtoolUnitTestsPass() throws IOException {
    writeRules(Chart.withMonitoring(), tmp);
    Files.copy(UNIT_TESTS, tmp.resolve("alert-tests.yaml"));
    Processes.Result result = Processes.run(tmp, null, Processes.promtool().toString(), "test", "rules", "alert-tests.yaml");
    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("SUCCESS");
  }

  @Test
  void everyAlertIsShownToFireAndToStayQuiet() throws IOException {
    // Fires: some check expects it. Stays quiet: a whole test scenario checks it and never expects
    // it (an early "still pending" check inside a firing scenario does not count).
    Set<String> fires = new HashSet<>();
    Set<String> quiet = new HashSet<>();
    for (JsonNode test : Chart.YAML.readTree(UNIT_TESTS.toFile()).path("tests")) {
      Set<String> checked = new HashSet<>();
      Set<String> fired = new HashSet<>();
      for (JsonNode check : test.path("alert_rule_test")) {
        String alert = check.path("alertname").asText();
        checked.add(alert);
        if (!check.path("exp_alerts").isEmpty()) fired.add(alert);
      }
      fires.addAll(fired);
      checked.removeAll(fired);
      quiet.addAll(checked);
    }
    assertThat(fires).as("alerts with a firing case").containsAll(ALERTS);
    assertThat(quiet).as("alerts with a quiet scenario").containsAll(ALERTS);
  }

  @Test
  void theRulesAreExactlyTheRunbookAlerts() {
    assertThat(rules(Chart.withMonitoring())).extracting(r -> r.path("alert").asText())
        .containsExactlyInAnyOrderElementsOf(ALERTS);
    assertThat(Runbook.subHeadings("Alert Response Procedures")).containsAll(ALERTS);
  }

  @Test
  void everyAlertHasSeverityAndAnnotationsLinkingItsRunbookSection() {
    String base = "https://github.com/ossaat/orchestrator/blob/main/docs/runbooks/provider-monitoring.md#";
    Set<String> anchors = Runbook.anchors();
    for (JsonNode rule : rules(Chart.withMonitoring())) {
      String alert = rule.path("alert").asText();
      assertThat(rule.at("/labels/severity").asText()).as(alert).isIn("critical", "warning", "info");
      assertThat(rule.at("/annotations/summary").asText()).as(alert).isNotBlank();
      assertThat(rule.at("/annotations/description").asText()).as(alert).isNotBlank();
      String url = rule.at("/annotations/runbook_url").asText();
      assertThat(url).as(alert).isEqualTo(base + alert.toLowerCase());
      assertThat(anchors).as("runbook heading for %s", alert).contains(alert.toLowerCase());
    }
  }

  @Test
  void summariesOfPerProviderAlertsNameTheProvider() {
    for (JsonNode rule : rules(Chart.withMonitoring())) {
      if (!rule.path("expr").asText().contains("by (provider)")) continue;
      assertThat(rule.at("/annotations/summary").asText()).as(rule.path("alert").asText())
          .contains("{{ $labels.provider }}");
    }
  }

  @Test
  void onlyAllProvidersDownPages() {
    for (JsonNode rule : rules(Chart.withMonitoring())) {
      String expected = rule.path("alert").asText().equals("AllProvidersDown") ? "critical" : "warning|info";
      assertThat(rule.at("/labels/severity").asText()).as(rule.path("alert").asText()).matches(expected);
    }
  }

  @Test
  void thresholdsAndDurationsComeFromValues() {
    String prefix = "monitoring.prometheus.alerts.thresholds.";
    Chart.Rendered r = Chart.render(List.of(Chart.MONITORING_VALUES), Map.of(
        prefix + "ProviderHighErrorRate.ratio", "0.2",
        prefix + "ProviderHighErrorRate.for", "15m",
        prefix + "ProviderHighLatency.seconds", "12",
        prefix + "ProviderMonthlyCostHigh.dollars", "5000",
        prefix + "ProviderCircuitBreakerOpen.severity", "critical",
        prefix + "ProviderQueueSaturated.queueDepth", "120",
        prefix + "ProviderQueueSaturated.rejectedRatio", "0.05",
        prefix + "LedgerSpoolBacklog.spoolRatio", "0.8",
        prefix + "LedgerSpoolBacklog.oldestSeconds", "900",
        "monitoring.prometheus.alerts.rateWindow", "10m"));
    JsonNode errorRate = rule(r, "ProviderHighErrorRate");
    assertThat(errorRate.path("expr").asText()).endsWith("> 0.2").contains("[10m]");
    assertThat(errorRate.path("for").asText()).isEqualTo("15m");
    assertThat(errorRate.at("/annotations/description").asText()).contains("More than 20% ");
    assertThat(rule(r, "ProviderHighLatency").path("expr").asText()).endsWith("> 12");
    assertThat(rule(r, "ProviderMonthlyCostHigh").path("expr").asText()).endsWith("> 5000");
    assertThat(rule(r, "ProviderCircuitBreakerOpen").at("/labels/severity").asText()).isEqualTo("critical");
    JsonNode ledger = rule(r, "LedgerSpoolBacklog");
    assertThat(ledger.path("expr").asText()).contains("orchestrator_ledger_spool_max_bytes) > 0.8\n")
        .contains("orchestrator_ledger_spool_oldest_seconds) > 900\n").contains("[10m]");
    JsonNode queue = rule(r, "ProviderQueueSaturated");
    assertThat(queue.path("expr").asText()).contains(") > 120\n").endsWith("> 0.05").contains("[10m]");
    assertThat(queue.at("/annotations/description").asText()).contains("more than 120 waiting requests", "more than 5% of its attempts");
  }

  @Test
  void providerFaultAlertsLeaveOutClientErrorsCancellationsAndFullQueues() {
    // error_type values that are not the provider's fault: the client's bad_request/not_found,
    // cancellations, and overloaded (orchestrator's own admission queue refused the attempt).
    // circuit_open, timeout, rate_limit, auth, server_error, network and stream_cut all count.
    for (String alert : List.of("ProviderHighErrorRate", "AllProvidersDown")) {
      assertThat(rule(Chart.withMonitoring(), alert).path("expr").asText()).as(alert)
          .contains("status=\"error\",error_type!~\"bad_request|not_found|cancelled|overloaded|internal\"");
    }
    assertThat(rule(Chart.withMonitoring(), "ProviderQueueSaturated").path("expr").asText())
        .contains("orchestrator_queue_depth").contains("error_type=\"overloaded\"");
  }

  @Test
  void runbookUrlBaseComesFromValues() {
    Chart.Rendered r = Chart.render(List.of(Chart.MONITORING_VALUES),
        Map.of("monitoring.prometheus.alerts.runbookUrl", "https://wiki.example/runbook"));
    assertThat(rule(r, "AllProvidersDown").at("/annotations/runbook_url").asText())
        .isEqualTo("https://wiki.example/runbook#allprovidersdown");
  }

  @Test
  void rulesUseOnlyMetricsOrchestratorExports() {
    for (JsonNode rule : rules(Chart.withMonitoring())) {
      assertThat(PromQl.metricNames(rule.path("expr").asText())).as(rule.path("alert").asText())
          .isNotEmpty()
          .isSubsetOf(ExportedMetrics.exportedMetricNames());
    }
  }

  static List<JsonNode> rules(Chart.Rendered r) {
    List<JsonNode> rules = new ArrayList<>();
    r.get("PrometheusRule", "orchestrator-alerts").at("/spec/groups").forEach(g -> g.path("rules").forEach(rules::add));
    return rules;
  }

  private static JsonNode rule(Chart.Rendered r, String alert) {
    return rules(r).stream().filter(x -> alert.equals(x.path("alert").asText())).findFirst().orElseThrow();
  }

  /** The PrometheusRule's .spec is a plain Prometheus rules file: {groups: [...]}. */
  static Path writeRules(Chart.Rendered r, Path dir) {
    Path file = dir.resolve("rules.yaml");
    PromQl.write(file, r.get("PrometheusRule", "orchestrator-alerts").path("spec"));
    return file;
  }
}
