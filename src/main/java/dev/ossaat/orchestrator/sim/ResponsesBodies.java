package dev.ossaat.orchestrator.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Responses API bodies for one {@link Generation}: the response object, and its stream as OpenAI sends it
 * ({@code response.created}, {@code response.in_progress}, the item's added/delta/done events, then
 * {@code response.completed} or {@code response.incomplete} with the usage), every event numbered by
 * {@code sequence_number}. Rendered per request: the Responses endpoint is not on a benchmark's hot path.
 */
final class ResponsesBodies {
  private final SimProfile profile;
  private final Generation generation;
  private final String id;
  private final String model;
  private final String callId;
  private final long createdAt;
  private final String itemId;
  private int sequence;
  private final String preamble;
  private final List<String> steps = new ArrayList<>();
  private final String trailer;

  ResponsesBodies(SimProfile profile, Generation generation, String id, String model, String callId, long createdAt) {
    this.profile = profile;
    this.generation = generation;
    this.id = id;
    this.model = model;
    this.callId = callId;
    this.createdAt = createdAt;
    this.itemId = (callId == null ? "msg_sim_" : "fc_sim_") + id.substring("resp_sim_".length());
    String inProgress = object("in_progress", "[]", false);
    preamble = event("response.created", "\"response\":" + inProgress) + event("response.in_progress", "\"response\":" + inProgress);
    Generation.ToolCall call = generation.toolCall();
    StringBuilder end = new StringBuilder();
    if (call != null) {
      steps.add(event("response.output_item.added", "\"output_index\":0,\"item\":" + functionCall("in_progress", "")));
      String arguments = call.argumentsJson();
      int fragments = Math.max(2, Math.min(profile.chunks(), arguments.codePointCount(0, arguments.length())));
      for (String fragment : ChatBodies.split(arguments, fragments)) {
        steps.add(event("response.function_call_arguments.delta", "\"item_id\":\"" + itemId + "\",\"output_index\":0,\"delta\":"
            + SimJson.quote(fragment)));
      }
      end.append(event("response.function_call_arguments.done", "\"item_id\":\"" + itemId + "\",\"output_index\":0,\"name\":"
          + SimJson.quote(call.name()) + ",\"arguments\":" + SimJson.quote(arguments)));
      end.append(event("response.output_item.done", "\"output_index\":0,\"item\":" + functionCall("completed", arguments)));
    } else {
      steps.add(event("response.output_item.added", "\"output_index\":0,\"item\":" + message("in_progress", null))
          + event("response.content_part.added", "\"item_id\":\"" + itemId + "\",\"output_index\":0,\"content_index\":0,\"part\":"
          + part("")));
      for (String piece : ChatBodies.split(generation.text(), profile.chunks())) {
        steps.add(event("response.output_text.delta", "\"item_id\":\"" + itemId
            + "\",\"output_index\":0,\"content_index\":0,\"delta\":" + SimJson.quote(piece) + ",\"logprobs\":[]"));
      }
      String text = SimJson.quote(generation.text());
      end.append(event("response.output_text.done", "\"item_id\":\"" + itemId
          + "\",\"output_index\":0,\"content_index\":0,\"text\":" + text + ",\"logprobs\":[]"));
      end.append(event("response.content_part.done", "\"item_id\":\"" + itemId + "\",\"output_index\":0,\"content_index\":0,"
          + "\"part\":" + part(generation.text())));
      end.append(event("response.output_item.done", "\"output_index\":0,\"item\":" + message("completed", generation.text())));
    }
    String status = generation.finish() == Generation.Finish.MAX_TOKENS ? "incomplete" : "completed";
    end.append(event("response." + status, "\"response\":" + object(status, "[" + item() + "]", true)));
    trailer = end.toString();
  }

  String response() {
    return object(generation.finish() == Generation.Finish.MAX_TOKENS ? "incomplete" : "completed", "[" + item() + "]", true);
  }

  String preamble() {
    return preamble;
  }

  List<String> steps() {
    return steps;
  }

  String trailer() {
    return trailer;
  }

  /** The Responses {@code error} event after {@code sent} content steps (the sequence number follows them). */
  String error(int sent) {
    return "event: error\ndata: {\"type\":\"error\",\"code\":\"server_error\",\"message\":\"simulated upstream error\","
        + "\"param\":null,\"sequence_number\":" + (2 + sent) + "}\n\n";
  }

  private String item() {
    return generation.toolCall() != null ? functionCall("completed", generation.toolCall().argumentsJson())
        : message("completed", generation.text());
  }

  private String object(String status, String output, boolean withUsage) {
    String incomplete = status.equals("incomplete") ? "{\"reason\":\"max_output_tokens\"}" : "null";
    return "{\"id\":\"" + id + "\",\"object\":\"response\",\"created_at\":" + createdAt + ",\"status\":\"" + status
        + "\",\"error\":null,\"incomplete_details\":" + incomplete + ",\"model\":" + SimJson.quote(model) + ",\"output\":"
        + output + ",\"previous_response_id\":null,\"store\":true,\"truncation\":\"disabled\""
        + (withUsage && !profile.omitUsage() ? ",\"usage\":" + usage() : "") + "}";
  }

  private String usage() {
    int prompt = profile.promptTokens();
    int completion = generation.completionTokens();
    return "{\"input_tokens\":" + prompt + ",\"input_tokens_details\":{\"cached_tokens\":" + profile.cachedPromptTokens()
        + "},\"output_tokens\":" + completion + ",\"output_tokens_details\":{\"reasoning_tokens\":"
        + Math.min(profile.reasoningTokens(), completion) + "},\"total_tokens\":" + ((long) prompt + completion) + "}";
  }

  private String message(String status, String text) {
    return "{\"id\":\"" + itemId + "\",\"type\":\"message\",\"status\":\"" + status + "\",\"role\":\"assistant\",\"content\":"
        + (text == null ? "[]" : "[" + part(text) + "]") + "}";
  }

  private static String part(String text) {
    return "{\"type\":\"output_text\",\"text\":" + SimJson.quote(text) + ",\"annotations\":[],\"logprobs\":[]}";
  }

  private String functionCall(String status, String arguments) {
    return "{\"id\":\"" + itemId + "\",\"type\":\"function_call\",\"status\":\"" + status + "\",\"arguments\":"
        + SimJson.quote(arguments) + ",\"call_id\":\"" + callId + "\",\"name\":" + SimJson.quote(generation.toolCall().name()) + "}";
  }

  private String event(String type, String fields) {
    return "event: " + type + "\ndata: {\"type\":\"" + type + "\"," + fields + ",\"sequence_number\":" + sequence++ + "}\n\n";
  }
}
