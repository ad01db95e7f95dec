package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.provider.ApiRequest;
import dev.ossaat.orchestrator.resilience.Deadline;
import dev.ossaat.orchestrator.usage.Identity;

/**
 * One client request as routing and accounting see it.
 *
 * @param modelLabel the requested model as a bounded metric label
 */
public record RequestContext(String requestId, ApiRequest request, Identity identity, String modelLabel,
    Deadline deadline) {}
