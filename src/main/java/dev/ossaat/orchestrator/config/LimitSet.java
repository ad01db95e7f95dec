package dev.ossaat.orchestrator.config;

/**
 * The limits of one scope (a key, a user, a tenant, a tenant's use of one model). A negative value is
 * "no limit". Written in config and in the admin API with the same names.
 *
 * @param requestsPerMinute a token bucket of this capacity, refilled at this many per minute
 * @param tokensPerMinute prompt plus completion tokens, the same kind of bucket
 * @param concurrentRequests requests in flight at once
 * @param dollarsPerDay spend per UTC day (of the Redis server's clock)
 * @param dollarsPerMonth spend per UTC calendar month
 */
public record LimitSet(long requestsPerMinute, long tokensPerMinute, long concurrentRequests, double dollarsPerDay,
    double dollarsPerMonth) {
  public static final LimitSet NONE = new LimitSet(-1, -1, -1, -1, -1);

  /** {@code other}'s set values over this one's. */
  public LimitSet with(LimitSet other) {
    if (other == null) return this;
    return new LimitSet(
        other.requestsPerMinute >= 0 ? other.requestsPerMinute : requestsPerMinute,
        other.tokensPerMinute >= 0 ? other.tokensPerMinute : tokensPerMinute,
        other.concurrentRequests >= 0 ? other.concurrentRequests : concurrentRequests,
        other.dollarsPerDay >= 0 ? other.dollarsPerDay : dollarsPerDay,
        other.dollarsPerMonth >= 0 ? other.dollarsPerMonth : dollarsPerMonth);
  }

  public boolean any() {
    return requestsPerMinute >= 0 || tokensPerMinute >= 0 || concurrentRequests >= 0 || dollarsPerDay >= 0
        || dollarsPerMonth >= 0;
  }

  public boolean hasBudget() {
    return dollarsPerDay >= 0 || dollarsPerMonth >= 0;
  }
}
