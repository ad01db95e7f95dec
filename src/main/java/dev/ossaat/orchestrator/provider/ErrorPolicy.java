package dev.ossaat.orchestrator.provider;

import java.util.EnumMap;
import java.util.Map;

/**
 * The one table of what a failure means: the status the client gets when it is the last failure,
 * whether the same provider is tried again, whether the request falls back to the next provider,
 * and how it counts against the provider's circuit breaker and health. Dispatch, the breakers,
 * health and the error answers all read it; none decides on its own.
 */
public final class ErrorPolicy {
  /** When a failed provider is called again for the same request. */
  public enum Retry {
    /** With backoff, while its retry budget and the deadline allow. */
    YES,
    /** Only when no other candidate is left: waiting on a throttling or slow provider would delay an answer another can give now. */
    WHEN_LAST_CANDIDATE,
    NO
  }

  /** How the failure counts against the provider's circuit breaker. */
  public enum Breaker {
    COUNTS,
    /** Counts only with {@code circuitBreaker.countRateLimits: true}. */
    IF_RATE_LIMITS_COUNT,
    /** Neither failure nor success: the attempt says nothing about the provider. */
    IGNORED,
    /** The provider answered properly; the request was at fault. */
    SUCCESS
  }

  /** What the failure tells the provider's health window. */
  public enum Health { FAILURE, SUCCESS, NONE }

  /**
   * @param clientStatus the HTTP status when this failure is what the client is told (a client
   *     error passes the provider's own status through instead)
   */
  public record Rule(int clientStatus, Retry retry, boolean fallback, Breaker breaker, Health health) {}

  private static final Map<ErrorType, Rule> TABLE = new EnumMap<>(ErrorType.class);

  static {
    //                                          client  retry same provider        fall back  breaker                        health
    put(ErrorType.TIMEOUT,             new Rule(504, Retry.WHEN_LAST_CANDIDATE, true,  Breaker.COUNTS,               Health.FAILURE));
    put(ErrorType.RATE_LIMIT,          new Rule(429, Retry.WHEN_LAST_CANDIDATE, true,  Breaker.IF_RATE_LIMITS_COUNT, Health.FAILURE));
    put(ErrorType.AUTH,                new Rule(502, Retry.NO,                  true,  Breaker.COUNTS,               Health.FAILURE));
    put(ErrorType.BAD_REQUEST,         new Rule(400, Retry.NO,                  false, Breaker.SUCCESS,              Health.SUCCESS));
    put(ErrorType.NOT_FOUND,           new Rule(404, Retry.NO,                  false, Breaker.SUCCESS,              Health.SUCCESS));
    put(ErrorType.SERVER_ERROR,        new Rule(502, Retry.YES,                 true,  Breaker.COUNTS,               Health.FAILURE));
    put(ErrorType.PROVIDER_OVERLOADED, new Rule(503, Retry.YES,                 true,  Breaker.COUNTS,               Health.FAILURE));
    put(ErrorType.NETWORK,             new Rule(502, Retry.YES,                 true,  Breaker.COUNTS,               Health.FAILURE));
    put(ErrorType.CIRCUIT_OPEN,        new Rule(503, Retry.NO,                  true,  Breaker.IGNORED,              Health.NONE));
    put(ErrorType.OVERLOADED,          new Rule(429, Retry.NO,                  true,  Breaker.IGNORED,              Health.NONE));
    put(ErrorType.STREAM_CUT,          new Rule(502, Retry.NO,                  false, Breaker.COUNTS,               Health.FAILURE));
    put(ErrorType.INTERNAL,            new Rule(500, Retry.NO,                  true,  Breaker.IGNORED,              Health.NONE));
    put(ErrorType.CANCELLED,           new Rule(499, Retry.NO,                  false, Breaker.IGNORED,              Health.NONE));
    for (ErrorType t : ErrorType.values()) {
      if (!TABLE.containsKey(t)) throw new ExceptionInInitializerError("no error policy for " + t);
    }
  }

  private ErrorPolicy() {}

  private static void put(ErrorType type, Rule rule) {
    TABLE.put(type, rule);
  }

  public static Rule of(ErrorType type) {
    return TABLE.get(type);
  }

  /** Whether to call the same provider again after this failure. */
  public static boolean retrySameProvider(ErrorType type, boolean lastCandidate) {
    return switch (of(type).retry()) {
      case YES -> true;
      case WHEN_LAST_CANDIDATE -> lastCandidate;
      case NO -> false;
    };
  }
}
