package dev.ossaat.orchestrator.codec.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A JSON Schema (OpenAI's tool parameters and {@code json_schema}) as Gemini's {@code Schema}, an
 * OpenAPI subset: Gemini refuses the whole request for a field it does not know
 * ({@code additionalProperties}, {@code $schema}, {@code strict}), so only its fields are kept;
 * {@code "type": ["string","null"]} becomes {@code "type":"string","nullable":true} and
 * {@code const} a one-value {@code enum}. Nothing is guessed beyond that.
 */
final class GeminiSchema {
  private static final Set<String> KEPT = Set.of("type", "format", "title", "description", "nullable", "enum",
      "maxItems", "minItems", "properties", "required", "minProperties", "maxProperties", "minLength", "maxLength",
      "pattern", "example", "anyOf", "propertyOrdering", "default", "items", "minimum", "maximum");

  private GeminiSchema() {}

  static JsonNode of(JsonNode schema) {
    if (schema == null || !schema.isObject()) return Json.object().put("type", "object");
    return convert(schema);
  }

  private static ObjectNode convert(JsonNode schema) {
    ObjectNode out = Json.object();
    Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> f = fields.next();
      String key = f.getKey();
      JsonNode v = f.getValue();
      if (key.equals("const")) {
        out.putArray("enum").add(v);
        continue;
      }
      if (!KEPT.contains(key)) continue;
      switch (key) {
        case "type" -> type(v, out);
        case "properties" -> {
          ObjectNode props = out.putObject("properties");
          v.fields().forEachRemaining(p -> props.set(p.getKey(), p.getValue().isObject() ? convert(p.getValue()) : p.getValue()));
        }
        case "items" -> out.set("items", v.isObject() ? convert(v) : v);
        case "anyOf" -> {
          ArrayNode any = out.putArray("anyOf");
          for (JsonNode s : v) any.add(s.isObject() ? convert(s) : s);
        }
        case "enum" -> {
          // Gemini's enum holds strings only.
          ArrayNode values = out.putArray("enum");
          for (JsonNode e : v) values.add(e.isTextual() ? e.textValue() : e.toString());
          if (!out.has("type")) out.put("type", "string");
        }
        default -> out.set(key, v);
      }
    }
    return out;
  }

  private static void type(JsonNode v, ObjectNode out) {
    if (v.isTextual()) {
      out.put("type", v.textValue());
      return;
    }
    if (v.isArray()) {
      String first = null;
      for (JsonNode t : v) {
        if ("null".equals(t.asText())) out.put("nullable", true);
        else if (first == null) first = t.asText();
      }
      if (first != null) out.put("type", first);
    }
  }
}
