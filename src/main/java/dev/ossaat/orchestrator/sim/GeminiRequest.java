package dev.ossaat.orchestrator.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What the simulator needs from a {@code GenerateContentRequest}, validated as Gemini does where it
 * matters to a gateway: {@code contents} a non-empty list of turns with role user or model and
 * non-empty {@code parts}; no OpenAI-only fields at the top level.
 *
 * @param toolCall the function the answer calls, null for a text answer: the request declares
 *     functions, {@code functionCallingConfig.mode} is not NONE and the last user turn holds no
 *     {@code functionResponse}; the first declared one unless {@code allowedFunctionNames} names another
 * @param thoughts {@code generationConfig.thinkingConfig.includeThoughts}: the answer starts with a thought part
 * @param safety what the last user text asks the simulated safety system for: {@code "[sim:blocked]"}
 *     blocks the prompt, {@code "[sim:safety]"} stops the answer with finishReason SAFETY; null otherwise
 */
record GeminiRequest(List<String> stopSequences, Integer maxOutputTokens, Generation.ToolCall toolCall, boolean thoughts,
    String safety) {
  static final String BLOCK_PROMPT = "[sim:blocked]";
  static final String SAFETY_STOP = "[sim:safety]";

  /** @throws BadRequestException with Gemini's words for a malformed request */
  static GeminiRequest parse(Buffer body) {
    JsonNode root = SimJson.readObject(body.getBytes());
    for (String openAiOnly : new String[] {"messages", "model", "max_tokens", "tools_choice"}) {
      if (root.has(openAiOnly)) {
        throw new BadRequestException("Invalid JSON payload received. Unknown name \"" + openAiOnly + "\": Cannot find field.");
      }
    }
    JsonNode contents = root.path("contents");
    if (!contents.isArray() || contents.isEmpty()) {
      throw new BadRequestException("* GenerateContentRequest.contents: contents is not specified");
    }
    for (int i = 0; i < contents.size(); i++) {
      JsonNode c = contents.get(i);
      String role = c.path("role").asText("user");
      if (!role.equals("user") && !role.equals("model")) {
        throw new BadRequestException("Please use a valid role: user, model.");
      }
      if (!c.path("parts").isArray() || c.path("parts").isEmpty()) {
        throw new BadRequestException("* GenerateContentRequest.contents[" + i + "].parts: contents.parts must not be empty.");
      }
    }
    JsonNode g = root.path("generationConfig");
    List<String> stops = new ArrayList<>();
    for (JsonNode s : g.path("stopSequences")) if (s.isTextual()) stops.add(s.asText());
    Integer max = g.path("maxOutputTokens").canConvertToInt() ? g.get("maxOutputTokens").intValue() : null;
    boolean thoughts = g.path("thinkingConfig").path("includeThoughts").asBoolean(false);
    return new GeminiRequest(stops, max, toolCall(root, contents), thoughts, safety(contents));
  }

  Generation generate(SimProfile profile) {
    return toolCall != null ? Generation.toolCall(profile, toolCall) : Generation.text(profile, stopSequences, maxOutputTokens);
  }

  private static Generation.ToolCall toolCall(JsonNode root, JsonNode contents) {
    List<JsonNode> declarations = new ArrayList<>();
    for (JsonNode tool : root.path("tools")) for (JsonNode d : tool.path("functionDeclarations")) declarations.add(d);
    JsonNode config = root.path("toolConfig").path("functionCallingConfig");
    if (declarations.isEmpty() || "NONE".equals(config.path("mode").asText())) return null;
    JsonNode last = contents.get(contents.size() - 1);
    if ("user".equals(last.path("role").asText("user"))) {
      for (JsonNode part : last.path("parts")) if (part.has("functionResponse")) return null;
    }
    JsonNode chosen = declarations.get(0);
    JsonNode allowed = config.path("allowedFunctionNames");
    if (allowed.isArray() && !allowed.isEmpty()) {
      for (JsonNode d : declarations) if (d.path("name").asText().equals(allowed.get(0).asText())) chosen = d;
    }
    if (!chosen.path("name").isTextual()) {
      throw new BadRequestException("* GenerateContentRequest.tools[0].function_declarations[0].name: Name cannot be empty.");
    }
    return Generation.ToolCall.of(chosen.get("name").asText(), chosen.path("parameters"));
  }

  private static String safety(JsonNode contents) {
    for (int i = contents.size() - 1; i >= 0; i--) {
      JsonNode c = contents.get(i);
      if (!"user".equals(c.path("role").asText("user"))) continue;
      for (JsonNode part : c.path("parts")) {
        String text = part.path("text").asText("");
        if (text.contains(BLOCK_PROMPT)) return BLOCK_PROMPT;
        if (text.contains(SAFETY_STOP)) return SAFETY_STOP;
      }
      return null;
    }
    return null;
  }
}
