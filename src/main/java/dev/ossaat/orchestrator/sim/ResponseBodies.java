package dev.ossaat.orchestrator.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * OpenAI response bodies for one profile. Everything that depends only on the profile (escaped content
 * pieces, usage objects) is rendered once, when the profile is configured; a request then only concatenates
 * its id, timestamp and model, which keeps the simulator cheap under benchmark load.
 */
final class ResponseBodies {
  static final String MODELS = "{\"object\":\"list\",\"data\":["
      + model("sim-small") + "," + model("sim-large") + "," + model("gpt-4o-mini") + "]}";
  static final String STREAM_DONE = "data: [DONE]\n\n";
  private static final int EMBEDDING_DIMENSIONS = 8;

  private final String completionTail;
  private final List<String> contentChunkTails;
  private final String finishChunkTail;
  private final String usageChunkTail;
  private final String embeddingsTail;
  private final boolean omitUsage;

  ResponseBodies(SimProfile profile) {
    int prompt = profile.promptTokens();
    int completion = profile.completionTokens();
    String chatUsage = "{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
        + ",\"total_tokens\":" + (prompt + completion) + "}";
    omitUsage = profile.omitUsage();
    completionTail = ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":"
        + SimJson.quote(profile.content()) + "},\"finish_reason\":\"stop\"}]"
        + (omitUsage ? "" : ",\"usage\":" + chatUsage) + "}";
    contentChunkTails = new ArrayList<>();
    List<String> pieces = split(profile.content(), profile.chunks());
    for (int i = 0; i < pieces.size(); i++) {
      String role = i == 0 ? "\"role\":\"assistant\"," : "";
      contentChunkTails.add("[{\"index\":0,\"delta\":{" + role + "\"content\":" + SimJson.quote(pieces.get(i))
          + "},\"finish_reason\":null}]}\n\n");
    }
    finishChunkTail = "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
    usageChunkTail = "[],\"usage\":" + chatUsage + "}\n\n";
    embeddingsTail = (omitUsage ? "" : ",\"usage\":{\"prompt_tokens\":" + prompt + ",\"total_tokens\":" + prompt + "}")
        + "}";
  }

  /** A {@code chat.completion} object. */
  String completion(String id, long created, String model) {
    return "{\"id\":\"" + id + "\",\"object\":\"chat.completion\",\"created\":" + created + ",\"model\":"
        + SimJson.quote(model) + completionTail;
  }

  /** The SSE events carrying the content, one per chunk of the profile, the first one with the role. */
  List<String> contentEvents(String id, long created, String model) {
    String head = chunkHead(id, created, model);
    List<String> events = new ArrayList<>(contentChunkTails.size());
    for (String tail : contentChunkTails) {
      events.add(head + tail);
    }
    return events;
  }

  /** What follows the content of a complete stream: the finish chunk, the usage chunk if asked, [DONE]. */
  String streamTrailer(String id, long created, String model, boolean includeUsage) {
    String head = chunkHead(id, created, model);
    String usage = includeUsage && !omitUsage ? head + usageChunkTail : "";
    return head + finishChunkTail + usage + STREAM_DONE;
  }

  /** An embeddings list with one deterministic vector per input. */
  String embeddings(String model, List<String> inputs) {
    StringBuilder body = new StringBuilder(64 + inputs.size() * 96).append("{\"object\":\"list\",\"data\":[");
    for (int i = 0; i < inputs.size(); i++) {
      if (i > 0) {
        body.append(',');
      }
      body.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":[");
      appendVector(body, inputs.get(i).hashCode());
      body.append("]}");
    }
    return body.append("],\"model\":").append(SimJson.quote(model)).append(embeddingsTail).toString();
  }

  /**
   * Small values derived from the input's hash, so equal inputs embed equally (caching tests can compare
   * vectors). Sixteenths print exactly.
   */
  private static void appendVector(StringBuilder body, int hash) {
    for (int d = 0; d < EMBEDDING_DIMENSIONS; d++) {
      if (d > 0) {
        body.append(',');
      }
      body.append(((hash >>> (4 * d)) & 0xF) / 16.0 - 0.5);
    }
  }

  private static String chunkHead(String id, long created, String model) {
    return "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":" + created
        + ",\"model\":" + SimJson.quote(model) + ",\"choices\":";
  }

  /** Splits on code point boundaries into exactly {@code count} pieces (empty ones if the text is shorter). */
  private static List<String> split(String text, int count) {
    int[] codePoints = text.codePoints().toArray();
    List<String> pieces = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int from = (int) ((long) codePoints.length * i / count);
      int to = (int) ((long) codePoints.length * (i + 1) / count);
      pieces.add(new String(codePoints, from, to - from));
    }
    return pieces;
  }

  private static String model(String id) {
    return "{\"id\":\"" + id + "\",\"object\":\"model\",\"created\":0,\"owned_by\":\"simulator\"}";
  }
}
