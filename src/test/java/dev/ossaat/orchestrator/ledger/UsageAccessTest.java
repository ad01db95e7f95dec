package dev.ossaat.orchestrator.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who may read which tenant's usage: the one decision GET /v1/usage and, later, API keys rely on. */
class UsageAccessTest {
  @Test
  void theAdminReadsAnyTenantOrAll() {
    assertThat(UsageAccess.decide(Optional.of(UsageAccess.Principal.ofAdmin()), Optional.empty()))
        .isEqualTo(new UsageAccess.Decision(200, null, null, Optional.empty()));
    assertThat(UsageAccess.decide(Optional.of(UsageAccess.Principal.ofAdmin()), Optional.of("acme")).tenant()).hasValue("acme");
  }

  @Test
  void aKeyReadsOnlyItsOwnTenantWhateverItAsks() {
    UsageAccess.Decision own = UsageAccess.decide(Optional.of(UsageAccess.Principal.ofTenant("acme")), Optional.empty());
    assertThat(own.allowed()).isTrue();
    assertThat(own.tenant()).hasValue("acme");
    assertThat(UsageAccess.decide(Optional.of(UsageAccess.Principal.ofTenant("acme")), Optional.of("acme")).tenant()).hasValue("acme");
    UsageAccess.Decision other = UsageAccess.decide(Optional.of(UsageAccess.Principal.ofTenant("acme")), Optional.of("globex"));
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.message()).contains("its own tenant");
  }

  @Test
  void nobodyAndAnUnknownTokenReadNothing() {
    assertThat(UsageAccess.decide(Optional.empty(), Optional.empty()).status()).isEqualTo(401);
    assertThat(UsageAccess.decide(Optional.of(new UsageAccess.Principal(false, Optional.empty())), Optional.empty()).status())
        .isEqualTo(403);
  }
}
