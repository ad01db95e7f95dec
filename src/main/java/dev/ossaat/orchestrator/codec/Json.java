package dev.ossaat.orchestrator.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The JSON helpers every codec shares: one mapper, small readers that say which field is wrong. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  public static Buffer buffer(JsonNode node) {
    try {
      return Buffer.buffer(MAPPER.writeValueAsBytes(node));
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree must serialise", e);
    }
  }

  /** @throws CodecException when the bytes are not one JSON object */
  public static ObjectNode parseObject(Buffer body) {
    try {
      JsonNode node = MAPPER.readTree(body.getBytes());
      if (node instanceof ObjectNode o) return o;
    } catch (IOException e) {
      throw new CodecException("not valid JSON: " + firstLine(e.getMessage()));
    }
    throw new CodecException("not a JSON object");
  }

  /** @throws CodecException when the text is not one JSON object */
  public static ObjectNode parseObject(String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node instanceof ObjectNode o) return o;
    } catch (IOException e) {
      throw new CodecException("not valid JSON: " + firstLine(e.getMessage()));
    }
    throw new CodecException("not a JSON object");
  }

  /**
   * The value of a top-level field of a JSON object. Every whole answer passes here (its usage), so
   * the field is found by a byte scan that only tracks strings and nesting, and only its value is
   * parsed: no tokens, names or tree for the rest (the streaming parser's skip over a whole answer
   * was 7 % of the non-streaming profile). Null when the field is absent or the body is not an object.
   */
  public static JsonNode topLevelField(Buffer body, String field) {
    byte[] b = body.getBytes();
    int at = topLevelValueAt(b, field.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    if (at < 0) return null;
    try (JsonParser p = FACTORY.createParser(b, at, b.length - at)) {
      if (p.nextToken() == null) return null;
      return MAPPER.readTree(p);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Where the value of the top-level member {@code name} starts (just past its colon), or -1. Only
   * string boundaries (with their escapes) and brackets are tracked: a quote inside a string is always
   * escaped, so a string that matches at depth one and is followed by a colon is a member name.
   */
  static int topLevelValueAt(byte[] b, byte[] name) {
    int len = b.length;
    int i = 0;
    while (i < len && isSpace(b[i])) i++;
    if (i >= len || b[i] != '{') return -1;
    int depth = 0;
    for (; i < len; i++) {
      byte c = b[i];
      if (c == '"') {
        int start = i + 1;
        int end = start;
        while (end < len && b[end] != '"') end += b[end] == '\\' ? 2 : 1;
        if (end >= len) return -1;
        i = end;
        if (depth == 1 && end - start == name.length && java.util.Arrays.equals(b, start, end, name, 0, name.length)) {
          int colon = end + 1;
          while (colon < len && isSpace(b[colon])) colon++;
          if (colon < len && b[colon] == ':') return colon + 1;
        }
      } else if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        if (--depth == 0) return -1;
      }
    }
    return -1;
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  /** A text field, or null when absent or null; anything else is the client's error. */
  public static String text(JsonNode node, String field, String param) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw new CodecException("'" + param + "' must be a string", param);
    return v.textValue();
  }

  public static Integer integer(JsonNode node, String field, String param) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.canConvertToInt() || !v.isIntegralNumber()) throw new CodecException("'" + param + "' must be an integer", param);
    return v.intValue();
  }

  public static Long longValue(JsonNode node, String field, String param) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isIntegralNumber()) throw new CodecException("'" + param + "' must be an integer", param);
    return v.longValue();
  }

  public static Double number(JsonNode node, String field, String param) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isNumber()) throw new CodecException("'" + param + "' must be a number", param);
    return v.doubleValue();
  }

  public static Boolean bool(JsonNode node, String field, String param) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isBoolean()) throw new CodecException("'" + param + "' must be true or false", param);
    return v.booleanValue();
  }

  /** A string or a list of strings (OpenAI's {@code stop}), as a list. */
  public static List<String> strings(JsonNode node, String field, String param) {
    JsonNode v = node.get(field);
    List<String> out = new ArrayList<>();
    if (v == null || v.isNull()) return out;
    if (v.isTextual()) {
      out.add(v.textValue());
      return out;
    }
    if (!v.isArray()) throw new CodecException("'" + param + "' must be a string or a list of strings", param);
    for (JsonNode item : v) {
      if (!item.isTextual()) throw new CodecException("'" + param + "' must be a string or a list of strings", param);
      out.add(item.textValue());
    }
    return out;
  }

  /** Null for absent and JSON null: optional objects pass through as sent. */
  public static JsonNode optional(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v;
  }

  public static void putIfNotNull(ObjectNode node, String field, Object value) {
    if (value == null) return;
    if (value instanceof String s) node.put(field, s);
    else if (value instanceof Integer i) node.put(field, i);
    else if (value instanceof Long l) node.put(field, l);
    else if (value instanceof Double d) node.put(field, d);
    else if (value instanceof Boolean b) node.put(field, b);
    else if (value instanceof JsonNode j) node.set(field, j);
    else throw new IllegalArgumentException("unsupported JSON value " + value.getClass());
  }

  private static String firstLine(String message) {
    if (message == null) return "unreadable";
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
