package dev.ossaat.orchestrator.codec.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.CodecException;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.exchange.ContentBlock;
import dev.ossaat.orchestrator.exchange.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Converse content blocks: {@code text}, {@code image} (bytes with a format), {@code toolUse},
 * {@code toolResult}, {@code reasoningContent}, and {@code cachePoint} after a block the client marked
 * for caching (Anthropic's {@code cache_control}, which Bedrock spells as a separate block).
 */
final class BedrockBlocks {
  private static final ObjectNode CACHE_POINT = (ObjectNode) Json.object().set("cachePoint", Json.object().put("type", "default"));

  private BedrockBlocks() {}

  /** Writes the blocks; a block with no Converse form is dropped (never invented). */
  static void write(List<ContentBlock> blocks, ArrayNode out) {
    for (ContentBlock b : blocks) {
      ObjectNode node = writeBlock(b);
      if (node == null) continue;
      out.add(node);
      if (cacheControl(b) != null) out.add(CACHE_POINT.deepCopy());
    }
  }

  static ObjectNode writeBlock(ContentBlock b) {
    if (b instanceof ContentBlock.Text t) {
      return t.text().isEmpty() ? null : Json.object().put("text", t.text());
    }
    if (b instanceof ContentBlock.Image img) return image(img);
    if (b instanceof ContentBlock.ToolCall c) {
      ObjectNode use = Json.object().put("toolUseId", c.id()).put("name", c.name());
      use.set("input", arguments(c.argumentsJson()));
      return (ObjectNode) Json.object().set("toolUse", use);
    }
    if (b instanceof ContentBlock.ToolResult r) {
      ObjectNode result = Json.object().put("toolUseId", r.toolCallId());
      ArrayNode content = result.putArray("content");
      for (ContentBlock part : r.content()) {
        if (part instanceof ContentBlock.Text t) content.addObject().put("text", t.text());
        else if (part instanceof ContentBlock.Image img) content.add(image(img));
      }
      if (content.isEmpty()) content.addObject().put("text", "");
      if (r.isError()) result.put("status", "error");
      return (ObjectNode) Json.object().set("toolResult", result);
    }
    if (b instanceof ContentBlock.Reasoning r) {
      // Only signed reasoning can go back (the model verifies it); unsigned text has no Converse form.
      if (r.signature() == null || r.signature().isEmpty()) return null;
      ObjectNode text = Json.object().put("text", r.text()).put("signature", r.signature());
      return (ObjectNode) Json.object().set("reasoningContent", Json.object().set("reasoningText", text));
    }
    if (b instanceof ContentBlock.RedactedReasoning r) {
      return (ObjectNode) Json.object().set("reasoningContent", Json.object().put("redactedContent", r.data()));
    }
    if (b instanceof ContentBlock.Opaque o && o.origin() == WireFormat.BEDROCK && o.raw().isObject()) {
      return (ObjectNode) o.raw().deepCopy();
    }
    return null;
  }

  /** Converse takes image bytes (base64 in JSON) and a format; it cannot fetch a URL. */
  private static ObjectNode image(ContentBlock.Image img) {
    if (img.data() == null) {
      throw new CodecException("Bedrock accepts images as inline data only (a data: URL or base64), not by URL: "
          + shortUrl(img.url()), "messages");
    }
    String media = img.mediaType() == null ? "" : img.mediaType().toLowerCase(Locale.ROOT);
    String format = switch (media) {
      case "image/png" -> "png";
      case "image/jpeg", "image/jpg" -> "jpeg";
      case "image/gif" -> "gif";
      case "image/webp" -> "webp";
      default -> throw new CodecException("Bedrock accepts png, jpeg, gif and webp images, not '" + media + "'", "messages");
    };
    ObjectNode image = Json.object().put("format", format);
    image.putObject("source").put("bytes", img.data());
    return (ObjectNode) Json.object().set("image", image);
  }

  private static String shortUrl(String url) {
    if (url == null) return "(none)";
    return url.length() > 80 ? url.substring(0, 80) + "..." : url;
  }

  /** A tool call's input must be a JSON object in Converse; unparseable arguments travel as a string field. */
  private static JsonNode arguments(String json) {
    if (json == null || json.isBlank()) return Json.object();
    try {
      JsonNode node = Json.MAPPER.readTree(json);
      if (node != null && node.isObject()) return node;
    } catch (java.io.IOException | RuntimeException e) {
      // fall through
    }
    return Json.object().put("input", json);
  }

  private static com.fasterxml.jackson.databind.JsonNode cacheControl(ContentBlock b) {
    if (b instanceof ContentBlock.Text t) return t.cacheControl();
    if (b instanceof ContentBlock.Image i) return i.cacheControl();
    if (b instanceof ContentBlock.ToolCall c) return c.cacheControl();
    if (b instanceof ContentBlock.ToolResult r) return r.cacheControl();
    return null;
  }

  /** The blocks of an answer. */
  static List<ContentBlock> read(JsonNode content) {
    List<ContentBlock> out = new ArrayList<>();
    for (JsonNode block : content) {
      if (block.has("text")) {
        out.add(new ContentBlock.Text(block.path("text").asText("")));
      } else if (block.has("toolUse")) {
        JsonNode use = block.get("toolUse");
        JsonNode input = use.path("input");
        out.add(new ContentBlock.ToolCall(use.path("toolUseId").asText(""), use.path("name").asText(""),
            input.isMissingNode() || input.isNull() ? "{}" : Json.buffer(input).toString(), null));
      } else if (block.has("reasoningContent")) {
        JsonNode r = block.get("reasoningContent");
        if (r.has("redactedContent")) {
          out.add(new ContentBlock.RedactedReasoning(r.path("redactedContent").asText("")));
        } else {
          JsonNode text = r.path("reasoningText");
          out.add(new ContentBlock.Reasoning(text.path("text").asText(""),
              text.path("signature").isTextual() ? text.get("signature").textValue() : null));
        }
      } else {
        out.add(new ContentBlock.Opaque(WireFormat.BEDROCK, block));
      }
    }
    return out;
  }
}
