package dev.ossaat.orchestrator.provider.auth;

import io.vertx.core.Future;

/**
 * Where a Bedrock provider's AWS credentials come from. {@link #get()} is called before every
 * request: it answers at once from what it holds while that is fresh, and fetches (without blocking
 * the event loop) only when nothing is held or what is held is about to expire.
 */
public interface AwsCredentialSource {
  /** Fails with an {@link AwsCredentialException} when no credentials can be had. */
  Future<AwsCredentials> get();

  /** What this source is, for the probe and error messages (never a secret). */
  String describe();

  static AwsCredentialSource fixed(AwsCredentials credentials) {
    return new AwsCredentialSource() {
      @Override
      public Future<AwsCredentials> get() {
        return Future.succeededFuture(credentials);
      }

      @Override
      public String describe() {
        return credentials.source();
      }
    };
  }
}
