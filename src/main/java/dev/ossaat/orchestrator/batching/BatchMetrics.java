package dev.ossaat.orchestrator.batching;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** What embeddings batching does: how big the upstream calls are, how long callers waited for company. */
public final class BatchMetrics {
  final Histogram size;
  final Histogram callers;
  final Histogram wait;
  final Counter failed;

  public BatchMetrics(PrometheusRegistry registry) {
    size = Histogram.builder()
        .name("orchestrator_batch_size")
        .help("Inputs per combined embeddings call sent upstream (at most providers.batching.maxBatchSize).")
        .labelNames("provider")
        .classicOnly()
        .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048)
        .register(registry);
    callers = Histogram.builder()
        .name("orchestrator_batch_requests")
        .help("Client requests answered by one combined embeddings call.")
        .labelNames("provider")
        .classicOnly()
        .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048)
        .register(registry);
    wait = Histogram.builder()
        .name("orchestrator_batch_wait_seconds")
        .help("Time an embeddings request waited for company before its batch was sent (at most "
            + "providers.batching.batchTimeout).")
        .labelNames("provider")
        .classicOnly()
        .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1)
        .register(registry);
    failed = Counter.builder()
        .name("orchestrator_batch_failures_total")
        .help("Combined embeddings calls that failed; each of their requests then retried or fell back on its own.")
        .labelNames("provider")
        .register(registry);
  }
}
