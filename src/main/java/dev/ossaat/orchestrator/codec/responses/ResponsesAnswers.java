package dev.ossaat.orchestrator.codec.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.CodecException;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.exchange.ChatResponse;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.StopReason;
import dev.ossaat.orchestrator.exchange.Usage;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Whole answers as response objects and back. Text becomes a {@code message} item of
 * {@code output_text} parts, a tool call a {@code function_call} item, reasoning a {@code reasoning}
 * item (its text as the summary, an Anthropic signature as {@code encrypted_content}). A truncated
 * answer is {@code status: incomplete} with {@code incomplete_details.reason} {@code max_output_tokens}
 * (or {@code content_filter}).
 */
public final class ResponsesAnswers {
  private ResponsesAnswers() {}

  /** The skeleton every response object starts from; the request's echo is added by the caller. */
  static ObjectNode skeleton(String id, long createdAt, String model, String status) {
    ObjectNode r = Json.object().put("id", id).put("object", "response").put("created_at", createdAt).put("status", status);
    r.putNull("error");
    r.putNull("incomplete_details");
    r.put("model", model);
    r.putArray("output");
    return r;
  }

  /** Sets status and incomplete_details from the stop reason. */
  static void finish(ObjectNode r, StopReason stop) {
    String incomplete = stop == StopReason.MAX_TOKENS ? "max_output_tokens" : stop == StopReason.CONTENT_FILTER ? "content_filter" : null;
    if (incomplete == null) {
      r.put("status", "completed");
    } else {
      r.put("status", "incomplete");
      r.putObject("incomplete_details").put("reason", incomplete);
    }
  }

  static Buffer encode(ChatResponse response, long createdAt) {
    ObjectNode r = skeleton(ResponseIds.response(), createdAt, response.model(), "completed");
    ArrayNode output = (ArrayNode) r.get("output");
    ObjectNode message = null;
    for (ContentBlock b : response.content()) {
      if (b instanceof ContentBlock.Text t) {
        if (message == null) {
          message = messageItem(ResponseIds.message(), "completed");
          output.add(message);
        }
        ((ArrayNode) message.get("content")).add(textPart(t.text()));
        continue;
      }
      message = null;
      if (b instanceof ContentBlock.ToolCall c) {
        output.add(functionCallItem(ResponseIds.functionCall(), c.id(), c.name(), c.argumentsJson(), "completed"));
      } else if (b instanceof ContentBlock.Reasoning rs) {
        output.add(reasoningItem(ResponseIds.reasoning(), rs.text(), rs.signature()));
      } // redacted reasoning and foreign blocks have no Responses form
    }
    finish(r, response.stop());
    if (response.usage() != null) r.set("usage", ResponsesUsage.write(response.usage()));
    return Json.buffer(r);
  }

  static ObjectNode messageItem(String id, String status) {
    ObjectNode item = Json.object().put("id", id).put("type", "message").put("status", status).put("role", "assistant");
    item.putArray("content");
    return item;
  }

  static ObjectNode textPart(String text) {
    ObjectNode part = Json.object().put("type", "output_text").put("text", text);
    part.putArray("annotations");
    part.putArray("logprobs");
    return part;
  }

  static ObjectNode functionCallItem(String id, String callId, String name, String arguments, String status) {
    return Json.object().put("id", id).put("type", "function_call").put("status", status).put("arguments", arguments)
        .put("call_id", callId).put("name", name);
  }

  static ObjectNode reasoningItem(String id, String text, String signature) {
    ObjectNode item = Json.object().put("id", id).put("type", "reasoning");
    ArrayNode summary = item.putArray("summary");
    if (text != null && !text.isEmpty()) summary.addObject().put("type", "summary_text").put("text", text);
    if (signature != null && !signature.isEmpty()) item.put("encrypted_content", signature);
    return item;
  }

  // ----------------------------------------------------------------- egress (a provider that speaks Responses)

  static ChatResponse decode(Buffer body) {
    ObjectNode r = Json.parseObject(body);
    if (!r.path("output").isArray()) throw new CodecException("a response object has an 'output' list");
    List<ContentBlock> content = new ArrayList<>();
    boolean toolCall = false;
    for (JsonNode item : r.get("output")) {
      switch (item.path("type").asText("")) {
        case "message" -> {
          for (JsonNode part : item.path("content")) {
            if (part.path("type").asText("").equals("output_text")) content.add(new ContentBlock.Text(part.path("text").asText("")));
          }
        }
        case "function_call" -> {
          toolCall = true;
          content.add(new ContentBlock.ToolCall(item.path("call_id").asText(""), item.path("name").asText(""),
              item.path("arguments").asText("{}"), null));
        }
        case "reasoning" -> {
          StringBuilder text = new StringBuilder();
          for (JsonNode s : item.path("summary")) text.append(s.path("text").asText(""));
          content.add(new ContentBlock.Reasoning(text.toString(),
              item.path("encrypted_content").isTextual() ? item.get("encrypted_content").textValue() : null));
        }
        default -> { } // built-in tool calls have no neutral form
      }
    }
    String reason = r.path("incomplete_details").path("reason").asText("");
    StopReason stop = reason.equals("max_output_tokens") ? StopReason.MAX_TOKENS
        : reason.equals("content_filter") ? StopReason.CONTENT_FILTER : toolCall ? StopReason.TOOL_USE : StopReason.END_TURN;
    Usage usage = ResponsesUsage.read(r.get("usage"));
    return new ChatResponse(r.path("id").asText(""), r.path("model").asText(""), content, stop, null, usage);
  }
}
