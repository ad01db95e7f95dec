package dev.ossaat.orchestrator.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An OpenAI chat request made acceptable to Mistral. Mistral validates strictly: a field it does not
 * know is a 422 {@code extra_forbidden}, whatever it means to OpenAI. So what it names differently is
 * renamed ({@code seed} → {@code random_seed}, {@code max_completion_tokens} → {@code max_tokens},
 * {@code tool_choice: "required"} → {@code "any"}), OpenAI-only hints that change nothing about the
 * answer are dropped ({@code stream_options}: Mistral puts usage in the last chunk of every stream
 * anyway; {@code store}, {@code metadata}, {@code service_tier}, {@code user}), and tool call ids that
 * are not Mistral's nine letters and digits (OpenAI's {@code call_...}, Anthropic's {@code toolu_...},
 * from a conversation begun elsewhere) are replaced by a stable nine-character digest, the same in the
 * assistant's call and in the tool's result, so the pair still matches. Everything else is left for
 * Mistral to judge: its 422 goes back to the client as a bad request.
 */
final class MistralRequests {
  private static final List<String> DROPPED = List.of("stream_options", "store", "metadata", "service_tier", "user");
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private MistralRequests() {}

  /** Whether {@link #adapt} would change the body: lets an unchanged request keep its bytes. */
  static boolean needsAdapting(JsonNode body) {
    for (String field : DROPPED) {
      if (body.has(field)) return true;
    }
    if (body.has("seed") || body.has("max_completion_tokens")) return true;
    if ("required".equals(body.path("tool_choice").asText(null))) return true;
    for (JsonNode m : body.path("messages")) {
      if (m.has("tool_call_id") && !isMistralId(m.path("tool_call_id").asText())) return true;
      for (JsonNode call : m.path("tool_calls")) {
        if (!isMistralId(call.path("id").asText())) return true;
      }
    }
    return false;
  }

  /** Rewrites {@code body} in place; true when anything changed. */
  static boolean adapt(ObjectNode body) {
    boolean changed = false;
    for (String field : DROPPED) {
      changed |= body.remove(field) != null;
    }
    JsonNode seed = body.remove("seed");
    if (seed != null) {
      if (!body.has("random_seed")) body.set("random_seed", seed);
      changed = true;
    }
    JsonNode max = body.remove("max_completion_tokens");
    if (max != null) {
      if (!body.has("max_tokens")) body.set("max_tokens", max);
      changed = true;
    }
    if ("required".equals(body.path("tool_choice").asText(null))) {
      body.put("tool_choice", "any");
      changed = true;
    }
    for (JsonNode m : body.path("messages")) {
      if (!(m instanceof ObjectNode message)) continue;
      if (message.has("tool_call_id") && !isMistralId(message.path("tool_call_id").asText())) {
        message.put("tool_call_id", mistralId(message.path("tool_call_id").asText()));
        changed = true;
      }
      for (JsonNode c : message.path("tool_calls")) {
        if (c instanceof ObjectNode call && !isMistralId(call.path("id").asText())) {
          call.put("id", mistralId(call.path("id").asText()));
          changed = true;
        }
      }
    }
    return changed;
  }

  /** Mistral's form: exactly nine ASCII letters and digits. */
  static boolean isMistralId(String id) {
    if (id == null || id.length() != 9) return false;
    for (int i = 0; i < 9; i++) {
      char c = id.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
    }
    return true;
  }

  /** A stable nine-character id for any other: FNV-1a of its UTF-8 bytes in base 62 (62^9 > 2^53). */
  static String mistralId(String id) {
    long h = 0xcbf29ce484222325L;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    char[] out = new char[9];
    long v = h & Long.MAX_VALUE;
    for (int i = 0; i < 9; i++) {
      out[i] = ALPHABET.charAt((int) (v % 62));
      v /= 62;
    }
    return new String(out);
  }
}
