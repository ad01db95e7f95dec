package dev.ossaat.orchestrator.codec.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.CodecException;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.exchange.ChatRequest;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.GenerationParams;
import dev.ossaat.orchestrator.exchange.Message;
import dev.ossaat.orchestrator.exchange.Role;
import dev.ossaat.orchestrator.exchange.ToolChoice;
import dev.ossaat.orchestrator.exchange.ToolDefinition;
import dev.ossaat.orchestrator.exchange.WireFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * Responses requests to the neutral model. {@code instructions} and system/developer messages become
 * the system text; the input items become turns: messages, {@code function_call} items as tool calls
 * of an assistant turn, {@code function_call_output} items as tool results of a user turn, and
 * {@code reasoning} items as reasoning (its {@code encrypted_content} as the signature, which is where
 * orchestrator keeps an Anthropic signature when it answers with a reasoning item). Consecutive items of
 * one role become one turn. Only function tools have a neutral form; a built-in tool (web search, file
 * search, ...) is the client's error when the provider does not speak Responses.
 */
public final class ResponsesRequests {
  private ResponsesRequests() {}

  /** What the decode stage checks before routing: a model, and an input that is a string or a list of objects. */
  public static void validate(ObjectNode body) {
    JsonNode model = body.get("model");
    if (model == null || !model.isTextual() || model.textValue().isBlank()) {
      throw new CodecException("you must provide a model parameter", "model");
    }
    JsonNode input = body.get("input");
    if (input == null || input.isNull()) throw new CodecException("'input' is required: a string or a list of input items", "input");
    if (!input.isTextual() && !input.isArray()) throw new CodecException("'input' must be a string or a list of input items", "input");
    for (int i = 0; i < input.size(); i++) {
      if (!input.get(i).isObject()) throw new CodecException("input[" + i + "] must be an object", "input");
    }
    JsonNode prev = body.get("previous_response_id");
    if (prev != null && !prev.isNull() && (!prev.isTextual() || prev.textValue().isBlank())) {
      throw new CodecException("'previous_response_id' must be a response id", "previous_response_id");
    }
    JsonNode store = body.get("store");
    if (store != null && !store.isNull() && !store.isBoolean()) throw new CodecException("'store' must be true or false", "store");
  }

  /** The request's input as a list of items: a string input is one user message. */
  public static ArrayNode inputItems(ObjectNode body) {
    JsonNode input = body.get("input");
    if (input != null && input.isArray()) return ((ArrayNode) input).deepCopy();
    ArrayNode items = Json.array();
    if (input != null && input.isTextual()) {
      items.addObject().put("type", "message").put("role", "user").put("content", input.textValue());
    }
    return items;
  }

  static ChatRequest decode(ObjectNode body) {
    validate(body);
    List<ContentBlock> system = new ArrayList<>();
    String instructions = Json.text(body, "instructions", "instructions");
    if (instructions != null && !instructions.isEmpty()) system.add(new ContentBlock.Text(instructions));
    Turns turns = new Turns();
    ArrayNode items = inputItems(body);
    for (int i = 0; i < items.size(); i++) item(items.get(i), "input[" + i + "]", system, turns);
    return new ChatRequest(body.get("model").textValue(), system, turns.done(), tools(body.get("tools")), toolChoice(body),
        params(body), Boolean.TRUE.equals(Json.bool(body, "stream", "stream")));
  }

  private static void item(JsonNode item, String param, List<ContentBlock> system, Turns turns) {
    String type = item.path("type").isTextual() ? item.get("type").textValue() : (item.has("role") ? "message" : "");
    switch (type) {
      case "message" -> {
        String role = item.path("role").asText("");
        switch (role) {
          case "system", "developer" -> system.addAll(content(item.get("content"), param));
          case "user" -> turns.add(Role.USER, content(item.get("content"), param));
          case "assistant" -> turns.add(Role.ASSISTANT, content(item.get("content"), param));
          default -> throw new CodecException(param + ".role must be user, assistant, system or developer", "input");
        }
      }
      case "function_call" -> {
        String args = item.path("arguments").isTextual() ? item.get("arguments").textValue() : "{}";
        turns.add(Role.ASSISTANT, List.of(new ContentBlock.ToolCall(required(item, "call_id", param),
            required(item, "name", param), args.isBlank() ? "{}" : args, null)));
      }
      case "function_call_output" -> {
        JsonNode output = item.get("output");
        List<ContentBlock> result = output != null && output.isArray() ? content(output, param)
            : List.of(new ContentBlock.Text(output == null || output.isNull() ? "" : output.isTextual() ? output.textValue() : output.toString()));
        turns.add(Role.USER, List.of(new ContentBlock.ToolResult(required(item, "call_id", param), result, false, null)));
      }
      case "reasoning" -> {
        StringBuilder text = new StringBuilder();
        for (JsonNode s : item.path("summary")) {
          if (text.length() > 0) text.append("\n\n");
          text.append(s.path("text").asText(""));
        }
        for (JsonNode c : item.path("content")) {
          if (c.path("type").asText("").equals("reasoning_text")) text.append(c.path("text").asText(""));
        }
        // Only our own reasoning items carry a signature another provider gave; a Responses provider's
        // encrypted_content means nothing elsewhere, and its summary goes on unsigned.
        String signature = ResponseIds.ourReasoning(item.path("id").asText(null)) && item.path("encrypted_content").isTextual()
            ? item.get("encrypted_content").textValue() : null;
        turns.add(Role.ASSISTANT, List.of(new ContentBlock.Reasoning(text.toString(), signature)));
      }
      default -> throw new CodecException(param + ".type '" + type + "' cannot be translated for this provider "
          + "(supported: message, function_call, function_call_output, reasoning)", "input");
    }
  }

  /** A message's content: a string or a list of parts. */
  private static List<ContentBlock> content(JsonNode content, String param) {
    List<ContentBlock> out = new ArrayList<>();
    if (content == null || content.isNull()) return out;
    if (content.isTextual()) {
      out.add(new ContentBlock.Text(content.textValue()));
      return out;
    }
    if (!content.isArray()) throw new CodecException(param + ".content must be a string or a list of parts", "input");
    for (JsonNode part : content) {
      switch (part.path("type").asText("")) {
        case "input_text", "output_text", "text" -> out.add(new ContentBlock.Text(part.path("text").asText("")));
        case "refusal" -> out.add(new ContentBlock.Text(part.path("refusal").asText("")));
        case "input_image" -> out.add(image(part, param));
        default -> out.add(new ContentBlock.Opaque(WireFormat.RESPONSES, part));
      }
    }
    return out;
  }

  private static ContentBlock image(JsonNode part, String param) {
    String detail = part.path("detail").isTextual() && !part.get("detail").textValue().equals("auto")
        ? part.get("detail").textValue() : null;
    String url = part.path("image_url").asText("");
    if (url.isEmpty()) {
      if (part.has("file_id")) return new ContentBlock.Opaque(WireFormat.RESPONSES, part);
      throw new CodecException(param + ": an input_image needs an image_url", "input");
    }
    if (url.startsWith("data:")) {
      int semi = url.indexOf(';');
      int comma = url.indexOf(',');
      if (semi > 5 && comma > semi && url.substring(semi, comma).contains("base64")) {
        return new ContentBlock.Image(url.substring(5, semi), url.substring(comma + 1), null, detail, null);
      }
    }
    return new ContentBlock.Image(null, null, url, detail, null);
  }

  private static List<ToolDefinition> tools(JsonNode tools) {
    List<ToolDefinition> out = new ArrayList<>();
    if (tools == null || tools.isNull()) return out;
    if (!tools.isArray()) throw new CodecException("'tools' must be a list", "tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode t = tools.get(i);
      String type = t.path("type").asText("");
      if (!type.equals("function")) {
        throw new CodecException("tools[" + i + "]: a '" + type + "' tool cannot be translated for this provider; only "
            + "function tools can", "tools");
      }
      String description = t.path("description").isTextual() ? t.get("description").textValue() : null;
      JsonNode parameters = t.hasNonNull("parameters") ? t.get("parameters") : Json.object().put("type", "object");
      out.add(new ToolDefinition(required(t, "name", "tools[" + i + "]"), description, parameters, null));
    }
    return out;
  }

  private static ToolChoice toolChoice(JsonNode body) {
    JsonNode choice = body.get("tool_choice");
    Boolean parallel = Json.bool(body, "parallel_tool_calls", "parallel_tool_calls");
    if (choice == null || choice.isNull()) return parallel == null ? null : new ToolChoice(ToolChoice.Mode.AUTO, null, parallel);
    if (choice.isTextual()) {
      ToolChoice.Mode mode = switch (choice.textValue()) {
        case "none" -> ToolChoice.Mode.NONE;
        case "required" -> ToolChoice.Mode.ANY;
        case "auto" -> ToolChoice.Mode.AUTO;
        default -> throw new CodecException("'tool_choice' must be none, auto, required or a function", "tool_choice");
      };
      return new ToolChoice(mode, null, parallel);
    }
    if (choice.path("type").asText("").equals("function")) {
      return new ToolChoice(ToolChoice.Mode.TOOL, required(choice, "name", "tool_choice"), parallel);
    }
    throw new CodecException("'tool_choice' of type '" + choice.path("type").asText("") + "' cannot be translated for "
        + "this provider", "tool_choice");
  }

  private static GenerationParams params(JsonNode body) {
    String user = Json.text(body, "user", "user");
    if (user == null) user = Json.text(body, "safety_identifier", "safety_identifier");
    JsonNode reasoning = body.path("reasoning");
    String effort = reasoning.path("effort").isTextual() ? reasoning.get("effort").textValue() : null;
    return new GenerationParams(Json.integer(body, "max_output_tokens", "max_output_tokens"),
        Json.number(body, "temperature", "temperature"), Json.number(body, "top_p", "top_p"), null, List.of(), null, null,
        effort, responseFormat(body.path("text").path("format")), user);
  }

  /** {@code text.format} in Chat Completions' {@code response_format} shape, the neutral one; null for plain text. */
  private static JsonNode responseFormat(JsonNode format) {
    if (!format.isObject()) return null;
    String type = format.path("type").asText("");
    switch (type) {
      case "json_object":
        return Json.object().put("type", "json_object");
      case "json_schema": {
        ObjectNode out = Json.object().put("type", "json_schema");
        ObjectNode schema = out.putObject("json_schema");
        schema.put("name", format.path("name").asText("response"));
        if (format.has("description")) schema.set("description", format.get("description"));
        if (format.has("schema")) schema.set("schema", format.get("schema"));
        if (format.has("strict")) schema.set("strict", format.get("strict"));
        return out;
      }
      default:
        return null;
    }
  }

  private static String required(JsonNode node, String field, String param) {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
      String top = param.contains("[") ? param.substring(0, param.indexOf('[')) : param;
      throw new CodecException("'" + param + "." + field + "' is required and must be a string", top);
    }
    return v.textValue();
  }

  /** Turns in order, consecutive items of one role merged (Anthropic requires alternating turns). */
  private static final class Turns {
    private final List<Message> done = new ArrayList<>();
    private Role role;
    private List<ContentBlock> blocks = new ArrayList<>();

    void add(Role r, List<ContentBlock> content) {
      if (role != null && role != r) flush();
      role = r;
      blocks.addAll(content);
    }

    private void flush() {
      if (role != null && !blocks.isEmpty()) done.add(new Message(role, blocks));
      blocks = new ArrayList<>();
    }

    List<Message> done() {
      flush();
      return done;
    }
  }
}
