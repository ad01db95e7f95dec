package dev.ossaat.orchestrator.provider;

import java.util.Locale;

/**
 * Why an attempt failed: the closed set behind the {@code error_type} label, so the label can never
 * grow with free text. What each class means for the request and the provider is in one table,
 * {@link ErrorPolicy}.
 */
public enum ErrorType {
  TIMEOUT,
  RATE_LIMIT,
  /** The provider rejected our credential: another provider may still serve the request. */
  AUTH,
  /** The client's request is wrong; every provider would say the same, so it goes back as sent. */
  BAD_REQUEST,
  NOT_FOUND,
  SERVER_ERROR,
  /** The provider says it is overloaded (Anthropic's 529 {@code overloaded_error}). */
  PROVIDER_OVERLOADED,
  NETWORK,
  CIRCUIT_OPEN,
  /** Our own bulkhead for this provider is full: another provider may have room. */
  OVERLOADED,
  /** A stream that ended or broke before its end marker. */
  STREAM_CUT,
  /**
   * The gateway's own fault: an adapter that threw, a provider a reload removed mid-request, an
   * answer we could not translate. Never held against the provider.
   */
  INTERNAL,
  /** The client went away; not the provider's fault, so it is not counted as an error. */
  CANCELLED;

  private final String label = name().toLowerCase(Locale.ROOT);

  public ErrorPolicy.Rule policy() {
    return ErrorPolicy.of(this);
  }

  public boolean tryNextProvider() {
    return policy().fallback();
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
    if (status == 529) return PROVIDER_OVERLOADED;
    if (status >= 500) return SERVER_ERROR;
    return BAD_REQUEST;
  }
}
