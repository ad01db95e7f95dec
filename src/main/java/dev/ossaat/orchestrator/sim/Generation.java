package dev.ossaat.orchestrator.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What the simulated model "generates" for one request, whatever the wire format: either a tool call, or the
 * profile's content, cut before the first stop sequence it contains or truncated to the request's token limit.
 *
 * @param text the answer text (empty for a tool call)
 * @param finish why the generation ended
 * @param stopSequence the stop sequence that ended it, null unless {@link Finish#STOP_SEQUENCE}
 * @param completionTokens the reported output: the profile's completionTokens, or the request's limit when
 *     that is smaller
 * @param toolCall the tool call, null unless {@link Finish#TOOL_CALL}
 */
record Generation(String text, Finish finish, String stopSequence, int completionTokens, ToolCall toolCall) {
  /** Why a generation ended, in neither format's words. */
  enum Finish {
    /** The whole content: OpenAI "stop", Anthropic "end_turn". */
    END,
    /** A stop sequence: OpenAI "stop", Anthropic "stop_sequence". */
    STOP_SEQUENCE,
    /** The request's token limit: OpenAI "length", Anthropic "max_tokens". */
    MAX_TOKENS,
    /** A tool call: OpenAI "tool_calls", Anthropic "tool_use". */
    TOOL_CALL
  }

  /**
   * The tool the model calls.
   *
   * @param name the tool's name
   * @param argumentsJson a JSON object with every {@code required} property of the tool's schema set to "sim"
   */
  record ToolCall(String name, String argumentsJson) {
    /** The call of the tool named {@code name} whose parameter schema is {@code schema} (may be missing). */
    static ToolCall of(String name, JsonNode schema) {
      StringBuilder arguments = new StringBuilder("{");
      for (JsonNode property : schema.path("required")) {
        if (property.isTextual()) {
          if (arguments.length() > 1) {
            arguments.append(',');
          }
          arguments.append(SimJson.quote(property.asText())).append(":\"sim\"");
        }
      }
      return new ToolCall(name, arguments.append('}').toString());
    }
  }

  /** The profile's answer to a request that neither calls a tool nor limits the output nor stops early. */
  static Generation standard(SimProfile profile) {
    return new Generation(profile.content(), Finish.END, null, profile.completionTokens(), null);
  }

  static Generation toolCall(SimProfile profile, ToolCall call) {
    return new Generation("", Finish.TOOL_CALL, null, profile.completionTokens(), call);
  }

  /**
   * The profile's content for a request with these stop sequences and output limit (null: none). A limit
   * below completionTokens keeps the same share of the content's code points; a stop sequence within what is
   * kept cuts the content just before it.
   */
  static Generation text(SimProfile profile, List<String> stops, Integer maxTokens) {
    String content = profile.content();
    int completion = profile.completionTokens();
    int kept = content.length();
    int limit = maxTokens == null ? Integer.MAX_VALUE : Math.max(maxTokens, 0);
    boolean limited = limit < completion; // so completion > 0 below
    if (limited) {
      int codePoints = content.codePointCount(0, content.length());
      int keptCodePoints = (int) ((long) codePoints * limit / completion);
      kept = content.offsetByCodePoints(0, keptCodePoints);
    }
    int stopAt = -1;
    String matched = null;
    for (String stop : stops) {
      int at = stop.isEmpty() ? -1 : content.indexOf(stop);
      if (at >= 0 && (stopAt < 0 || at < stopAt)) {
        stopAt = at;
        matched = stop;
      }
    }
    if (matched != null && stopAt <= kept) {
      return new Generation(content.substring(0, stopAt), Finish.STOP_SEQUENCE, matched, completion, null);
    }
    if (limited) {
      return new Generation(content.substring(0, kept), Finish.MAX_TOKENS, null, limit, null);
    }
    return standard(profile);
  }

  /** True when this is exactly {@link #standard}, whose bodies are rendered once per profile. */
  boolean isStandard(SimProfile profile) {
    return finish == Finish.END && completionTokens == profile.completionTokens() && text.equals(profile.content());
  }
}
