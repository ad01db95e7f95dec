package dev.ossaat.orchestrator.cache;

import dev.ossaat.orchestrator.exchange.Usage;
import io.vertx.core.buffer.Buffer;

/**
 * One cache entry: a complete answer in the wire format of the requests that share its key (the key is
 * scoped by that format), with what it cost when a provider produced it, so that a hit can count the
 * tokens and dollars it saved. Whether the answer first arrived as a stream or as a body does not
 * matter: a streamed answer is stored assembled, and either form is replayed in the form a later
 * client asks for.
 *
 * @param body the whole answer as a JSON body of the client's format
 * @param provider the provider that produced it
 * @param model the model it ran (whose price a hit saves)
 * @param usage the usage it was billed
 * @param expiresAtMillis wall-clock time (of the cache's clock) after which it is no longer served
 */
public record CachedAnswer(Buffer body, String provider, String model, Usage usage, long expiresAtMillis) {
  public boolean expired(long nowMillis) {
    return nowMillis >= expiresAtMillis;
  }
}
