package dev.ossaat.orchestrator.resilience;

import dev.ossaat.orchestrator.config.RetryConfig;

/** What stands between routing and one provider: its breaker, its admission queue, its retry policy. */
public record ProviderGuard(ProviderBreaker breaker, AdmissionQueue admission, RetryConfig retry) {}
