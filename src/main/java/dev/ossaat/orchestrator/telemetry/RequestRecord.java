package dev.ossaat.orchestrator.telemetry;

import dev.ossaat.orchestrator.exchange.Caller;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.provider.ErrorType;
import java.util.Optional;

/**
 * Everything the one log line of a request says.
 *
 * @param provider the provider that answered, or the last one tried ("none" when none was)
 * @param caller the real tenant and user (not their bounded labels): the line is where an operator
 *     finds who did what
 * @param cost dollars, or empty when the model is unpriced
 * @param errorType null on success
 */
public record RequestRecord(
    String requestId,
    String operation,
    String provider,
    String model,
    Caller caller,
    String status,
    ErrorType errorType,
    int httpStatus,
    Usage usage,
    Optional<Double> cost,
    long latencyMs,
    boolean stream,
    int attempts,
    boolean cacheHit,
    String message) {}
