package dev.ossaat.orchestrator.responses;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code orchestrator_responses_store_operations_total{operation, result}}: what the Responses store
 * was asked (get, put, delete) and how it went (hit, miss, ok, error). Errors are the ones a caller
 * saw (Redis down or slow past {@code redis.commandTimeout}); each degrades as documented.
 */
public final class ResponsesMetrics {
  private final Counter operations;

  public ResponsesMetrics(PrometheusRegistry registry) {
    this.operations = Counter.builder()
        .name("orchestrator_responses_store_operations_total")
        .help("Operations on the Responses API store (responses.store) by operation (get, put, delete) and result "
            + "(hit, miss, ok, error).")
        .labelNames("operation", "result")
        .register(registry);
    for (String[] pair : new String[][] {{"get", "hit"}, {"get", "miss"}, {"get", "error"}, {"put", "ok"},
        {"put", "error"}, {"delete", "ok"}, {"delete", "miss"}, {"delete", "error"}}) {
      operations.labelValues(pair[0], pair[1]); // exported from the start, at 0
    }
  }

  void count(String operation, String result) {
    operations.labelValues(operation, result).inc();
  }
}
