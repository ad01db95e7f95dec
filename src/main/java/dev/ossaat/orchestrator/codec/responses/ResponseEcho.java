package dev.ossaat.orchestrator.codec.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;

/**
 * The request's settings that a response object repeats ({@code instructions}, {@code tools},
 * {@code temperature}, {@code previous_response_id}, {@code store}, {@code metadata}, ...), with the
 * API's defaults for what the client left out. Fields already present (a provider's own response on
 * pass-through) are kept, except those only orchestrator knows: {@code previous_response_id} (the
 * provider never saw it) and {@code store}.
 */
public final class ResponseEcho {
  private ResponseEcho() {}

  public static void apply(ObjectNode response, ObjectNode request) {
    fill(response, "instructions", request.get("instructions"), null);
    fill(response, "max_output_tokens", request.get("max_output_tokens"), null);
    fill(response, "metadata", request.get("metadata"), Json.object());
    fill(response, "parallel_tool_calls", request.get("parallel_tool_calls"), Json.MAPPER.getNodeFactory().booleanNode(true));
    fill(response, "temperature", request.get("temperature"), Json.MAPPER.getNodeFactory().numberNode(1.0));
    fill(response, "top_p", request.get("top_p"), Json.MAPPER.getNodeFactory().numberNode(1.0));
    fill(response, "tool_choice", request.get("tool_choice"), Json.MAPPER.getNodeFactory().textNode("auto"));
    fill(response, "tools", request.get("tools"), Json.array());
    ObjectNode text = Json.object();
    text.putObject("format").put("type", "text");
    fill(response, "text", request.get("text"), text);
    ObjectNode reasoning = Json.object();
    reasoning.putNull("effort");
    reasoning.putNull("summary");
    fill(response, "reasoning", request.get("reasoning"), reasoning);
    fill(response, "truncation", request.get("truncation"), Json.MAPPER.getNodeFactory().textNode("disabled"));
    fill(response, "user", request.get("user"), null);
    fill(response, "safety_identifier", request.get("safety_identifier"), null);
    JsonNode prev = request.get("previous_response_id");
    if (prev == null || prev.isNull()) response.putNull("previous_response_id"); else response.set("previous_response_id", prev);
    response.put("store", stored(request));
  }

  /** Whether the client lets the response be stored ({@code store}, true unless it says false). */
  public static boolean stored(ObjectNode request) {
    JsonNode store = request.get("store");
    return store == null || !store.isBoolean() || store.booleanValue();
  }

  private static void fill(ObjectNode response, String field, JsonNode value, JsonNode fallback) {
    if (response.hasNonNull(field)) return;
    if (value != null && !value.isNull()) {
      response.set(field, value);
    } else if (fallback != null) {
      response.set(field, fallback);
    } else {
      response.putNull(field);
    }
  }
}
