package dev.ossaat.orchestrator.cache;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ossaat.orchestrator.config.CacheConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * What the cache may do with one request, from the config and the client's headers.
 *
 * <ul>
 *   <li>{@code Cache-Control: no-store}: neither read nor write. {@code no-cache} (or {@code max-age=0}):
 *       do not answer from the cache, but store the fresh answer.
 *   <li>{@code x-orchestrator-cache-ttl: <seconds>} (a whole number, 1 or more): store the answer for that
 *       long, at most {@code cache.ttl}; it also opts a non-deterministic request in.
 *   <li>Non-deterministic requests are not cached unless {@code cache.cacheNonDeterministic} is on or the
 *       client sent the TTL header: an explicit {@code temperature} above 0, {@code n} above 1, or tools
 *       offered ({@code tools} or {@code functions}: the answer may be a call with side effects, which a
 *       replay would repeat without the model deciding again). A request that leaves temperature out
 *       accepts the provider's default and is cached: the rule reads what the client asked for.
 * </ul>
 */
record CachePolicy(Mode mode, Duration ttl, String reason) {
  static final String TTL_HEADER = "x-orchestrator-cache-ttl";

  enum Mode {
    /** Read, and store a miss's answer. */
    USE,
    /** Store the fresh answer, do not read. */
    REFRESH,
    /** Neither read nor store. */
    BYPASS
  }

  /** The TTL header is not a whole number of seconds of 1 or more. */
  static final class BadTtl extends IllegalArgumentException {
    BadTtl(String message) {
      super(message);
    }
  }

  /** @throws BadTtl when the TTL header is malformed */
  static CachePolicy of(CacheConfig config, JsonNode body, Function<String, String> headers) {
    Mode mode = directive(headers.apply("cache-control"));
    if (mode == Mode.BYPASS) return new CachePolicy(Mode.BYPASS, null, "no_store");
    Duration ttl = config.ttl();
    String header = headers.apply(TTL_HEADER);
    boolean optIn = header != null;
    if (optIn) {
      long seconds;
      try {
        seconds = Long.parseLong(header.strip());
      } catch (NumberFormatException e) {
        throw new BadTtl(TTL_HEADER + " must be a whole number of seconds, got '" + header.strip() + "'");
      }
      if (seconds < 1) throw new BadTtl(TTL_HEADER + " must be 1 or more seconds, got " + seconds);
      ttl = Duration.ofSeconds(Math.min(seconds, config.ttl().toSeconds()));
    }
    if (!optIn && !config.cacheNonDeterministic() && nonDeterministic(body)) {
      return new CachePolicy(Mode.BYPASS, null, "non_deterministic");
    }
    return new CachePolicy(mode, ttl, mode == Mode.REFRESH ? "no_cache" : null);
  }

  static boolean nonDeterministic(JsonNode body) {
    JsonNode temperature = body.get("temperature");
    if (temperature != null && temperature.isNumber() && temperature.doubleValue() > 0) return true;
    JsonNode n = body.get("n");
    if (n != null && n.isNumber() && n.intValue() > 1) return true;
    return nonEmpty(body.get("tools")) || nonEmpty(body.get("functions"));
  }

  private static boolean nonEmpty(JsonNode node) {
    return node != null && node.isArray() && !node.isEmpty();
  }

  /** The client's {@code Cache-Control} request directives (RFC 9111). */
  static Mode directive(String header) {
    if (header == null || header.isBlank()) return Mode.USE;
    Mode out = Mode.USE;
    for (String part : header.split(",")) {
      String d = part.strip().toLowerCase(Locale.ROOT);
      if (d.equals("no-store")) return Mode.BYPASS;
      if (d.equals("no-cache") || d.equals("max-age=0")) out = Mode.REFRESH;
    }
    return out;
  }
}
