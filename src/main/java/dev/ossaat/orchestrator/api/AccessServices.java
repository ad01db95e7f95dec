package dev.ossaat.orchestrator.api;

import dev.ossaat.orchestrator.identity.KeyAuthenticator;
import dev.ossaat.orchestrator.identity.KeyChanges;
import dev.ossaat.orchestrator.identity.KeyStore;
import dev.ossaat.orchestrator.limits.LimitOverrides;

/** What the key and limit admin routes act on. */
public record AccessServices(KeyStore keys, KeyAuthenticator authenticator, KeyChanges changes, LimitOverrides overrides) {
  /** Forget a changed key here at once, and tell the other replicas to (best effort). */
  void changed(String keyId) {
    authenticator.invalidate(keyId);
    changes.publish(keyId);
  }
}
