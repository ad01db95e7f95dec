package dev.ossaat.orchestrator.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration notation of the runbook's examples: {@code 100ms}, {@code 30s}, {@code 1m},
 * {@code 2h}. A bare number is seconds, because that is how the runbook writes {@code ttl: 3600}.
 */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

  private Durations() {}

  /** Returns the duration, or throws an {@link IllegalArgumentException} describing the format. */
  public static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a duration such as 100ms, 30s, 1m or 2h, got '" + text + "'");
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis = switch (unit) {
      case "ms" -> amount;
      case "s" -> amount * 1_000;
      case "m" -> amount * 60_000;
      case "h" -> amount * 3_600_000;
      default -> throw new IllegalStateException(unit);
    };
    return Duration.ofMillis(Math.round(millis));
  }
}
