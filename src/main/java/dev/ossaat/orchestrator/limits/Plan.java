package dev.ossaat.orchestrator.limits;

import java.util.List;

/**
 * What one request asks of the limits: every scope it counts against and what it reserves in them.
 *
 * @param tokens the prompt estimate plus the most the answer may take ({@code max_tokens})
 * @param microDollars the estimated cost, in millionths of a dollar
 * @param leaseMillis how long its concurrency slot lives if it is never released (a crashed replica)
 * @param tenantIndex 1-based index of the tenant scope in {@code scopes}, for the budget gauge
 */
public record Plan(String requestId, List<Scope> scopes, long tokens, long microDollars, long leaseMillis, int tenantIndex) {
  public Plan {
    scopes = List.copyOf(scopes);
  }
}
