package dev.ossaat.orchestrator.config;

import java.time.Duration;

/** Request batching settings (runbook "Request Batching"); read and validated, see README. */
public record BatchingConfig(boolean enabled, int maxBatchSize, Duration batchTimeout) {
  public static final BatchingConfig DEFAULTS = new BatchingConfig(false, 10, Duration.ofMillis(100));
}
