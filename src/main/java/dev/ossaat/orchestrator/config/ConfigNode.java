package dev.ossaat.orchestrator.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A read-only view of one section of the config tree that knows its own dotted path, so every
 * error names the exact key ({@code providers.openai.timeout: expected a duration ...}). Values
 * may be written as strings (they often come from {@code ${VAR}} substitution), so numbers and
 * booleans are also accepted in their textual form.
 */
public final class ConfigNode {
  private final JsonNode node;
  private final String path;

  public ConfigNode(JsonNode node, String path) {
    this.node = node == null || node.isNull() ? MissingNode.getInstance() : node;
    this.path = path;
  }

  public String path() {
    return path;
  }

  public boolean isMissing() {
    return node.isMissingNode();
  }

  public boolean has(String key) {
    return node.has(key) && !node.get(key).isNull();
  }

  public ConfigNode child(String key) {
    ConfigNode child = new ConfigNode(node.get(key), keyPath(key));
    if (!child.isMissing() && !child.node.isObject()) {
      throw new ConfigException(child.path, "expected a section (a map of keys), got " + describe(child.node));
    }
    return child;
  }

  /** Rejects keys this section does not know, so a typo such as {@code timout} fails the start. */
  public void allowOnly(Set<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        throw new ConfigException(keyPath(key), "unknown key (known keys here: " + String.join(", ", known.stream().sorted().toList()) + ")");
      }
    }
  }

  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  public String string(String key, String fallback) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) return fallback;
    if (!v.isValueNode()) throw new ConfigException(keyPath(key), "expected a text value, got " + describe(v));
    String text = v.asText();
    return text.isEmpty() ? fallback : text;
  }

  public boolean bool(String key, boolean fallback) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull()) return fallback;
    if (v.isBoolean()) return v.booleanValue();
    String text = v.asText().trim().toLowerCase();
    return switch (text) {
      case "" -> fallback;
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new ConfigException(keyPath(key), "expected true or false, got '" + v.asText() + "'");
    };
  }

  public int integer(String key, int fallback, int min, int max) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull() || v.asText().isEmpty()) return fallback;
    int value;
    if (v.isIntegralNumber()) {
      value = v.intValue();
    } else {
      try {
        value = Integer.parseInt(v.asText().trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(keyPath(key), "expected a whole number, got '" + v.asText() + "'");
      }
    }
    if (value < min || value > max) {
      throw new ConfigException(keyPath(key), "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  public double decimal(String key, double fallback, double min) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull() || v.asText().isEmpty()) return fallback;
    double value;
    try {
      value = v.isNumber() ? v.doubleValue() : Double.parseDouble(v.asText().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(keyPath(key), "expected a number, got '" + v.asText() + "'");
    }
    if (value < min || Double.isNaN(value) || Double.isInfinite(value)) {
      throw new ConfigException(keyPath(key), "must be a number of at least " + min + ", got " + v.asText());
    }
    return value;
  }

  public Duration duration(String key, Duration fallback) {
    JsonNode v = node.get(key);
    if (v == null || v.isNull() || v.asText().isEmpty()) return fallback;
    try {
      Duration d = Durations.parse(v.asText());
      if (d.isNegative()) throw new IllegalArgumentException("must not be negative");
      return d;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(keyPath(key), e.getMessage());
    }
  }

  /** A list of strings, written either as a YAML/JSON list or as one comma-separated string. */
  public List<String> stringList(String key) {
    JsonNode v = node.get(key);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) return out;
    if (v.isArray()) {
      for (JsonNode item : v) {
        if (!item.isValueNode()) throw new ConfigException(keyPath(key), "expected a list of names, got " + describe(item) + " in it");
        addTrimmed(out, item.asText());
      }
    } else if (v.isValueNode()) {
      for (String part : v.asText().split(",")) addTrimmed(out, part);
    } else {
      throw new ConfigException(keyPath(key), "expected a list of names, got " + describe(v));
    }
    return out;
  }

  /** The entries of a map section, each as its own node. */
  public Map<String, ConfigNode> entries() {
    Map<String, ConfigNode> out = new LinkedHashMap<>();
    node.fields().forEachRemaining(e -> out.put(e.getKey(), new ConfigNode(e.getValue(), keyPath(e.getKey()))));
    return out;
  }

  public boolean isSection() {
    return node.isObject();
  }

  public String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static void addTrimmed(List<String> out, String text) {
    String t = text.trim();
    if (!t.isEmpty()) out.add(t);
  }

  private static String describe(JsonNode v) {
    if (v.isObject()) return "a section";
    if (v.isArray()) return "a list";
    return "'" + v.asText() + "'";
  }
}
