package dev.ossaat.orchestrator.exchange;

/**
 * Who a request is from: the real tenant and user ids, which the cache, limits and the ledger key
 * on. Never a metric label as such: labels are bounded and lossy (past a cap every new tenant is
 * {@code other}), and two ids that differ only in characters a label cannot hold would collide.
 *
 * @param tenantId the tenant, exactly as identified (length-capped, never empty)
 * @param userId the end user within the tenant, or {@link #ANONYMOUS_USER}
 * @param keyId the id of the gateway API key that authenticated the request (never the key itself), or
 *     {@link #NO_KEY} when identity was asserted by headers
 */
public record Caller(String tenantId, String userId, String keyId) {
  public static final String NO_KEY = "";

  public Caller(String tenantId, String userId) {
    this(tenantId, userId, NO_KEY);
  }

  public static final String DEFAULT_TENANT = "default";
  public static final String ANONYMOUS_USER = "anonymous";

  public static final Caller ANONYMOUS = new Caller(DEFAULT_TENANT, ANONYMOUS_USER, NO_KEY);
}
