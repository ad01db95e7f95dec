package dev.ossaat.orchestrator.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One piece of a message. The set is closed: every codec handles each kind, and what a format has
 * that others lack travels as {@link Opaque} so a same-format hop can restore it.
 *
 * <p>{@code cacheControl} is Anthropic's prompt-cache marker on a block, kept as sent (null when
 * absent); formats without one drop it.
 */
public sealed interface ContentBlock {
  /** The block kinds, as stream events name them. */
  enum Kind { TEXT, IMAGE, TOOL_CALL, TOOL_RESULT, REASONING, REDACTED_REASONING, OPAQUE }

  Kind kind();

  record Text(String text, JsonNode cacheControl) implements ContentBlock {
    public Text(String text) {
      this(text, null);
    }

    public Kind kind() {
      return Kind.TEXT;
    }
  }

  /**
   * An image, either inline ({@code data} base64 with its media type) or by {@code url}.
   *
   * @param detail OpenAI's detail hint, or null
   */
  record Image(String mediaType, String data, String url, String detail, JsonNode cacheControl) implements ContentBlock {
    public Kind kind() {
      return Kind.IMAGE;
    }
  }

  /** The model calls a tool; {@code argumentsJson} is the JSON text of its input object. */
  record ToolCall(String id, String name, String argumentsJson, JsonNode cacheControl) implements ContentBlock {
    public Kind kind() {
      return Kind.TOOL_CALL;
    }
  }

  /** The caller's answer to a tool call. */
  record ToolResult(String toolCallId, List<ContentBlock> content, boolean isError, JsonNode cacheControl)
      implements ContentBlock {
    public ToolResult {
      content = List.copyOf(content);
    }

    public Kind kind() {
      return Kind.TOOL_RESULT;
    }
  }

  /**
   * The model's visible reasoning ("thinking") with the signature that lets the provider verify it
   * when it is sent back in a later turn: both must travel intact.
   */
  record Reasoning(String text, String signature) implements ContentBlock {
    public Kind kind() {
      return Kind.REASONING;
    }
  }

  /** Reasoning the provider encrypted; only its opaque data goes back. */
  record RedactedReasoning(String data) implements ContentBlock {
    public Kind kind() {
      return Kind.REDACTED_REASONING;
    }
  }

  /** A block only {@code origin} understands (a document, a server tool result, ...), kept as sent. */
  record Opaque(WireFormat origin, JsonNode raw) implements ContentBlock {
    public Kind kind() {
      return Kind.OPAQUE;
    }
  }
}
