package dev.ossaat.orchestrator.routing;

import dev.ossaat.orchestrator.provider.ApiRequest;
import dev.ossaat.orchestrator.resilience.Deadline;
import dev.ossaat.orchestrator.usage.Identity;

/**
 * One client request as routing and accounting see it.
 *
 * @param modelLabel the requested model as a bounded metric label
 * @param clientDeadline whether the client lowered the deadline itself ({@code X-Request-Timeout})
 */
public record RequestContext(String requestId, ApiRequest request, Identity identity, String modelLabel,
    Deadline deadline, boolean clientDeadline) {}
