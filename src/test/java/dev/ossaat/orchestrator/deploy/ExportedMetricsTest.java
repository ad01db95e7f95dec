package dev.ossaat.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.ossaat.orchestrator.testkit.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The real scrape behind {@link ExportedMetrics#exportedMetricNames()}: it comes from a gateway that
 * served every kind of traffic, and it holds every metric orchestrator defines, so that the
 * dashboard, alert and runbook checks compare against what a running orchestrator really exports.
 */
class ExportedMetricsTest {

  @Test
  void theScrapeIsOfAGatewayThatServedEveryKindOfTraffic() {
    Metrics m = Metrics.parse(ExportedMetrics.scrape().exposition());
    String requests = "orchestrator_provider_requests_total";
    assertThat(m.sum(requests, "status", "success")).isPositive();
    for (String errorType : List.of("timeout", "server_error", "rate_limit")) {
      assertThat(m.sum(requests, "status", "error", "error_type", errorType)).as(errorType).isPositive();
    }
    assertThat(m.sum("orchestrator_provider_timeouts_total", "provider", "beta")).isPositive();
    assertThat(m.sum("orchestrator_provider_retries_total", "provider", "beta")).isPositive();
    assertThat(m.sum("orchestrator_provider_cache_hits_total")).isPositive();
    assertThat(m.sum("orchestrator_provider_cache_misses_total")).isPositive();
    assertThat(m.sum("orchestrator_provider_cost_dollars_total", "provider", "alpha")).isPositive();
    assertThat(m.sum("orchestrator_provider_unpriced_requests_total", "model", "sim-free")).isPositive();
    assertThat(m.sum("orchestrator_provider_estimated_tokens_total", "provider", "beta")).isPositive();
    assertThat(m.sum("orchestrator_provider_latency_seconds_count", "operation", "chat_stream")).isPositive();
    assertThat(m.samples("orchestrator_provider_tokens_total")).extracting(s -> s.labels().get("tenant_id"))
        .contains("acme", "globex");
    assertThat(m.samples("orchestrator_provider_tokens_total")).extracting(s -> s.labels().get("user_id"))
        .contains("ann", "bob", "cat");
    assertThat(m.sum("orchestrator_http_requests_total", "code", "400")).isPositive();
  }

  @Test
  void theBreakerGaugeIsOneSeriesPerProviderAsTheRunbookReadsIt() {
    // The runbook reads orchestrator_provider_circuit_breaker_state as one series per provider,
    // 0 = closed, 1 = open; half-open is 2. The drive opened gamma's breaker, alpha and beta stay closed.
    String exposition = ExportedMetrics.scrape().exposition();
    Metrics m = Metrics.parse(exposition);
    assertThat(m.samples("orchestrator_provider_circuit_breaker_state"))
        .allSatisfy(s -> assertThat(s.labels()).containsOnlyKeys("provider"))
        .extracting(s -> s.labels().get("provider"), Metrics.Sample::value)
        .containsExactlyInAnyOrder(tuple("alpha", 0.0), tuple("beta", 0.0), tuple("gamma", 1.0));
    assertThat(exposition.lines().filter(l -> l.startsWith("# HELP orchestrator_provider_circuit_breaker_state ")))
        .singleElement().asString().contains("0 closed", "1 open", "2 half-open");
    assertThat(ExportedMetrics.declaredFamilies(exposition)).containsEntry("orchestrator_provider_circuit_breaker_state", "gauge");
  }

  @Test
  void everyMetricOrchestratorDefinesIsInTheScrape() throws IOException {
    Set<String> defined = definedMetricNames();
    assertThat(defined).as("metric names found in src/main/java").hasSizeGreaterThanOrEqualTo(10);
    Set<String> scraped = ExportedMetrics.scrape().names();
    Set<String> missing = new TreeSet<>();
    for (String name : defined) {
      boolean inScrape = SERIES_SUFFIXES.stream().anyMatch(suffix -> scraped.contains(name + suffix));
      boolean excused = SERIES_SUFFIXES.stream().anyMatch(suffix -> ExportedMetrics.NOT_YET_EXPORTED.contains(name + suffix));
      if (!inScrape && !excused) missing.add(name);
    }
    assertThat(missing)
        .as("metrics defined in src/main/java that the scrape lacks: extend ExportedMetrics.drive so the scrape has them")
        .isEmpty();
  }

  @Test
  void theScrapeHasTheRunbookMetricsWithoutAnyExcuse() {
    // The runbook's own metrics are all there today; only later features may lean on NOT_YET_EXPORTED.
    Set<String> scraped = ExportedMetrics.scrape().names();
    for (String metric : DashboardTest.keyMetricsOfTheRunbook()) {
      if (ExportedMetrics.NOT_YET_EXPORTED.stream().anyMatch(n -> n.equals(metric) || n.startsWith(metric + "_"))) continue;
      assertThat(scraped).as("scraped series of %s", metric)
          .anyMatch(s -> s.equals(metric) || s.equals(metric + "_bucket") || s.equals(metric + "_total"));
    }
  }

  @Test
  void exportedNamesAreTheScrapePlusOnlyTheNotYetExportedList() {
    Set<String> exported = ExportedMetrics.exportedMetricNames();
    assertThat(exported).containsAll(ExportedMetrics.scrape().names()).containsAll(ExportedMetrics.NOT_YET_EXPORTED);
    Set<String> extra = new TreeSet<>(exported);
    extra.removeAll(ExportedMetrics.scrape().names());
    assertThat(extra).isSubsetOf(ExportedMetrics.NOT_YET_EXPORTED);
    // Nothing the dashboards call external is something orchestrator exports, and vice versa.
    assertThat(ExportedMetrics.EXTERNAL).doesNotContainAnyElementsOf(exported);
  }

  /** A counter is exposed as name_total, a histogram as _bucket/_sum/_count, a summary as _sum/_count. */
  private static final List<String> SERIES_SUFFIXES = List.of("", "_total", "_bucket", "_count", "_sum");

  /** The names given to client_java builders, {@code .name("orchestrator_...")}, anywhere in src/main/java. */
  static Set<String> definedMetricNames() throws IOException {
    Pattern builderName = Pattern.compile("\\.name\\(\\s*\"(orchestrator_[a-z0-9_]+)\"\\s*\\)");
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Chart.REPO.resolve("src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Matcher m = builderName.matcher(Files.readString(file));
        while (m.find()) names.add(m.group(1));
      }
    }
    return names;
  }
}
