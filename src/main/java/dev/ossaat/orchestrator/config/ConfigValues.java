package dev.ossaat.orchestrator.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/**
 * The value syntax of the config file, shared by {@link ConfigNode} and {@link ConfigBinder}. Values
 * may be written as strings (they often come from {@code ${VAR}} substitution), so numbers and booleans
 * are also accepted in their textual form, and an empty string means "not set" (null). Every method
 * throws an {@link IllegalArgumentException} whose message describes the problem without the key; the
 * caller adds the key.
 */
final class ConfigValues {
  private ConfigValues() {}

  static boolean unset(JsonNode v) {
    return v == null || v.isNull() || v.isMissingNode() || (v.isValueNode() && v.asText().isEmpty());
  }

  static String text(JsonNode v) {
    if (unset(v)) return null;
    if (!v.isValueNode()) throw new IllegalArgumentException("expected a text value, got " + describe(v));
    return v.asText();
  }

  static Boolean bool(JsonNode v) {
    if (unset(v)) return null;
    if (v.isBoolean()) return v.booleanValue();
    if (!v.isValueNode()) throw new IllegalArgumentException("expected true or false, got " + describe(v));
    return switch (v.asText().trim().toLowerCase(java.util.Locale.ROOT)) {
      case "" -> null;
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException("expected true or false, got '" + v.asText() + "'");
    };
  }

  static Integer integer(JsonNode v) {
    if (unset(v)) return null;
    if (!v.isValueNode()) throw new IllegalArgumentException("expected a whole number, got " + describe(v));
    if (v.isIntegralNumber() && v.canConvertToInt()) return v.intValue();
    try {
      return Integer.parseInt(v.asText().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a whole number, got '" + v.asText() + "'");
    }
  }

  static Duration duration(JsonNode v) {
    if (unset(v)) return null;
    if (!v.isValueNode()) {
      throw new IllegalArgumentException("expected a duration such as 100ms, 30s, 1m or 2h, got " + describe(v));
    }
    Duration d = Durations.parse(v.asText());
    if (d.isNegative()) throw new IllegalArgumentException("must not be negative");
    return d;
  }

  static void range(String key, int value, int min, int max) {
    if (value < min || value > max) {
      throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + value);
    }
  }

  static String describe(JsonNode v) {
    if (v.isObject()) return "a section";
    if (v.isArray()) return "a list";
    return "'" + v.asText() + "'";
  }
}
