package dev.ossaat.orchestrator.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens when a provider reports no usage (a stream cut short, a client that went away, a
 * provider that ignores {@code include_usage}). Estimates only: billing uses the provider's numbers
 * whenever there are any. jtokkit's own model table is stale (it maps gpt-4.1 to cl100k_base), so
 * the model-to-encoding choice is ours.
 */
public final class TokenEstimator {
  /** OpenAI's per-message framing overhead in the chat format. */
  private static final int TOKENS_PER_MESSAGE = 3;
  private static final int TOKENS_PER_REPLY = 3;

  private final Encoding o200k = Tables.O200K;
  private final Encoding cl100k = Tables.CL100K;

  /**
   * The BPE tables, loaded once per process (they are immutable and take a few hundred ms to read):
   * the first {@code new TokenEstimator()} pays, at start, off any event loop.
   */
  private static final class Tables {
    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();
    static final Encoding O200K = REGISTRY.getEncoding(EncodingType.O200K_BASE);
    static final Encoding CL100K = REGISTRY.getEncoding(EncodingType.CL100K_BASE);

    static {
      // Encode once now, so whatever the library still defers happens here, not on an event loop
      // (a first estimate there blocked a loop for seconds).
      O200K.countTokensOrdinary("warm up");
      CL100K.countTokensOrdinary("warm up");
    }
  }

  Encoding encodingFor(String model) {
    String m = model == null ? "" : model.toLowerCase(java.util.Locale.ROOT);
    int slash = m.lastIndexOf('/');
    if (slash >= 0) m = m.substring(slash + 1); // openrouter-style "openai/gpt-4o"
    boolean o200 = m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5")
        || m.startsWith("gpt-5") || m.startsWith("o1") || m.startsWith("o3") || m.startsWith("o4")
        || m.startsWith("chatgpt-4o");
    return o200 ? o200k : cl100k;
  }

  /**
   * Texts longer than this are estimated at four characters per token instead of being tokenized:
   * estimates run on the event loop, and a multi-megabyte prompt would hold it for hundreds of ms.
   */
  static final int EXACT_LIMIT = 32 * 1024;

  public long countText(String model, CharSequence text) {
    if (text == null || text.length() == 0) return 0;
    return count(encodingFor(model), text.toString());
  }

  private static long count(Encoding enc, String text) {
    return text.length() > EXACT_LIMIT ? (text.length() + 3) / 4 : enc.countTokensOrdinary(text);
  }

  /**
   * Prompt tokens of a chat request body, OpenAI's or Anthropic's: every message's text (string
   * content or text parts), Anthropic's top-level {@code system}, plus the chat framing.
   */
  public long countPrompt(String model, JsonNode body) {
    JsonNode messages = body.path("messages");
    if (!messages.isArray()) {
      JsonNode input = body.path("input");
      boolean items = input.isArray() && !input.isEmpty() && input.get(0).isObject();
      if (items || body.path("instructions").isTextual()) return countResponsesInput(model, body);
      return countInput(model, input);
    }
    Encoding enc = encodingFor(model);
    long total = TOKENS_PER_REPLY;
    JsonNode system = body.path("system");
    if (system.isTextual()) {
      total += TOKENS_PER_MESSAGE + count(enc, system.textValue());
    } else if (system.isArray()) {
      total += TOKENS_PER_MESSAGE;
      for (JsonNode part : system) {
        if (part.path("text").isTextual()) total += count(enc, part.path("text").textValue());
      }
    }
    for (JsonNode message : messages) {
      total += TOKENS_PER_MESSAGE;
      total += count(enc, message.path("role").asText(""));
      JsonNode content = message.path("content");
      if (content.isTextual()) {
        total += count(enc, content.textValue());
      } else if (content.isArray()) {
        for (JsonNode part : content) {
          if (part.path("text").isTextual()) total += count(enc, part.path("text").textValue());
        }
      }
    }
    return total;
  }

  /**
   * A Responses request: {@code instructions} and the input items (a string input is one message):
   * message texts, function call arguments and function call outputs.
   */
  private long countResponsesInput(String model, JsonNode body) {
    Encoding enc = encodingFor(model);
    long total = TOKENS_PER_REPLY;
    if (body.path("instructions").isTextual()) total += TOKENS_PER_MESSAGE + count(enc, body.path("instructions").textValue());
    JsonNode input = body.path("input");
    if (input.isTextual()) return total + TOKENS_PER_MESSAGE + count(enc, input.textValue());
    for (JsonNode item : input) {
      total += TOKENS_PER_MESSAGE;
      JsonNode content = item.path("content");
      if (content.isTextual()) {
        total += count(enc, content.textValue());
      } else if (content.isArray()) {
        for (JsonNode part : content) {
          if (part.path("text").isTextual()) total += count(enc, part.path("text").textValue());
        }
      }
      if (item.path("arguments").isTextual()) total += count(enc, item.path("arguments").textValue());
      if (item.path("output").isTextual()) total += count(enc, item.path("output").textValue());
    }
    return total;
  }

  /** Tokens of an embeddings {@code input}: a string or a list of strings. */
  public long countInput(String model, JsonNode input) {
    if (input.isTextual()) return countText(model, input.textValue());
    long total = 0;
    if (input.isArray()) {
      for (JsonNode item : input) if (item.isTextual()) total += countText(model, item.textValue());
    }
    return total;
  }
}
