package dev.ossaat.orchestrator.provider.auth;

import java.time.Instant;

/**
 * One set of AWS credentials. {@link #toString()} never shows the secret or the token.
 *
 * @param sessionToken null for long-term keys
 * @param expiration when temporary credentials stop working; null for long-term keys
 * @param source where they came from ("environment", "profile default", "web identity"), for messages
 */
public record AwsCredentials(String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration,
    String source) {

  public boolean expiresBefore(Instant when) {
    return expiration != null && expiration.isBefore(when);
  }

  @Override
  public String toString() {
    return "AwsCredentials[" + accessKeyId + " from " + source + (expiration == null ? "" : ", until " + expiration) + "]";
  }
}
