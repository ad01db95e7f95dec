package dev.ossaat.orchestrator.health;

import dev.ossaat.orchestrator.resilience.Clock;
import java.time.Instant;
import java.util.Arrays;

/**
 * What the traffic of one provider actually saw over a sliding window: the last {@value #WINDOW}
 * outcomes no older than five minutes. Health is derived from this, never from the mere existence
 * of a configured provider. Updated from several event loops, so its methods are synchronized; the
 * critical sections are a few field writes.
 */
public final class ProviderHealth {
  static final int WINDOW = 200;
  static final long MAX_AGE_NANOS = 5L * 60 * 1_000_000_000L;

  private final Clock clock;
  private final long[] at = new long[WINDOW];
  private final long[] latencyNanos = new long[WINDOW];
  private final boolean[] failed = new boolean[WINDOW];
  private int next;
  private int size;
  private static final double EWMA_WEIGHT = 0.3;
  private volatile double ewmaLatencyNanos = -1;
  private Instant lastSuccess;
  private Instant lastError;
  private String lastErrorMessage;

  public ProviderHealth() {
    this(Clock.SYSTEM);
  }

  /** @param clock dates the outcomes, so that those older than five minutes leave the window */
  public ProviderHealth(Clock clock) {
    this.clock = clock;
  }

  public synchronized void success(long latency) {
    add(latency, false);
    lastSuccess = Instant.now();
    ewmaLatencyNanos = ewmaLatencyNanos < 0 ? latency : EWMA_WEIGHT * latency + (1 - EWMA_WEIGHT) * ewmaLatencyNanos;
  }

  /**
   * Recent latency of successful calls, weighting the newest most; -1 before the first success (such a
   * provider sorts first under the lowest-latency strategy, so it gets measured).
   */
  public double ewmaLatencyNanos() {
    return ewmaLatencyNanos;
  }

  public synchronized void failure(long latency, String message) {
    add(latency, true);
    lastError = Instant.now();
    lastErrorMessage = message;
  }

  private void add(long latency, boolean isFailure) {
    at[next] = clock.nanoTime();
    latencyNanos[next] = latency;
    failed[next] = isFailure;
    next = (next + 1) % WINDOW;
    size = Math.min(size + 1, WINDOW);
  }

  /** A consistent view of the recent window. */
  public synchronized Snapshot snapshot() {
    long now = clock.nanoTime();
    long[] latencies = new long[size];
    int count = 0;
    int errors = 0;
    for (int i = 0; i < size; i++) {
      if (now - at[i] > MAX_AGE_NANOS) continue;
      latencies[count++] = latencyNanos[i];
      if (failed[i]) errors++;
    }
    double p95 = 0;
    if (count > 0) {
      long[] sorted = Arrays.copyOf(latencies, count);
      Arrays.sort(sorted);
      p95 = sorted[Math.min(count - 1, (int) Math.ceil(count * 0.95) - 1)] / 1e9;
    }
    return new Snapshot(count, count == 0 ? 0 : (double) errors / count, p95, lastSuccess, lastError, lastErrorMessage);
  }

  /** The window as seen now. */
  public record Snapshot(int requests, double errorRate, double p95LatencySeconds, Instant lastSuccess,
      Instant lastError, String lastErrorMessage) {}
}
