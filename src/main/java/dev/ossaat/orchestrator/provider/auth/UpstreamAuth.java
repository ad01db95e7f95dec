package dev.ossaat.orchestrator.provider.auth;

import dev.ossaat.orchestrator.config.Secret;
import io.vertx.core.http.RequestOptions;

/**
 * How a request to a provider proves who we are, applied to the finished request (after
 * translation, so a signature can cover the final body). Bearer tokens and API-key headers today;
 * AWS SigV4 and per-tenant credentials fit the same shape.
 */
public interface UpstreamAuth {
  /**
   * Adds the credential to the request.
   *
   * @param body the exact bytes that will be sent (a signing scheme hashes them)
   */
  void apply(RequestOptions request, io.vertx.core.buffer.Buffer body);

  static UpstreamAuth none() {
    return (request, body) -> { };
  }

  /** {@code Authorization: Bearer <key>} (OpenAI and the OpenAI-compatible providers). */
  static UpstreamAuth bearer(Secret key) {
    if (!key.isPresent()) return none();
    String header = "Bearer " + key.reveal();
    return (request, body) -> request.putHeader("Authorization", header);
  }

  /** The key in a header of its own ({@code x-api-key} for Anthropic, {@code api-key} for Azure). */
  static UpstreamAuth header(String name, Secret key) {
    if (!key.isPresent()) return none();
    String value = key.reveal();
    return (request, body) -> request.putHeader(name, value);
  }
}
