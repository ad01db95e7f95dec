package dev.ossaat.orchestrator.sim;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What the simulator needs from an API request body, validated the way OpenAI does.
 *
 * @param model the requested model, echoed in the response
 * @param stream chat: {@code "stream": true}
 * @param includeUsage chat: {@code "stream_options": {"include_usage": true}}
 * @param inputs embeddings: one entry per input to embed (token arrays as their JSON text)
 */
record ApiRequest(String model, boolean stream, boolean includeUsage, List<String> inputs) {
  private static final ApiRequest BODILESS = new ApiRequest("", false, false, List.of());

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

  private static ApiRequest chat(String model, JsonNode root) {
    if (!root.path("messages").isArray()) {
      throw new BadRequestException("Missing required parameter: 'messages'.");
    }
    boolean stream = root.path("stream").asBoolean(false);
    boolean includeUsage = root.path("stream_options").path("include_usage").asBoolean(false);
    return new ApiRequest(model, stream, includeUsage, List.of());
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
    return new ApiRequest(model, false, false, inputs);
  }
}
