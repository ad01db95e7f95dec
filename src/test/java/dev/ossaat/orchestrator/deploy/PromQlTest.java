package dev.ossaat.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The helpers the dashboard, alert and runbook checks rely on: if these were wrong, those checks would prove nothing. */
class PromQlTest {

  @Test
  void metricNamesSkipFunctionsKeywordsLabelsStringsAndDurations() {
    assertThat(PromQl.metricNames(
        "histogram_quantile(0.95, sum by (provider, le) (rate(orchestrator_provider_latency_seconds_bucket{provider=~\"$provider\"}[5m])))"))
        .containsExactly("orchestrator_provider_latency_seconds_bucket");
    assertThat(PromQl.metricNames(
        "sum(rate(a_total[5m])) by (model) / ignoring(provider) group_left sum(rate(b_total[1h] offset 5m)) > bool 3 and c"))
        .containsExactlyInAnyOrder("a_total", "b_total", "c");
    assertThat(PromQl.metricNames("count(max by (provider) (x{state=\"open\"}) == 1) or vector(0)")).containsExactly("x");
    assertThat(PromQl.metricNames("topk(10, sum by (tenant_id) (increase(cost_total{job=\"not_a_metric\"}[$__range])))"))
        .containsExactly("cost_total");
    assertThat(PromQl.metricNames("1e3 * rate(m_total[5m])")).containsExactly("m_total");
  }

  @Test
  void grafanaVariablesBecomeValidPromQl() {
    assertThat(PromQl.substituteGrafanaVariables("rate(x{provider=~\"$provider\",ns=~\"${namespace}\"}[$__rate_interval]) + increase(x[$__range])"))
        .isEqualTo("rate(x{provider=~\".*\",ns=~\".*\"}[5m]) + increase(x[1h])");
  }

  @Test
  void promtoolRejectsWhatIsNotPromQl(@TempDir Path tmp) {
    PromQl.assertAllParse(Map.of("ok_query", "sum by (provider) (rate(x_total[5m]))"), tmp);
    assertThatThrownBy(() -> PromQl.assertAllParse(Map.of("broken_query", "sum by (provider) (rate(x_total[5m])"), tmp))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("broken_query");
  }

  @Test
  void sampleNamesOfAnExpositionAreWhatAScrapeWouldCompareAgainst() {
    String exposition = """
        # HELP orchestrator_provider_latency_seconds Provider attempt latency.
        # TYPE orchestrator_provider_latency_seconds histogram
        orchestrator_provider_latency_seconds_bucket{provider="openai",le="0.1"} 3
        orchestrator_provider_latency_seconds_count{provider="openai"} 3
        orchestrator_inflight_requests{provider="openai"} 0.0
        """;
    assertThat(ExportedMetrics.sampleNames(exposition)).containsExactly(
        "orchestrator_inflight_requests", "orchestrator_provider_latency_seconds_bucket", "orchestrator_provider_latency_seconds_count");
  }
}
