package dev.ossaat.orchestrator.provider.auth;

/** No usable AWS credentials: none configured, a file unreadable, STS refused the token. */
public final class AwsCredentialException extends RuntimeException {
  public AwsCredentialException(String message) {
    super(message, null, false, false);
  }
}
