package dev.ossaat.orchestrator.limits;

import dev.ossaat.orchestrator.usage.PriceTable;
import java.util.function.Supplier;

/** What the admit stage needs for caller limits: the limiter, its metrics, the current prices. */
public record CallerLimits(Limiter limiter, LimitsMetrics metrics, Supplier<PriceTable> prices) {}
