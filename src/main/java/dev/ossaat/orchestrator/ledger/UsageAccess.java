package dev.ossaat.orchestrator.ledger;

import java.util.Optional;

/**
 * Who may read which usage through {@code GET /v1/usage}: the one decision, kept apart from how the
 * caller was authenticated so that gateway API keys (issue 10's keys) plug in without touching it.
 * The admin token reads any tenant (or all); a caller restricted to a tenant (an API key) reads only
 * that tenant, whatever it asks for; nobody else reads anything.
 */
public final class UsageAccess {
  private UsageAccess() {}

  /**
   * Who is asking.
   *
   * @param admin authenticated with {@code admin.token}
   * @param tenant the one tenant this caller may see (its API key's), or empty for the admin
   */
  public record Principal(boolean admin, Optional<String> tenant) {
    public static Principal ofAdmin() {
      return new Principal(true, Optional.empty());
    }

    public static Principal ofTenant(String tenant) {
      return new Principal(false, Optional.of(tenant));
    }
  }

  /**
   * The outcome: allowed (status 200) with the tenant filter to apply (empty: all tenants), or refused
   * with a status, an error code and a message for the client.
   */
  public record Decision(int status, String code, String message, Optional<String> tenant) {
    public boolean allowed() {
      return status == 200;
    }
  }

  /**
   * @param who the authenticated caller, or empty when none could be identified
   * @param requestedTenant the {@code tenant} query parameter, if any
   */
  public static Decision decide(Optional<Principal> who, Optional<String> requestedTenant) {
    if (who.isEmpty()) {
      return new Decision(401, "missing_credentials",
          "GET /v1/usage needs 'Authorization: Bearer <admin token>' (or a gateway API key for its own tenant)", Optional.empty());
    }
    Principal p = who.get();
    if (p.admin()) return new Decision(200, null, null, requestedTenant);
    if (p.tenant().isEmpty()) return new Decision(403, "permission_denied", "this credential may not read usage", Optional.empty());
    String own = p.tenant().get();
    if (requestedTenant.isPresent() && !requestedTenant.get().equals(own)) {
      return new Decision(403, "permission_denied", "a gateway API key may read the usage of its own tenant only", Optional.empty());
    }
    return new Decision(200, null, null, Optional.of(own));
  }
}
