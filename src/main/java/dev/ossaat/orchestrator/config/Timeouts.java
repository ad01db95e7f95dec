package dev.ossaat.orchestrator.config;

import java.time.Duration;

/**
 * Per-provider timeouts (the connect timeout is the pool's {@code connectionTimeout}).
 *
 * @param total a whole non-streaming answer ({@code timeout})
 * @param firstByte until the response headers arrive ({@code firstByteTimeout}, default: total)
 * @param streamIdle the longest gap between two stream chunks ({@code streamIdleTimeout}, default: total)
 */
public record Timeouts(Duration total, Duration firstByte, Duration streamIdle) {}
