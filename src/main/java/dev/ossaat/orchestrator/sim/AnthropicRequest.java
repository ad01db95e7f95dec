package dev.ossaat.orchestrator.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What the simulator needs from an Anthropic Messages request body, validated the way Anthropic does.
 *
 * @param model the requested model, echoed in the response
 * @param stream {@code "stream": true}
 * @param maxTokens {@code max_tokens}, required
 * @param stopSequences {@code stop_sequences}
 * @param toolCall the tool the answer uses, null when it answers with text: the request offers tools,
 *     {@code tool_choice} is not {@code {"type":"none"}} and the last user message holds no
 *     {@code tool_result}. The first tool, unless {@code tool_choice} is {@code {"type":"tool","name":...}}.
 * @param thinking {@code "thinking": {"type": "enabled", ...}}: the answer starts with a thinking block
 */
record AnthropicRequest(String model, boolean stream, int maxTokens, List<String> stopSequences,
    Generation.ToolCall toolCall, boolean thinking) {

  /** @throws BadRequestException for malformed JSON or a missing or mistyped required field */
  static AnthropicRequest parseMessages(Buffer body) {
    JsonNode root = SimJson.readObject(body.getBytes());
    String model = model(root);
    JsonNode maxTokens = root.path("max_tokens");
    if (maxTokens.isMissingNode() || maxTokens.isNull()) {
      throw new BadRequestException("max_tokens: Field required");
    }
    if (!maxTokens.isIntegralNumber() || !maxTokens.canConvertToInt()) {
      throw new BadRequestException("max_tokens: Input should be a valid integer");
    }
    if (maxTokens.asInt() < 1) {
      throw new BadRequestException("max_tokens: Input should be greater than or equal to 1");
    }
    JsonNode messages = messages(root);
    List<String> stops = new ArrayList<>();
    for (JsonNode stop : root.path("stop_sequences")) {
      if (stop.isTextual()) {
        stops.add(stop.asText());
      }
    }
    boolean thinking = "enabled".equals(root.path("thinking").path("type").asText());
    return new AnthropicRequest(model, root.path("stream").asBoolean(false), maxTokens.asInt(), stops,
        toolCall(root, messages), thinking);
  }

  /** Validates a {@code count_tokens} body: a model and messages, as for a message. */
  static void validateCountTokens(Buffer body) {
    JsonNode root = SimJson.readObject(body.getBytes());
    model(root);
    messages(root);
  }

  /** The answer this request gets from {@code profile}. */
  Generation generate(SimProfile profile) {
    return toolCall != null ? Generation.toolCall(profile, toolCall)
        : Generation.text(profile, stopSequences, maxTokens);
  }

  private static String model(JsonNode root) {
    JsonNode model = root.path("model");
    if (model.isMissingNode() || model.isNull()) {
      throw new BadRequestException("model: Field required");
    }
    if (!model.isTextual() || model.asText().isEmpty()) {
      throw new BadRequestException("model: Input should be a valid string");
    }
    return model.asText();
  }

  private static JsonNode messages(JsonNode root) {
    JsonNode messages = root.path("messages");
    if (messages.isMissingNode() || messages.isNull()) {
      throw new BadRequestException("messages: Field required");
    }
    if (!messages.isArray()) {
      throw new BadRequestException("messages: Input should be a valid list");
    }
    if (messages.isEmpty()) {
      throw new BadRequestException("messages: at least one message is required");
    }
    return messages;
  }

  private static Generation.ToolCall toolCall(JsonNode root, JsonNode messages) {
    JsonNode tools = root.path("tools");
    JsonNode choice = root.path("tool_choice");
    if (!tools.isArray() || tools.isEmpty() || "none".equals(choice.path("type").asText())) {
      return null;
    }
    if (lastUserMessageHasToolResult(messages)) {
      return null;
    }
    String wanted = "tool".equals(choice.path("type").asText()) ? choice.path("name").asText(null) : null;
    JsonNode chosen = tools.get(0);
    for (JsonNode tool : tools) {
      if (wanted != null && wanted.equals(tool.path("name").asText())) {
        chosen = tool;
      }
    }
    if (!chosen.path("name").isTextual()) {
      throw new BadRequestException("tools.0.name: Field required");
    }
    return Generation.ToolCall.of(chosen.path("name").asText(), chosen.path("input_schema"));
  }

  private static boolean lastUserMessageHasToolResult(JsonNode messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode message = messages.get(i);
      if ("user".equals(message.path("role").asText())) {
        for (JsonNode block : message.path("content")) {
          if ("tool_result".equals(block.path("type").asText())) {
            return true;
          }
        }
        return false;
      }
    }
    return false;
  }
}
