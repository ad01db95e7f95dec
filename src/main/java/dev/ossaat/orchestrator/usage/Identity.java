package dev.ossaat.orchestrator.usage;

/**
 * Who a request is accounted to, already bounded for use as metric labels (see BoundedLabel).
 * Until API keys map identities, they come from {@code X-Tenant-Id} and {@code X-User-Id} (or the
 * body's {@code user}).
 */
public record Identity(String tenantId, String userId) {
  public static final String DEFAULT_TENANT = "default";
  public static final String ANONYMOUS_USER = "anonymous";
}
