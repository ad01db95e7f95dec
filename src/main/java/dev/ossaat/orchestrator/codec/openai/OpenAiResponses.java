package dev.ossaat.orchestrator.codec.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.CodecException;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.exchange.ChatResponse;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;

/** Whole chat completions to and from the neutral model (the first choice: orchestrator asks for one). */
final class OpenAiResponses {
  private OpenAiResponses() {}

  static ChatResponse decode(Buffer body) {
    ObjectNode root = Json.parseObject(body);
    JsonNode choice = root.path("choices").path(0);
    if (!choice.isObject()) throw new CodecException("a chat completion without choices");
    JsonNode message = choice.path("message");
    List<ContentBlock> content = new ArrayList<>();
    if (message.path("reasoning_content").isTextual() && !message.get("reasoning_content").textValue().isEmpty()) {
      content.add(new ContentBlock.Reasoning(message.get("reasoning_content").textValue(), null));
    }
    if (message.path("content").isTextual()) content.add(new ContentBlock.Text(message.get("content").textValue()));
    if (message.path("refusal").isTextual()) content.add(new ContentBlock.Text(message.get("refusal").textValue()));
    for (JsonNode call : message.path("tool_calls")) {
      JsonNode fn = call.path("function");
      content.add(new ContentBlock.ToolCall(call.path("id").asText(""), fn.path("name").asText(""),
          fn.path("arguments").asText("{}"), null));
    }
    return new ChatResponse(root.path("id").asText(""), root.path("model").asText(""), content,
        OpenAiStops.read(choice.path("finish_reason").isTextual() ? choice.get("finish_reason").textValue() : null), null,
        OpenAiUsage.read(root.get("usage")));
  }

  static Buffer encode(ChatResponse r, long created) {
    ObjectNode root = Json.object()
        .put("id", r.id().startsWith("chatcmpl") ? r.id() : "chatcmpl-" + r.id())
        .put("object", "chat.completion")
        .put("created", created)
        .put("model", r.model());
    ArrayNode choices = root.putArray("choices");
    ObjectNode choice = choices.addObject().put("index", 0);
    ObjectNode message = choice.putObject("message").put("role", "assistant");
    StringBuilder text = new StringBuilder();
    StringBuilder reasoning = new StringBuilder();
    ArrayNode calls = null;
    for (ContentBlock b : r.content()) {
      if (b instanceof ContentBlock.Text t) {
        text.append(t.text());
      } else if (b instanceof ContentBlock.Reasoning rs) {
        reasoning.append(rs.text());
      } else if (b instanceof ContentBlock.ToolCall call) {
        if (calls == null) calls = Json.array();
        calls.addObject().put("id", call.id()).put("type", "function")
            .putObject("function").put("name", call.name()).put("arguments", call.argumentsJson());
      }
    }
    if (text.length() > 0 || calls == null) {
      message.put("content", text.toString());
    } else {
      message.putNull("content");
    }
    if (reasoning.length() > 0) message.put("reasoning_content", reasoning.toString());
    if (calls != null) message.set("tool_calls", calls);
    choice.putNull("logprobs");
    choice.put("finish_reason", OpenAiStops.write(r.stop()));
    if (r.usage() != null) root.set("usage", OpenAiUsage.write(r.usage()));
    return Json.buffer(root);
  }
}
