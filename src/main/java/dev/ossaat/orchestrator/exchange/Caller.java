package dev.ossaat.orchestrator.exchange;

/**
 * Who a request is from: the real tenant and user ids, which the cache, limits and the ledger key
 * on. Never a metric label as such: labels are bounded and lossy (past a cap every new tenant is
 * {@code other}), and two ids that differ only in characters a label cannot hold would collide.
 * Until API keys identify callers, the ids are asserted by headers.
 *
 * @param tenantId the tenant, exactly as identified (length-capped, never empty)
 * @param userId the end user within the tenant, or {@link #ANONYMOUS_USER}
 */
public record Caller(String tenantId, String userId) {
  public static final String DEFAULT_TENANT = "default";
  public static final String ANONYMOUS_USER = "anonymous";

  public static final Caller ANONYMOUS = new Caller(DEFAULT_TENANT, ANONYMOUS_USER);
}
