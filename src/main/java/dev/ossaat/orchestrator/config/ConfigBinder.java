package dev.ossaat.orchestrator.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Binds a small flat config section to a record through Jackson: unknown keys are refused, values use
 * the syntax of {@link ConfigValues} ({@code 30s}, {@code "50"}, {@code yes}, an empty string for
 * "not set"), and every error is a {@link ConfigException} naming the full key path. The records it
 * binds have boxed components, null meaning "not set", so the caller decides what is inherited.
 */
final class ConfigBinder {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .addModule(new SimpleModule("orchestrator-config")
          .addDeserializer(Duration.class, new ValueDeserializer<>(Duration.class, ConfigValues::duration))
          .addDeserializer(Integer.class, new ValueDeserializer<>(Integer.class, ConfigValues::integer))
          .addDeserializer(Boolean.class, new ValueDeserializer<>(Boolean.class, ConfigValues::bool))
          .addDeserializer(String.class, new ValueDeserializer<>(String.class, ConfigValues::text)))
      .build();

  private ConfigBinder() {}

  /** Binds {@code section} (possibly missing: every component null) to {@code type}. */
  static <T extends Record> T bind(ConfigNode section, Class<T> type) {
    return bind(section, type, null);
  }

  /**
   * @param about appended to an unknown-key message, to say what the section is (for sections whose
   *     name could be mistaken for something else)
   */
  static <T extends Record> T bind(ConfigNode section, Class<T> type, String about) {
    JsonNode json = section.isMissing() ? MAPPER.createObjectNode() : section.json();
    try {
      return MAPPER.treeToValue(json, type);
    } catch (UnrecognizedPropertyException e) {
      String known = String.join(", ", keysOf(type).stream().sorted().toList());
      throw new ConfigException(path(section, e), "unknown key (" + (about == null ? "" : about + "; ")
          + "known keys here: " + known + ")");
    } catch (JsonMappingException e) {
      String problem = e instanceof BadValue ? e.getOriginalMessage() : firstLine(e.getOriginalMessage());
      throw new ConfigException(path(section, e), problem);
    } catch (IOException e) {
      throw new ConfigException(section.path(), firstLine(e.getMessage()));
    }
  }

  /** The keys a section record accepts: its component names, in declaration order. */
  static Set<String> keysOf(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).map(c -> c.getName())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static String path(ConfigNode section, JsonMappingException e) {
    List<String> parts = e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : r.getIndex() >= 0 ? "[" + r.getIndex() + "]" : null)
        .filter(Objects::nonNull).toList();
    String inner = String.join(".", parts).replace(".[", "[");
    if (inner.isEmpty()) return section.path();
    return section.path().isEmpty() ? inner : section.path() + "." + inner;
  }

  private static String firstLine(String message) {
    if (message == null) return "invalid value";
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** A value that does not follow the config syntax; its message is already meant for the reader. */
  private static final class BadValue extends JsonMappingException {
    private static final long serialVersionUID = 1L;

    BadValue(JsonParser p, String message) {
      super(p, message);
    }
  }

  /** Reads the value as a tree and hands it to one of {@link ConfigValues}' parsers. */
  private static final class ValueDeserializer<T> extends StdScalarDeserializer<T> {
    private static final long serialVersionUID = 1L;
    private final transient Function<JsonNode, T> parse;

    ValueDeserializer(Class<T> type, Function<JsonNode, T> parse) {
      super(type);
      this.parse = parse;
    }

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode value = ctxt.readTree(p);
      try {
        return parse.apply(value);
      } catch (IllegalArgumentException e) {
        throw new BadValue(p, e.getMessage());
      }
    }

    @Override
    public T getNullValue(DeserializationContext ctxt) {
      return null;
    }
  }
}
