package dev.ossaat.orchestrator.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names orchestrator exports, and the names the dashboards and rules may use.
 *
 * <p>{@link #exportedMetricNames()} is the one place that says what "a metric that really exists"
 * means for the dashboard, alert and runbook checks. Today it is the metrics contract of the spine
 * (issue 2) written down; to check against reality, replace its body with a scrape of {@code GET
 * /metrics} of a running orchestrator that has served some traffic (counters appear only once
 * incremented) and return {@link #sampleNames(String)} of the body.
 */
final class ExportedMetrics {
  private ExportedMetrics() {}

  /** Sample names as Prometheus stores them: a histogram is its _bucket, _sum and _count series. */
  static Set<String> exportedMetricNames() {
    return CONTRACT;
  }

  /**
   * Names that dashboards use but orchestrator does not export: kube-state-metrics' HPA series and
   * Prometheus' own {@code up}. Listed one by one so that a typo still fails.
   */
  static final Set<String> EXTERNAL = Set.of(
      "up",
      "kube_horizontalpodautoscaler_status_current_replicas",
      "kube_horizontalpodautoscaler_status_desired_replicas",
      "kube_horizontalpodautoscaler_spec_min_replicas",
      "kube_horizontalpodautoscaler_spec_max_replicas",
      "kube_horizontalpodautoscaler_spec_target_metric");

  private static final Set<String> CONTRACT = Set.of(
      "orchestrator_provider_requests_total",
      "orchestrator_provider_latency_seconds_bucket",
      "orchestrator_provider_latency_seconds_sum",
      "orchestrator_provider_latency_seconds_count",
      "orchestrator_provider_timeouts_total",
      "orchestrator_provider_tokens_total",
      "orchestrator_provider_estimated_tokens_total",
      "orchestrator_provider_cost_dollars_total",
      "orchestrator_provider_unpriced_requests_total",
      "orchestrator_provider_circuit_breaker_state",
      "orchestrator_provider_retries_total",
      "orchestrator_provider_cache_hits_total",
      "orchestrator_provider_cache_misses_total",
      "orchestrator_inflight_requests",
      "orchestrator_http_requests_total",
      // client_java instrumentation-jvm (JvmMetrics.builder().register()), the ones dashboards use
      // and their close relatives.
      "jvm_memory_used_bytes",
      "jvm_memory_committed_bytes",
      "jvm_memory_max_bytes",
      "jvm_threads_current",
      "jvm_threads_state",
      "jvm_gc_collection_seconds_count",
      "jvm_gc_collection_seconds_sum",
      "process_cpu_seconds_total",
      "process_resident_memory_bytes",
      "process_virtual_memory_bytes",
      "process_start_time_seconds",
      "process_open_fds");

  /** Sample names in a Prometheus text exposition (for the switch to a real scrape). */
  static Set<String> sampleNames(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) continue;
      Matcher m = SAMPLE_NAME.matcher(line);
      if (m.lookingAt()) names.add(m.group());
    }
    return names;
  }

  private static final Pattern SAMPLE_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
}
