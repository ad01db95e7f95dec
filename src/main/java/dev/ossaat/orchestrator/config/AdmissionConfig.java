package dev.ossaat.orchestrator.config;

import java.time.Duration;

/**
 * The bulkhead in front of one provider: at most {@code maxConcurrent} calls in flight, at most
 * {@code maxQueued} waiting, none waiting longer than {@code maxWait}. Beyond that the request falls
 * back to the next provider, or gets 429/503 with {@code Retry-After} when none can take it.
 */
public record AdmissionConfig(int maxConcurrent, int maxQueued, Duration maxWait) {
  public static final AdmissionConfig DEFAULTS = new AdmissionConfig(100, 200, Duration.ofSeconds(5));
}
