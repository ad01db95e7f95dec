package dev.ossaat.orchestrator.provider;

import java.util.Locale;

/**
 * Why an attempt failed: the closed set behind the {@code error_type} label, so the label can never
 * grow with free text. Whether a failure moves on to the next provider is decided here, in one place.
 */
public enum ErrorType {
  TIMEOUT(true),
  RATE_LIMIT(true),
  /** The provider rejected our credential: another provider may still serve the request. */
  AUTH(true),
  /** The client's request is wrong; every provider would say the same, so it goes back as sent. */
  BAD_REQUEST(false),
  NOT_FOUND(false),
  SERVER_ERROR(true),
  NETWORK(true),
  CIRCUIT_OPEN(true),
  /** Our own bulkhead for this provider is full: another provider may have room. */
  OVERLOADED(true),
  /** A stream that ended or broke before its end marker. */
  STREAM_CUT(false),
  /** The client went away; not the provider's fault, so it is not counted as an error. */
  CANCELLED(false);

  private final boolean tryNextProvider;
  private final String label;

  ErrorType(boolean tryNextProvider) {
    this.tryNextProvider = tryNextProvider;
    this.label = name().toLowerCase(Locale.ROOT);
  }

  public boolean tryNextProvider() {
    return tryNextProvider;
  }

  /** The value of the {@code error_type} metric label and log field. */
  public String label() {
    return label;
  }

  /** Classifies an upstream HTTP status that is not 2xx. */
  public static ErrorType ofStatus(int status) {
    if (status == 429) return RATE_LIMIT;
    if (status == 401 || status == 403) return AUTH;
    if (status == 408) return TIMEOUT;
    if (status == 404) return NOT_FOUND;
    if (status >= 500) return SERVER_ERROR;
    return BAD_REQUEST;
  }
}
