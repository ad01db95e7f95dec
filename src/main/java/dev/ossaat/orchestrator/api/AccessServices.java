package dev.ossaat.orchestrator.api;

import dev.ossaat.orchestrator.identity.KeyAuthenticator;
import dev.ossaat.orchestrator.identity.KeyStore;
import dev.ossaat.orchestrator.limits.LimitOverrides;

/** What the key and limit admin routes act on. */
public record AccessServices(KeyStore keys, KeyAuthenticator authenticator, LimitOverrides overrides) {}
