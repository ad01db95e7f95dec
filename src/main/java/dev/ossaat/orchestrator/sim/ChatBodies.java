package dev.ossaat.orchestrator.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI chat completion bodies, plain and streamed, for one {@link Generation}. The profile's standard answer
 * is rendered once per profile (see {@link ResponseBodies#chat}); tool calls, stops and limits render per
 * request. A request then only concatenates its id, timestamp and model.
 *
 * <p>Streams: every chunk carries {@code "usage":null} when the request asked for
 * {@code stream_options.include_usage} (and the profile does not omit usage), no usage field otherwise; the
 * usage chunk, {@code "choices":[]}, comes after the finish chunk and before {@code [DONE]}.
 */
final class ChatBodies {
  static final String STREAM_DONE = "data: [DONE]\n\n";
  static final String STREAM_ERROR =
      "data: {\"error\":{\"message\":\"simulated upstream error\",\"type\":\"server_error\",\"code\":null}}\n\n";
  private static final String NO_USAGE_END = "}\n\n";
  private static final String NULL_USAGE_END = ",\"usage\":null}\n\n";

  private final String completionTail;
  private final List<String> stepChoices;
  private final String finishChoices;
  private final String usageChunkTail;

  /** @param toolCallId the id of the generation's tool call; unused for text */
  ChatBodies(SimProfile profile, Generation generation, String toolCallId) {
    String usage = profile.omitUsage() ? null : usage(profile, generation.completionTokens());
    String finishReason = finishReason(generation.finish());
    stepChoices = new ArrayList<>();
    String message;
    Generation.ToolCall call = generation.toolCall();
    if (call != null) {
      String id = SimJson.quote(toolCallId);
      String name = SimJson.quote(call.name());
      message = "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":" + id
          + ",\"type\":\"function\",\"function\":{\"name\":" + name + ",\"arguments\":"
          + SimJson.quote(call.argumentsJson()) + "}}]}";
      stepChoices.add(choice("{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":" + id
          + ",\"type\":\"function\",\"function\":{\"name\":" + name + ",\"arguments\":\"\"}}]}", null));
      String arguments = call.argumentsJson();
      int fragments = Math.max(2, Math.min(profile.chunks(), arguments.codePointCount(0, arguments.length())));
      for (String fragment : split(arguments, fragments)) {
        stepChoices.add(choice("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":" + SimJson.quote(fragment)
            + "}}]}", null));
      }
    } else {
      message = "{\"role\":\"assistant\",\"content\":" + SimJson.quote(generation.text()) + "}";
      List<String> pieces = split(generation.text(), profile.chunks());
      for (int i = 0; i < pieces.size(); i++) {
        String role = i == 0 ? "\"role\":\"assistant\"," : "";
        stepChoices.add(choice("{" + role + "\"content\":" + SimJson.quote(pieces.get(i)) + "}", null));
      }
    }
    completionTail = ",\"choices\":[{\"index\":0,\"message\":" + message + ",\"finish_reason\":" + finishReason
        + "}]" + (usage == null ? "" : ",\"usage\":" + usage) + "}";
    finishChoices = choice("{}", finishReason);
    usageChunkTail = usage == null ? null : "[],\"usage\":" + usage + NO_USAGE_END;
  }

  /** A {@code chat.completion} object. */
  String completion(String id, long created, String model) {
    return "{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":" + created + ",\"model\":"
        + SimJson.quote(model) + completionTail;
  }

  /**
   * The SSE events carrying the answer, one per step: for text one per chunk of the profile, the first one
   * with the role; for a tool call the call's id and name, then at least two argument fragments.
   */
  List<String> contentEvents(String id, long created, String model, boolean includeUsage) {
    String head = chunkHead(id, created, model);
    String end = end(includeUsage);
    List<String> events = new ArrayList<>(stepChoices.size());
    for (String choices : stepChoices) {
      events.add(head + choices + end);
    }
    return events;
  }

  /** What follows the content of a complete stream: the finish chunk, the usage chunk if asked, [DONE]. */
  String streamTrailer(String id, long created, String model, boolean includeUsage) {
    String head = chunkHead(id, created, model);
    String usage = includeUsage && usageChunkTail != null ? head + usageChunkTail : "";
    return head + finishChoices + end(includeUsage) + usage + STREAM_DONE;
  }

  /** Usage in OpenAI's shape; the details objects only when the profile sets their counts. */
  static String usage(SimProfile profile, int completion) {
    int prompt = profile.promptTokens();
    StringBuilder usage = new StringBuilder("{\"prompt_tokens\":").append(prompt)
        .append(",\"completion_tokens\":").append(completion)
        .append(",\"total_tokens\":").append((long) prompt + completion);
    if (profile.cachedPromptTokens() > 0) {
      usage.append(",\"prompt_tokens_details\":{\"cached_tokens\":").append(profile.cachedPromptTokens()).append('}');
    }
    if (profile.reasoningTokens() > 0) {
      usage.append(",\"completion_tokens_details\":{\"reasoning_tokens\":")
          .append(Math.min(profile.reasoningTokens(), completion)).append('}');
    }
    return usage.append('}').toString();
  }

  private String end(boolean includeUsage) {
    return includeUsage && usageChunkTail != null ? NULL_USAGE_END : NO_USAGE_END;
  }

  private static String finishReason(Generation.Finish finish) {
    return switch (finish) {
      case END, STOP_SEQUENCE -> "\"stop\"";
      case MAX_TOKENS -> "\"length\"";
      case TOOL_CALL -> "\"tool_calls\"";
    };
  }

  private static String choice(String delta, String finishReason) {
    return "[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + (finishReason == null ? "null" : finishReason)
        + "}]";
  }

  private static String chunkHead(String id, long created, String model) {
    return "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + created
        + ",\"model\":" + SimJson.quote(model) + ",\"choices\":";
  }

  /** Splits on code point boundaries into exactly {@code count} pieces (empty ones if the text is shorter). */
  static List<String> split(String text, int count) {
    int[] codePoints = text.codePoints().toArray();
    List<String> pieces = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int from = (int) ((long) codePoints.length * i / count);
      int to = (int) ((long) codePoints.length * (i + 1) / count);
      pieces.add(new String(codePoints, from, to - from));
    }
    return pieces;
  }
}
