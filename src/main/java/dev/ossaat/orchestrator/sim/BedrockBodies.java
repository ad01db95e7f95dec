package dev.ossaat.orchestrator.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.bedrock.EventStreamCodec;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bedrock Converse answers for one profile: the JSON answer, and the ConverseStream events as AWS
 * event-stream messages ({@code messageStart}, per block its deltas (a tool call also
 * {@code contentBlockStart}) and {@code contentBlockStop}, {@code messageStop}, {@code metadata}).
 * Events carry a {@code p} padding field as Bedrock's do. Usage: {@code inputTokens} is P-R-W,
 * {@code cacheReadInputTokens} R and {@code cacheWriteInputTokens} W (when not 0), {@code totalTokens}
 * P+C (see {@link SimProfile}).
 */
final class BedrockBodies {
  static final String PADDING = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ";

  private BedrockBodies() {}

  static ObjectNode usage(SimProfile profile, int completion) {
    int read = profile.cachedPromptTokens();
    int write = profile.cacheCreationTokens();
    ObjectNode u = SimJson.MAPPER.createObjectNode()
        .put("inputTokens", Math.max(0, profile.promptTokens() - read - write))
        .put("outputTokens", completion)
        .put("totalTokens", profile.promptTokens() + completion);
    if (read > 0) u.put("cacheReadInputTokens", read);
    if (write > 0) u.put("cacheWriteInputTokens", write);
    return u;
  }

  static String stopReason(Generation g) {
    return switch (g.finish()) {
      case END -> "end_turn";
      case STOP_SEQUENCE -> "stop_sequence";
      case MAX_TOKENS -> "max_tokens";
      case TOOL_CALL -> "tool_use";
    };
  }

  /** Claude's {@code additionalModelResponseFields.stop_sequence}, when asked for and a stop sequence ended it. */
  static void stopSequence(ObjectNode holder, Generation g, boolean asked) {
    if (asked && g.stopSequence() != null) holder.putObject("additionalModelResponseFields").put("stop_sequence", g.stopSequence());
  }

  static String answer(SimProfile profile, Generation g, String toolUseId, boolean askedStop) {
    ObjectNode root = SimJson.MAPPER.createObjectNode();
    ObjectNode message = root.putObject("output").putObject("message").put("role", "assistant");
    ArrayNode content = message.putArray("content");
    if (g.toolCall() != null) {
      ObjectNode use = content.addObject().putObject("toolUse").put("toolUseId", toolUseId).put("name", g.toolCall().name());
      use.set("input", SimJson.readObject(g.toolCall().argumentsJson().getBytes(StandardCharsets.UTF_8)));
    } else {
      content.addObject().put("text", g.text());
    }
    root.put("stopReason", stopReason(g));
    stopSequence(root, g, askedStop);
    if (!profile.omitUsage()) root.set("usage", usage(profile, g.completionTokens()));
    root.putObject("metrics").put("latencyMs", profile.latencyMs());
    return SimJson.write(root);
  }

  /** The stream's messages: content first ({@code contentEvents}), then the closing ones. */
  record Stream(List<Buffer> content, List<Buffer> closing) {}

  static Stream stream(SimProfile profile, Generation g, String toolUseId, boolean askedStop) {
    List<Buffer> content = new ArrayList<>();
    content.add(event("messageStart", SimJson.MAPPER.createObjectNode().put("p", PADDING).put("role", "assistant")));
    if (g.toolCall() != null) {
      ObjectNode start = SimJson.MAPPER.createObjectNode().put("contentBlockIndex", 0);
      start.putObject("start").putObject("toolUse").put("toolUseId", toolUseId).put("name", g.toolCall().name());
      content.add(event("contentBlockStart", start.put("p", PADDING)));
      String args = g.toolCall().argumentsJson();
      int half = args.length() / 2;
      for (String part : half == 0 ? List.of(args) : List.of(args.substring(0, half), args.substring(half))) {
        ObjectNode delta = SimJson.MAPPER.createObjectNode().put("contentBlockIndex", 0);
        delta.putObject("delta").putObject("toolUse").put("input", part);
        content.add(event("contentBlockDelta", delta.put("p", PADDING)));
      }
    } else {
      for (String part : split(g.text(), profile.chunks())) {
        ObjectNode delta = SimJson.MAPPER.createObjectNode().put("contentBlockIndex", 0);
        delta.putObject("delta").put("text", part);
        content.add(event("contentBlockDelta", delta.put("p", PADDING)));
      }
    }
    List<Buffer> closing = new ArrayList<>();
    closing.add(event("contentBlockStop", SimJson.MAPPER.createObjectNode().put("contentBlockIndex", 0).put("p", PADDING)));
    ObjectNode stop = SimJson.MAPPER.createObjectNode().put("stopReason", stopReason(g));
    stopSequence(stop, g, askedStop);
    closing.add(event("messageStop", stop.put("p", PADDING)));
    ObjectNode metadata = SimJson.MAPPER.createObjectNode();
    if (!profile.omitUsage()) metadata.set("usage", usage(profile, g.completionTokens()));
    metadata.putObject("metrics").put("latencyMs", profile.latencyMs());
    closing.add(event("metadata", metadata.put("p", PADDING)));
    return new Stream(content, closing);
  }

  static Buffer event(String type, ObjectNode payload) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":event-type", type);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "event");
    return EventStreamCodec.encode(headers, SimJson.write(payload).getBytes(StandardCharsets.UTF_8));
  }

  /** An in-stream exception, as ConverseStream sends it ({@code :message-type: exception}). */
  static Buffer exception(String type, String message) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(":exception-type", type);
    headers.put(":content-type", "application/json");
    headers.put(":message-type", "exception");
    return EventStreamCodec.encode(headers, ("{\"message\":" + SimJson.quote(message) + "}").getBytes(StandardCharsets.UTF_8));
  }

  /** The text cut into {@code n} pieces of about equal length (by code points). */
  static List<String> split(String text, int n) {
    List<String> out = new ArrayList<>();
    int points = text.codePointCount(0, text.length());
    int parts = Math.max(1, Math.min(n, Math.max(points, 1)));
    int start = 0;
    for (int i = 1; i <= parts; i++) {
      int endPoint = (int) ((long) points * i / parts);
      int end = text.offsetByCodePoints(0, endPoint);
      out.add(text.substring(start, end));
      start = end;
    }
    return out;
  }
}
