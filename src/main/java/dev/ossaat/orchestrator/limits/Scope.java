package dev.ossaat.orchestrator.limits;

import dev.ossaat.orchestrator.config.LimitSet;

/**
 * One set of buckets a request counts against.
 *
 * @param kind {@code key}, {@code user}, {@code tenant} or {@code model} (the tenant's use of one model):
 *     the {@code scope} label of the rejection counter
 * @param id the real id within its kind, for messages and the local fallback
 * @param base the Redis key every bucket of the scope starts with
 * @param limits the configured limits (the script lets the scope's admin overrides win)
 */
public record Scope(String kind, String id, String base, LimitSet limits) {}
