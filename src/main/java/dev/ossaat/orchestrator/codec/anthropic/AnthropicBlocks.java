package dev.ossaat.orchestrator.codec.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Anthropic content blocks to and from neutral blocks, the same in requests and answers. */
final class AnthropicBlocks {
  private AnthropicBlocks() {}

  /** A {@code content} that is a string or a list of blocks. */
  static List<ContentBlock> read(JsonNode content) {
    List<ContentBlock> out = new ArrayList<>();
    if (content == null || content.isNull()) return out;
    if (content.isTextual()) {
      out.add(new ContentBlock.Text(content.textValue()));
      return out;
    }
    for (JsonNode block : content) out.add(readBlock(block));
    return out;
  }

  static ContentBlock readBlock(JsonNode b) {
    JsonNode cache = Json.optional(b, "cache_control");
    switch (b.path("type").asText("")) {
      case "text":
        return new ContentBlock.Text(b.path("text").asText(""), cache);
      case "image": {
        JsonNode source = b.path("source");
        if ("url".equals(source.path("type").asText())) {
          return new ContentBlock.Image(null, null, source.path("url").asText(""), null, cache);
        }
        if ("base64".equals(source.path("type").asText())) {
          return new ContentBlock.Image(source.path("media_type").asText(""), source.path("data").asText(""), null, null, cache);
        }
        return new ContentBlock.Opaque(WireFormat.ANTHROPIC, b);
      }
      case "tool_use":
        return new ContentBlock.ToolCall(b.path("id").asText(""), b.path("name").asText(""),
            b.has("input") ? b.get("input").toString() : "{}", cache);
      case "tool_result":
        return new ContentBlock.ToolResult(b.path("tool_use_id").asText(""), read(b.get("content")),
            b.path("is_error").asBoolean(false), cache);
      case "thinking":
        return new ContentBlock.Reasoning(b.path("thinking").asText(""), b.path("signature").asText(null));
      case "redacted_thinking":
        return new ContentBlock.RedactedReasoning(b.path("data").asText(""));
      default:
        return new ContentBlock.Opaque(WireFormat.ANTHROPIC, b);
    }
  }

  /**
   * Writes blocks as Anthropic accepts them: empty text is left out (the API refuses it), and so is
   * reasoning without a signature (another format's reasoning cannot be verified by Anthropic).
   */
  static void write(List<ContentBlock> blocks, ArrayNode out) {
    for (ContentBlock b : blocks) {
      ObjectNode node = writeBlock(b);
      if (node != null) out.add(node);
    }
  }

  static ObjectNode writeBlock(ContentBlock b) {
    if (b instanceof ContentBlock.Text t) {
      if (t.text().isEmpty()) return null;
      ObjectNode n = Json.object().put("type", "text").put("text", t.text());
      Json.putIfNotNull(n, "cache_control", t.cacheControl());
      return n;
    }
    if (b instanceof ContentBlock.Image img) {
      ObjectNode n = Json.object().put("type", "image");
      ObjectNode source = n.putObject("source");
      if (img.url() != null) {
        source.put("type", "url").put("url", img.url());
      } else {
        source.put("type", "base64").put("media_type", img.mediaType()).put("data", img.data());
      }
      Json.putIfNotNull(n, "cache_control", img.cacheControl());
      return n;
    }
    if (b instanceof ContentBlock.ToolCall call) {
      ObjectNode n = Json.object().put("type", "tool_use").put("id", call.id()).put("name", call.name());
      n.set("input", arguments(call.argumentsJson()));
      Json.putIfNotNull(n, "cache_control", call.cacheControl());
      return n;
    }
    if (b instanceof ContentBlock.ToolResult result) {
      ObjectNode n = Json.object().put("type", "tool_result").put("tool_use_id", result.toolCallId());
      ArrayNode content = Json.array();
      write(result.content(), content);
      n.set("content", content);
      if (result.isError()) n.put("is_error", true);
      Json.putIfNotNull(n, "cache_control", result.cacheControl());
      return n;
    }
    if (b instanceof ContentBlock.Reasoning r) {
      if (r.signature() == null || r.signature().isEmpty()) return null;
      return Json.object().put("type", "thinking").put("thinking", r.text()).put("signature", r.signature());
    }
    if (b instanceof ContentBlock.RedactedReasoning r) {
      return Json.object().put("type", "redacted_thinking").put("data", r.data());
    }
    if (b instanceof ContentBlock.Opaque o && o.origin() == WireFormat.ANTHROPIC && o.raw() instanceof ObjectNode raw) {
      return raw;
    }
    return null; // another format's own block has no Anthropic form
  }

  /** A tool call's JSON arguments as the object Anthropic wants; unreadable arguments become {}. */
  static JsonNode arguments(String json) {
    if (json == null || json.isBlank()) return Json.object();
    try {
      JsonNode node = Json.MAPPER.readTree(json);
      return node != null && node.isObject() ? node : Json.object();
    } catch (IOException e) {
      return Json.object();
    }
  }
}
