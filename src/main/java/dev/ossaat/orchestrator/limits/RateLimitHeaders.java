package dev.ossaat.orchestrator.limits;

import dev.ossaat.orchestrator.pipeline.RequestExchange;

/**
 * The {@code x-ratelimit-*} headers OpenAI's clients read, for the tightest requests and tokens
 * buckets of the request's scopes: limit, remaining, and the time until the bucket is full again,
 * written as Go durations the way OpenAI writes them ({@code 20ms}, {@code 1.5s}, {@code 6m0s}).
 */
final class RateLimitHeaders {
  private RateLimitHeaders() {}

  static void put(RequestExchange ex, Decision d) {
    if (d.rpmLimit() >= 0) {
      ex.responseHeader("x-ratelimit-limit-requests", Long.toString(d.rpmLimit()));
      ex.responseHeader("x-ratelimit-remaining-requests", Long.toString(Math.max(0, d.rpmRemaining())));
      ex.responseHeader("x-ratelimit-reset-requests", duration(d.rpmResetMillis()));
    }
    if (d.tpmLimit() >= 0) {
      ex.responseHeader("x-ratelimit-limit-tokens", Long.toString(d.tpmLimit()));
      ex.responseHeader("x-ratelimit-remaining-tokens", Long.toString(Math.max(0, d.tpmRemaining())));
      ex.responseHeader("x-ratelimit-reset-tokens", duration(d.tpmResetMillis()));
    }
  }

  static String duration(long millis) {
    if (millis <= 0) return "0s";
    if (millis < 1000) return millis + "ms";
    if (millis < 60_000) {
      String s = java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
      return s + "s";
    }
    long h = millis / 3_600_000, m = (millis % 3_600_000) / 60_000;
    String s = java.math.BigDecimal.valueOf(millis % 60_000, 3).stripTrailingZeros().toPlainString();
    return (h > 0 ? h + "h" : "") + m + "m" + s + "s";
  }
}
