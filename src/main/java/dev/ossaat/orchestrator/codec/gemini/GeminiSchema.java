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
 * {@code const} a one-value {@code enum}; local references ({@code #/$defs/X}, {@code #/definitions/X},
 * as schema generators write nested types) are inlined, since Gemini's Schema has no references (a
 * recursive one is cut at {@value #MAX_DEPTH} levels to a plain object). Nothing is guessed beyond that.
 */
final class GeminiSchema {
  private static final Set<String> KEPT = Set.of("type", "format", "title", "description", "nullable", "enum",
      "maxItems", "minItems", "properties", "required", "minProperties", "maxProperties", "minLength", "maxLength",
      "pattern", "example", "anyOf", "propertyOrdering", "default", "items", "minimum", "maximum");

  private static final int MAX_DEPTH = 8;

  private GeminiSchema() {}

  static JsonNode of(JsonNode schema) {
    if (schema == null || !schema.isObject()) return Json.object().put("type", "object");
    return convert(schema, schema, 0);
  }

  private static ObjectNode convert(JsonNode schema, JsonNode root, int depth) {
    JsonNode ref = schema.get("$ref");
    if (ref != null && ref.isTextual()) {
      JsonNode target = resolve(root, ref.textValue());
      if (target == null || depth >= MAX_DEPTH) return Json.object().put("type", "object");
      ObjectNode merged = ((ObjectNode) target).deepCopy();
      schema.fields().forEachRemaining(f -> {
        if (!f.getKey().equals("$ref")) merged.set(f.getKey(), f.getValue()); // a description beside the $ref wins
      });
      return convert(merged, root, depth + 1);
    }
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
          v.fields().forEachRemaining(p -> props.set(p.getKey(),
              p.getValue().isObject() ? convert(p.getValue(), root, depth + 1) : p.getValue()));
        }
        case "items" -> out.set("items", v.isObject() ? convert(v, root, depth + 1) : v);
        case "anyOf" -> {
          ArrayNode any = out.putArray("anyOf");
          for (JsonNode s : v) any.add(s.isObject() ? convert(s, root, depth + 1) : s);
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

  /** A local JSON pointer ({@code #/$defs/Address}) into the root schema, or null. */
  private static JsonNode resolve(JsonNode root, String ref) {
    if (!ref.startsWith("#/")) return null;
    JsonNode target = root.at(ref.substring(1));
    return target.isObject() ? target : null;
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
