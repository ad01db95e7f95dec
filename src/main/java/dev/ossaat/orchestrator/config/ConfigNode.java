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
    String text = value(key, ConfigValues::text);
    return text == null ? fallback : text;
  }

  public boolean bool(String key, boolean fallback) {
    Boolean value = value(key, ConfigValues::bool);
    return value == null ? fallback : value;
  }

  public int integer(String key, int fallback, int min, int max) {
    Integer value = value(key, ConfigValues::integer);
    if (value == null) return fallback;
    ConfigValues.range(keyPath(key), value, min, max);
    return value;
  }

  public double decimal(String key, double fallback, double min) {
    JsonNode v = node.get(key);
    if (ConfigValues.unset(v)) return fallback;
    if (!v.isValueNode()) throw new ConfigException(keyPath(key), "expected a number, got " + ConfigValues.describe(v));
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
    Duration d = value(key, ConfigValues::duration);
    return d == null ? fallback : d;
  }

  /** The raw tree of this section, for {@link ConfigBinder}. */
  JsonNode json() {
    return node;
  }

  private <T> T value(String key, java.util.function.Function<JsonNode, T> parse) {
    try {
      return parse.apply(node.get(key));
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
    return ConfigValues.describe(v);
  }
}
