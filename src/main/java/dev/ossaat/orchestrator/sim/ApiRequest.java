package dev.ossaat.orchestrator.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What the simulator needs from an OpenAI API request body, validated the way OpenAI does.
 *
 * @param model the requested model, echoed in the response
 * @param stream chat: {@code "stream": true}
 * @param includeUsage chat: {@code "stream_options": {"include_usage": true}}
 * @param inputs embeddings: one entry per input to embed (token arrays as their JSON text)
 * @param maxTokens chat: {@code max_completion_tokens}, else {@code max_tokens}; null when neither is given
 * @param stops chat: the {@code stop} sequences (a string or an array of them)
 * @param base64Embeddings embeddings: {@code "encoding_format": "base64"} (vectors as base64 of little-endian float32)
 * @param toolCall chat: the tool the answer calls, null when it answers with text: the request offers tools,
 *     {@code tool_choice} is not "none" and the last message is not a tool result. The first tool, unless
 *     {@code tool_choice} names one.
 */
record ApiRequest(String model, boolean stream, boolean includeUsage, List<String> inputs, Integer maxTokens,
    List<String> stops, Generation.ToolCall toolCall, boolean base64Embeddings) {
  private static final ApiRequest BODILESS = new ApiRequest("", false, false, List.of(), null, List.of(), null, false);

  /** @throws BadRequestException for malformed JSON or a missing or mistyped required field */
  static ApiRequest parse(Endpoint endpoint, Buffer body) {
    if (!endpoint.isInference()) {
      return BODILESS;
    }
    JsonNode root = SimJson.readObject(body.getBytes());
    JsonNode model = root.path("model");
    if (!model.isTextual() || model.asText().isEmpty()) {
      throw new BadRequestException("You must provide a model parameter.");
    }
    return endpoint == Endpoint.CHAT_COMPLETIONS ? chat(model.asText(), root) : embeddings(model.asText(), root);
  }

  /** The answer this request gets from {@code profile}. */
  Generation generate(SimProfile profile) {
    if (toolCall != null) {
      return Generation.toolCall(profile, toolCall);
    }
    return maxTokens == null && stops.isEmpty() ? Generation.standard(profile)
        : Generation.text(profile, stops, maxTokens);
  }

  private static ApiRequest chat(String model, JsonNode root) {
    JsonNode messages = root.path("messages");
    if (!messages.isArray()) {
      throw new BadRequestException("Missing required parameter: 'messages'.");
    }
    boolean stream = root.path("stream").asBoolean(false);
    boolean includeUsage = root.path("stream_options").path("include_usage").asBoolean(false);
    JsonNode limit = root.path("max_completion_tokens").isIntegralNumber() ? root.path("max_completion_tokens")
        : root.path("max_tokens");
    Integer maxTokens = limit.isIntegralNumber() ? limit.asInt() : null;
    return new ApiRequest(model, stream, includeUsage, List.of(), maxTokens, stops(root.path("stop")),
        toolCall(root, messages), false);
  }

  private static List<String> stops(JsonNode stop) {
    if (stop.isTextual()) {
      return List.of(stop.asText());
    }
    List<String> stops = new ArrayList<>();
    for (JsonNode item : stop) {
      if (item.isTextual()) {
        stops.add(item.asText());
      }
    }
    return stops;
  }

  private static Generation.ToolCall toolCall(JsonNode root, JsonNode messages) {
    JsonNode tools = root.path("tools");
    JsonNode choice = root.path("tool_choice");
    if (!tools.isArray() || tools.isEmpty() || "none".equals(choice.asText())) {
      return null;
    }
    if (!messages.isEmpty() && "tool".equals(messages.get(messages.size() - 1).path("role").asText())) {
      return null;
    }
    String wanted = choice.path("function").path("name").asText(null);
    JsonNode chosen = tools.get(0).path("function");
    for (JsonNode tool : tools) {
      if (wanted != null && wanted.equals(tool.path("function").path("name").asText())) {
        chosen = tool.path("function");
      }
    }
    if (!chosen.path("name").isTextual()) {
      throw new BadRequestException("Missing required parameter: 'tools[0].function.name'.");
    }
    return Generation.ToolCall.of(chosen.path("name").asText(), chosen.path("parameters"));
  }

  private static ApiRequest embeddings(String model, JsonNode root) {
    JsonNode input = root.path("input");
    List<String> inputs = new ArrayList<>();
    if (input.isTextual()) {
      inputs.add(input.asText());
    } else if (input.isArray() && !input.isEmpty()) {
      if (input.get(0).isNumber()) {
        inputs.add(input.toString()); // a single input given as a token array
      } else {
        input.forEach(item -> inputs.add(item.isTextual() ? item.asText() : item.toString()));
      }
    } else {
      throw new BadRequestException("Missing required parameter: 'input'.");
    }
    return new ApiRequest(model, false, false, inputs, null, List.of(), null,
        "base64".equals(root.path("encoding_format").asText("")));
  }
}
