package dev.ossaat.orchestrator.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemini {@code GenerateContentResponse}s for one profile, whole or as a stream of them. Usage
 * follows the profile's totals: with P = promptTokens, C = completionTokens (or the request's limit),
 * T = reasoningTokens, R = cachedPromptTokens, {@code usageMetadata} is
 * {@code {"promptTokenCount":P,"candidatesTokenCount":C-T,"totalTokenCount":P+C}} plus
 * {@code "thoughtsTokenCount":T} when T &gt; 0 and {@code "cachedContentTokenCount":R} when R &gt; 0
 * (Gemini counts thoughts beside the candidates, and the cached part inside the prompt).
 *
 * <p>A stream is one {@code data:} event per chunk ({@code \r\n\r\n}-terminated, as Google sends),
 * every chunk a whole response: the thought (when asked for), the text in {@code chunks} pieces, or
 * the function call whole; the last chunk carries the finish reason and the usage; earlier chunks
 * carry the prompt count only. There is no end marker: the body ends.
 */
final class GeminiBodies {
  static final String THOUGHT = "The user wrote to the simulator. A short, friendly answer will do.";
  static final String STREAM_ERROR = "data: " + GeminiErrorBodies.OVERLOADED + "\r\n\r\n";
  private static final int EMBEDDING_DIMENSIONS = 8;

  private final SimProfile profile;

  GeminiBodies(SimProfile profile) {
    this.profile = profile;
  }

  /** A whole answer. */
  String response(String id, String model, GeminiRequest request, Generation generation) {
    if (GeminiRequest.BLOCK_PROMPT.equals(request.safety())) return blocked(id, model);
    ObjectNode root = head(id, model);
    ObjectNode candidate = root.putArray("candidates").addObject();
    if (GeminiRequest.SAFETY_STOP.equals(request.safety())) {
      candidate.put("finishReason", "SAFETY").put("index", 0);
      safetyRatings(candidate, true);
    } else {
      ArrayNode parts = candidate.putObject("content").put("role", "model").putArray("parts");
      if (request.thoughts()) parts.addObject().put("text", THOUGHT).put("thought", true);
      if (generation.toolCall() != null) {
        parts.add(functionCall(generation.toolCall(), request.thoughts()));
      } else {
        parts.addObject().put("text", generation.text());
      }
      candidate.put("finishReason", finishReason(generation)).put("index", 0);
    }
    usage(root, generation.completionTokens());
    ids(root, id, model);
    return SimJson.write(root);
  }

  /** The stream's events, one per chunk. */
  List<String> stream(String id, String model, GeminiRequest request, Generation generation) {
    List<String> events = new ArrayList<>();
    if (GeminiRequest.BLOCK_PROMPT.equals(request.safety())) {
      events.add(event(blocked(id, model)));
      return events;
    }
    if (request.thoughts()) {
      ObjectNode chunk = chunk(id, model);
      content(chunk).addObject().put("text", THOUGHT).put("thought", true);
      events.add(event(SimJson.write(chunk)));
    }
    if (GeminiRequest.SAFETY_STOP.equals(request.safety())) {
      List<String> pieces = ChatBodies.split(profile.content(), 2);
      ObjectNode first = chunk(id, model);
      content(first).addObject().put("text", pieces.get(0));
      events.add(event(SimJson.write(first)));
      ObjectNode last = head(id, model);
      ObjectNode candidate = last.putArray("candidates").addObject().put("finishReason", "SAFETY").put("index", 0);
      safetyRatings(candidate, true);
      usage(last, generation.completionTokens());
      ids(last, id, model);
      events.add(event(SimJson.write(last)));
      return events;
    }
    if (generation.toolCall() != null) {
      ObjectNode last = chunk(id, model);
      content(last).add(functionCall(generation.toolCall(), request.thoughts()));
      finish(last, generation, id, model);
      events.add(event(SimJson.write(last)));
      return events;
    }
    List<String> pieces = ChatBodies.split(generation.text(), profile.chunks());
    for (int i = 0; i < pieces.size(); i++) {
      ObjectNode chunk = chunk(id, model);
      content(chunk).addObject().put("text", pieces.get(i));
      if (i == pieces.size() - 1) finish(chunk, generation, id, model);
      events.add(event(SimJson.write(chunk)));
    }
    return events;
  }

  /** {@code embedContent} or {@code batchEmbedContents}: one deterministic vector per text. */
  String embeddings(JsonNode request, boolean batch) {
    ObjectNode root = SimJson.MAPPER.createObjectNode();
    if (!batch) {
      vector(root.putObject("embedding").putArray("values"), text(request.path("content")));
      return SimJson.write(root);
    }
    JsonNode requests = request.path("requests");
    if (!requests.isArray() || requests.isEmpty()) throw new BadRequestException("* BatchEmbedContentsRequest.requests: must not be empty");
    ArrayNode embeddings = root.putArray("embeddings");
    for (JsonNode r : requests) vector(embeddings.addObject().putArray("values"), text(r.path("content")));
    return SimJson.write(root);
  }

  static final String MODELS = "{\"models\":[" + model("gemini-2.5-flash", "Gemini 2.5 Flash (simulated)")
      + "," + model("gemini-2.5-pro", "Gemini 2.5 Pro (simulated)") + "," + model("gemini-embedding-001", "Gemini Embedding (simulated)")
      + "]}";

  private static String model(String id, String name) {
    return "{\"name\":\"models/" + id + "\",\"displayName\":\"" + name + "\",\"supportedGenerationMethods\":"
        + "[\"generateContent\",\"countTokens\",\"embedContent\"]}";
  }

  private String blocked(String id, String model) {
    ObjectNode root = head(id, model);
    ObjectNode feedback = root.putObject("promptFeedback").put("blockReason", "SAFETY");
    safetyRatings(feedback, true);
    root.putObject("usageMetadata").put("promptTokenCount", profile.promptTokens()).put("totalTokenCount", profile.promptTokens());
    ids(root, id, model);
    return SimJson.write(root);
  }

  private static void safetyRatings(ObjectNode node, boolean blocked) {
    ArrayNode ratings = node.putArray("safetyRatings");
    ratings.addObject().put("category", "HARM_CATEGORY_DANGEROUS_CONTENT").put("probability", "HIGH").put("blocked", blocked);
    ratings.addObject().put("category", "HARM_CATEGORY_HARASSMENT").put("probability", "NEGLIGIBLE");
  }

  private static ObjectNode head(String id, String model) {
    return SimJson.MAPPER.createObjectNode();
  }

  /** Google's field order: candidates, usageMetadata, then modelVersion and responseId. */
  private static void ids(ObjectNode root, String id, String model) {
    root.remove("modelVersion");
    root.remove("responseId");
    root.put("modelVersion", model).put("responseId", id);
  }

  private ObjectNode chunk(String id, String model) {
    ObjectNode root = head(id, model);
    root.putArray("candidates").addObject().putObject("content").put("role", "model").putArray("parts");
    if (!profile.omitUsage()) {
      root.putObject("usageMetadata").put("promptTokenCount", profile.promptTokens()).put("totalTokenCount", profile.promptTokens());
    }
    ids(root, id, model);
    return root;
  }

  private static ArrayNode content(ObjectNode chunk) {
    return (ArrayNode) chunk.path("candidates").path(0).path("content").path("parts");
  }

  private void finish(ObjectNode chunk, Generation generation, String id, String model) {
    ((ObjectNode) chunk.path("candidates").path(0)).put("finishReason", finishReason(generation)).put("index", 0);
    chunk.remove("usageMetadata");
    usage(chunk, generation.completionTokens());
    ids(chunk, id, model);
  }

  /** Adds usageMetadata, unless the profile omits usage. */
  private void usage(ObjectNode root, int completion) {
    if (!profile.omitUsage()) {
      int thoughts = Math.min(profile.reasoningTokens(), completion);
      ObjectNode u = root.putObject("usageMetadata").put("promptTokenCount", profile.promptTokens())
          .put("candidatesTokenCount", completion - thoughts).put("totalTokenCount", (long) profile.promptTokens() + completion);
      if (profile.cachedPromptTokens() > 0) u.put("cachedContentTokenCount", profile.cachedPromptTokens());
      if (thoughts > 0) u.put("thoughtsTokenCount", thoughts);
    }
  }

  /** A function call part; with thinking on, it carries a thoughtSignature, as Gemini 2.5 and 3 send. */
  private static ObjectNode functionCall(Generation.ToolCall call, boolean thinking) {
    ObjectNode part = SimJson.MAPPER.createObjectNode();
    if (thinking) part.put("thoughtSignature", thoughtSignature(call.name()));
    ObjectNode fc = part.putObject("functionCall").put("name", call.name());
    try {
      fc.set("args", SimJson.MAPPER.readTree(call.argumentsJson()));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("the simulator's own arguments are JSON", e);
    }
    return part;
  }

  /** The signature the simulator gives a call of {@code name}: standard base64 with padding and + or /. */
  static String thoughtSignature(String name) {
    return java.util.Base64.getEncoder().encodeToString(("sig/" + name + "+??").getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static String finishReason(Generation generation) {
    return generation.finish() == Generation.Finish.MAX_TOKENS ? "MAX_TOKENS" : "STOP";
  }

  private static String text(JsonNode content) {
    StringBuilder out = new StringBuilder();
    for (JsonNode part : content.path("parts")) out.append(part.path("text").asText(""));
    return out.toString();
  }

  private static void vector(ArrayNode values, String text) {
    int hash = text.hashCode();
    for (int d = 0; d < EMBEDDING_DIMENSIONS; d++) values.add(((hash >>> (4 * d)) & 0xF) / 16.0 - 0.5);
  }

  static String event(String json) {
    return "data: " + json + "\r\n\r\n";
  }
}
