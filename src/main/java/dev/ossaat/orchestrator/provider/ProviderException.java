package dev.ossaat.orchestrator.provider;

import dev.ossaat.orchestrator.exchange.WireFormat;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/**
 * A failed provider attempt. The message is already redacted: it may be logged, exported in
 * {@code /health/providers} and returned to clients.
 *
 * @see ErrorType for whether the request moves on to the next provider
 */
public final class ProviderException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String provider;
  private final ErrorType type;
  private final int upstreamStatus;
  private final transient Buffer upstreamBody;
  private final WireFormat upstreamFormat;
  private final Duration retryAfter;
  private final boolean deadline;
  private final boolean echo;

  public ProviderException(String provider, ErrorType type, int upstreamStatus, String message, Buffer upstreamBody,
      Duration retryAfter) {
    this(provider, type, upstreamStatus, message, upstreamBody, null, retryAfter, false, false);
  }

  /** @param upstreamFormat the wire format of {@code upstreamBody} (it goes back as sent only to a client of that format) */
  public ProviderException(String provider, ErrorType type, int upstreamStatus, String message, Buffer upstreamBody,
      WireFormat upstreamFormat, Duration retryAfter) {
    this(provider, type, upstreamStatus, message, upstreamBody, upstreamFormat, retryAfter, false, false);
  }

  private ProviderException(String provider, ErrorType type, int upstreamStatus, String message, Buffer upstreamBody,
      WireFormat upstreamFormat, Duration retryAfter, boolean deadline, boolean echo) {
    super(message, null, false, false); // no stack trace: these are expected outcomes on the hot path
    this.provider = provider;
    this.type = type;
    this.upstreamStatus = upstreamStatus;
    this.upstreamBody = upstreamBody;
    this.upstreamFormat = upstreamFormat;
    this.retryAfter = retryAfter;
    this.deadline = deadline;
    this.echo = echo;
  }

  /**
   * The request's own deadline ended the attempt. A timeout for the client, but not evidence against
   * the provider: it never trips the breaker or marks the provider unhealthy (a client could otherwise
   * open any provider's breaker with a tiny {@code X-Request-Timeout}).
   */
  public static ProviderException deadline(String provider, String message) {
    return new ProviderException(provider, ErrorType.TIMEOUT, 0, message, null, null, null, true, false);
  }

  public boolean deadline() {
    return deadline;
  }

  /** The same failure, attributed to another provider name (placeholders raised before one was known). */
  public ProviderException withProvider(String name) {
    return new ProviderException(name, type, upstreamStatus, getMessage(), upstreamBody, upstreamFormat, retryAfter, deadline, echo);
  }

  /**
   * The same failure, handed to another request that shared the one upstream call (a batch of
   * embeddings): each request fails, retries or falls back as the error says, but the provider's
   * breaker and health count the call once, from the request that carries the original.
   */
  public ProviderException echo() {
    return new ProviderException(provider, type, upstreamStatus, getMessage(), upstreamBody, upstreamFormat, retryAfter, deadline, true);
  }

  /** Whether this is {@link #echo() another request's copy} of a failure already counted against the provider. */
  public boolean isEcho() {
    return echo;
  }

  public static ProviderException of(String provider, ErrorType type, String message) {
    return new ProviderException(provider, type, 0, message, null, null);
  }

  public String provider() {
    return provider;
  }

  public ErrorType type() {
    return type;
  }

  /** The provider's HTTP status, or 0 when none was received. */
  public int upstreamStatus() {
    return upstreamStatus;
  }

  /** The provider's error body, kept only for client errors that go back to the client as sent. */
  public Buffer upstreamBody() {
    return upstreamBody;
  }

  /** The wire format of {@link #upstreamBody()}, or null. */
  public WireFormat upstreamFormat() {
    return upstreamFormat;
  }

  /** The provider's {@code Retry-After}, or null. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
