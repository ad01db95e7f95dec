package dev.ossaat.orchestrator.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Anthropic Messages bodies for one profile, plain and streamed. The usage objects depend only on the
 * profile and are rendered once; a message is assembled per request, from its blocks.
 *
 * <p>A streamed message is {@code message_start}, {@code ping}, then per content block
 * {@code content_block_start}, its deltas and {@code content_block_stop}, then {@code message_delta} and
 * {@code message_stop}, each framed as {@code event: <type>\ndata: <json>\n\n}.
 */
final class AnthropicBodies {
  /** The reasoning of every thinking block; its signature is {@link #signature} of it. */
  static final String THINKING = "The user wrote to the simulator. A short, friendly answer will do.";
  static final String MODELS = models("sim-small", "Sim Small", "sim-large", "Sim Large",
      "claude-sonnet-4-5", "Claude Sonnet 4.5 (simulated)");
  static final String STREAM_ERROR =
      event("error", "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
  private static final String THINKING_SIGNATURE = signature(THINKING);

  private final SimProfile profile;
  private final String usageHead;
  private final String usageTail;
  private final String startUsage;

  AnthropicBodies(SimProfile profile) {
    this.profile = profile;
    int read = profile.cachedPromptTokens();
    int written = profile.cacheCreationTokens();
    // Anthropic's input_tokens leaves out what was read from or written to the cache.
    usageHead = "{\"input_tokens\":" + Math.max(0, profile.promptTokens() - read - written) + ",\"output_tokens\":";
    usageTail = ",\"cache_creation_input_tokens\":" + written + ",\"cache_read_input_tokens\":" + read + "}";
    startUsage = profile.omitUsage() ? "" : ",\"usage\":" + usage(1);
  }

  /** Anthropic's usage object with {@code output} as its output_tokens; the input fields depend on the profile. */
  private String usage(int output) {
    return usageHead + output + usageTail;
  }

  /** The signature the simulator gives a thinking block: it checks echoed blocks against it. */
  static String signature(String thinking) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(thinking.getBytes(StandardCharsets.UTF_8));
      return "sig_sim_" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** The {@code count_tokens} answer: the whole input, cached or not. */
  String countTokens() {
    return "{\"input_tokens\":" + profile.promptTokens() + "}";
  }

  /** A whole {@code message} object. */
  String message(String id, String model, Generation generation, String toolUseId, boolean thinking) {
    StringBuilder content = new StringBuilder();
    if (thinking) {
      content.append("{\"type\":\"thinking\",\"thinking\":").append(SimJson.quote(THINKING))
          .append(",\"signature\":\"").append(THINKING_SIGNATURE).append("\"}");
    }
    if (content.length() > 0) {
      content.append(',');
    }
    Generation.ToolCall call = generation.toolCall();
    if (call != null) {
      content.append("{\"type\":\"tool_use\",\"id\":").append(SimJson.quote(toolUseId)).append(",\"name\":")
          .append(SimJson.quote(call.name())).append(",\"input\":").append(call.argumentsJson()).append('}');
    } else {
      content.append("{\"type\":\"text\",\"text\":").append(SimJson.quote(generation.text())).append('}');
    }
    return "{\"id\":" + SimJson.quote(id) + ",\"type\":\"message\",\"role\":\"assistant\",\"model\":"
        + SimJson.quote(model) + ",\"content\":[" + content + "]," + stop(generation)
        + (profile.omitUsage() ? "" : ",\"usage\":" + usage(generation.completionTokens())) + "}";
  }

  /**
   * A streamed message: what goes out with the headers, the steps paced like content chunks (each holds one
   * delta, with the block start or stop next to it) and what ends a complete stream.
   */
  Stream stream(String id, String model, Generation generation, String toolUseId, boolean thinking) {
    String preamble = event("message_start", "{\"type\":\"message_start\",\"message\":{\"id\":" + SimJson.quote(id)
        + ",\"type\":\"message\",\"role\":\"assistant\",\"model\":" + SimJson.quote(model)
        + ",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null" + startUsage + "}}")
        + event("ping", "{\"type\":\"ping\"}");
    List<String> steps = new ArrayList<>();
    int index = 0;
    if (thinking) {
      block(steps, index++, "{\"type\":\"thinking\",\"thinking\":\"\"}", "thinking_delta", "thinking",
          ChatBodies.split(THINKING, profile.chunks()),
          delta(index - 1, "{\"type\":\"signature_delta\",\"signature\":\"" + THINKING_SIGNATURE + "\"}"));
    }
    Generation.ToolCall call = generation.toolCall();
    if (call != null) {
      String input = call.argumentsJson();
      int fragments = Math.max(2, Math.min(profile.chunks(), input.codePointCount(0, input.length())));
      block(steps, index, "{\"type\":\"tool_use\",\"id\":" + SimJson.quote(toolUseId) + ",\"name\":"
          + SimJson.quote(call.name()) + ",\"input\":{}}", "input_json_delta", "partial_json",
          ChatBodies.split(input, fragments), "");
    } else {
      block(steps, index, "{\"type\":\"text\",\"text\":\"\"}", "text_delta", "text",
          ChatBodies.split(generation.text(), profile.chunks()), "");
    }
    String trailer = event("message_delta", "{\"type\":\"message_delta\",\"delta\":{" + stop(generation) + "}"
        + (profile.omitUsage() ? "" : ",\"usage\":{\"output_tokens\":" + generation.completionTokens() + "}") + "}")
        + event("message_stop", "{\"type\":\"message_stop\"}");
    return new Stream(preamble, steps, trailer);
  }

  /** A streamed message in its three parts, see {@link Exchange#stream}. */
  record Stream(String preamble, List<String> steps, String trailer) {}

  /** {@code event: <type>\ndata: <json>\n\n}. */
  static String event(String type, String json) {
    return "event: " + type + "\ndata: " + json + "\n\n";
  }

  private static void block(List<String> steps, int index, String start, String deltaType, String field,
      List<String> pieces, String beforeStop) {
    for (int i = 0; i < pieces.size(); i++) {
      StringBuilder step = new StringBuilder();
      if (i == 0) {
        step.append(event("content_block_start",
            "{\"type\":\"content_block_start\",\"index\":" + index + ",\"content_block\":" + start + "}"));
      }
      step.append(delta(index, "{\"type\":\"" + deltaType + "\",\"" + field + "\":" + SimJson.quote(pieces.get(i))
          + "}"));
      if (i == pieces.size() - 1) {
        step.append(beforeStop)
            .append(event("content_block_stop", "{\"type\":\"content_block_stop\",\"index\":" + index + "}"));
      }
      steps.add(step.toString());
    }
  }

  private static String delta(int index, String delta) {
    return event("content_block_delta",
        "{\"type\":\"content_block_delta\",\"index\":" + index + ",\"delta\":" + delta + "}");
  }

  private static String stop(Generation generation) {
    String reason = switch (generation.finish()) {
      case END -> "end_turn";
      case STOP_SEQUENCE -> "stop_sequence";
      case MAX_TOKENS -> "max_tokens";
      case TOOL_CALL -> "tool_use";
    };
    String sequence = generation.stopSequence() == null ? "null" : SimJson.quote(generation.stopSequence());
    return "\"stop_reason\":\"" + reason + "\",\"stop_sequence\":" + sequence;
  }

  private static String models(String... idsAndNames) {
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < idsAndNames.length; i += 2) {
      if (i > 0) {
        data.append(',');
      }
      data.append("{\"type\":\"model\",\"id\":").append(SimJson.quote(idsAndNames[i])).append(",\"display_name\":")
          .append(SimJson.quote(idsAndNames[i + 1])).append(",\"created_at\":\"2025-01-01T00:00:00Z\"}");
    }
    return "{\"data\":[" + data + "],\"has_more\":false,\"first_id\":" + SimJson.quote(idsAndNames[0])
        + ",\"last_id\":" + SimJson.quote(idsAndNames[idsAndNames.length - 2]) + "}";
  }
}
