package dev.ossaat.orchestrator.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What the simulator needs from a Bedrock Converse body, validated as Bedrock does (its
 * {@code ValidationException} messages).
 *
 * @param toolCall the tool the answer calls, null for a text answer: tools are offered and the last
 *     user turn holds no {@code toolResult}; the first tool, or the one {@code toolChoice.tool} names
 */
record ConverseRequest(Integer maxTokens, List<String> stopSequences, Generation.ToolCall toolCall, boolean wantsStopSequence) {

  static ConverseRequest parse(Buffer body) {
    JsonNode root = SimJson.readObject(body.getBytes());
    JsonNode messages = root.path("messages");
    if (!messages.isArray() || messages.isEmpty()) {
      throw new BadRequestException("The field messages is required and must contain at least one message.");
    }
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String role = m.path("role").asText("");
      if (!role.equals("user") && !role.equals("assistant")) {
        throw new BadRequestException("1 validation error detected: Value '" + role + "' at 'messages." + (i + 1)
            + ".member.role' failed to satisfy constraint: Member must satisfy enum value set: [user, assistant]");
      }
      if (!m.path("content").isArray()) {
        throw new BadRequestException("The content field in the Message object at messages." + i + " is empty.");
      }
      if (i > 0 && role.equals(messages.get(i - 1).path("role").asText())) {
        throw new BadRequestException("A conversation must alternate between user and assistant roles.");
      }
    }
    if (!messages.get(0).path("role").asText().equals("user")) {
      throw new BadRequestException("A conversation must start with a user message. Try again with a conversation that starts with a user message.");
    }
    JsonNode inference = root.path("inferenceConfig");
    Integer maxTokens = null;
    if (inference.has("maxTokens")) {
      if (!inference.get("maxTokens").canConvertToInt() || inference.get("maxTokens").asInt() < 1) {
        throw new BadRequestException("The maximum tokens you requested must be at least 1.");
      }
      maxTokens = inference.get("maxTokens").asInt();
    }
    List<String> stops = new ArrayList<>();
    for (JsonNode s : inference.path("stopSequences")) stops.add(s.asText());
    boolean wantsStop = false;
    for (JsonNode path : root.path("additionalModelResponseFieldPaths")) wantsStop |= "/stop_sequence".equals(path.asText());
    return new ConverseRequest(maxTokens, stops, toolCall(root.path("toolConfig"), messages), wantsStop);
  }

  Generation generate(SimProfile profile) {
    return toolCall != null ? Generation.toolCall(profile, toolCall) : Generation.text(profile, stopSequences, maxTokens);
  }

  private static Generation.ToolCall toolCall(JsonNode toolConfig, JsonNode messages) {
    JsonNode tools = toolConfig.path("tools");
    List<JsonNode> specs = new ArrayList<>();
    for (JsonNode t : tools) {
      if (t.has("toolSpec")) specs.add(t.get("toolSpec"));
    }
    if (specs.isEmpty()) return null;
    for (JsonNode spec : specs) {
      if (!spec.path("name").isTextual() || !spec.path("inputSchema").path("json").isObject()) {
        throw new BadRequestException("The toolSpec must have a name and an inputSchema with a json schema.");
      }
    }
    JsonNode last = messages.get(messages.size() - 1);
    if (last.path("role").asText().equals("user")) {
      for (JsonNode block : last.path("content")) {
        if (block.has("toolResult")) return null;
      }
    }
    String wanted = toolConfig.path("toolChoice").path("tool").path("name").asText(null);
    JsonNode chosen = specs.get(0);
    for (JsonNode spec : specs) {
      if (spec.path("name").asText().equals(wanted)) chosen = spec;
    }
    return Generation.ToolCall.of(chosen.path("name").asText(), chosen.path("inputSchema").path("json"));
  }
}
