package dev.ossaat.orchestrator.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.SseEventSplitter;
import dev.ossaat.orchestrator.codec.openai.OpenAiUsage;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.StreamDialect;
import dev.ossaat.orchestrator.provider.StreamSink;
import io.vertx.core.buffer.Buffer;

/**
 * OpenAI's stream: {@code data: [DONE]} ends it, usage comes in a chunk of its own (we always ask
 * for it, and drop it again when the client did not), an {@code error} object instead of a chunk is
 * a failure. Ordinary chunks are recognised from their bytes and never parsed; the {@code "usage": null}
 * that OpenAI then adds to every chunk is spliced out for a client that did not ask for usage.
 */
public final class OpenAiStreamDialect implements StreamDialect {
  private final String provider;
  private final boolean clientWantsUsage;
  private ProviderException error;
  private Buffer replacement;

  /** @param clientWantsUsage whether the client gets the usage chunk (we always ask for it) */
  public OpenAiStreamDialect(String provider, boolean clientWantsUsage) {
    this.provider = provider;
    this.clientWantsUsage = clientWantsUsage;
  }

  @Override
  public Action inspect(Buffer event, StreamSink usageSink) {
    switch (SseEventSplitter.classify(event)) {
      case PLAIN, COMMENT:
        return Action.FORWARD; // a comment or keep-alive is harmless, and keeps proxies open
      case NULL_USAGE:
        if (clientWantsUsage) return Action.FORWARD;
        // We asked for usage, the client did not: it gets the chunk as if we had not.
        replacement = SseEventSplitter.withoutNullUsage(event);
        return Action.REPLACE;
      case DONE:
        return Action.END;
      default:
        return notable(event, usageSink);
    }
  }

  @Override
  public Buffer replacement() {
    return replacement;
  }

  /** An event that may carry usage or an error: decoded and looked at. */
  private Action notable(Buffer event, StreamSink usageSink) {
    String data = SseEventSplitter.data(event);
    if (data.equals("[DONE]")) return Action.END;
    JsonNode json;
    try {
      json = Json.parseObject(data);
    } catch (RuntimeException e) {
      return Action.FORWARD; // unparseable: it still goes to the client, and usage will be estimated
    }
    // OpenAI's in-stream error has no choices; OpenRouter's keeps the chunk's shape, with
    // finish_reason "error" (a mid-stream failure of its upstream, after a 200).
    if (json.has("error") && (!json.has("choices") || "error".equals(json.path("choices").path(0).path("finish_reason").asText(null)))) {
      JsonNode e = json.get("error");
      String message = e.path("message").isTextual() ? ": " + e.get("message").textValue() : "";
      error = ProviderException.of(provider, ErrorType.STREAM_CUT, "stream from " + provider + " reported an error" + message);
      return Action.FAIL;
    }
    Usage usage = OpenAiUsage.read(json.get("usage"));
    if (usage != null) {
      usageSink.usage(usage);
      boolean usageOnly = json.path("choices").isArray() && json.path("choices").isEmpty();
      if (usageOnly && !clientWantsUsage) return Action.DROP; // we asked for it, the client did not
      if (!clientWantsUsage && json instanceof com.fasterxml.jackson.databind.node.ObjectNode chunk) {
        // Usage on a content chunk, unasked (Mistral's finish chunk): counted, then left out as OpenAI would.
        chunk.remove("usage");
        replacement = Buffer.buffer("data: ").appendBuffer(Json.buffer(chunk)).appendString("\n\n");
        return Action.REPLACE;
      }
    }
    return Action.FORWARD;
  }

  @Override
  public ProviderException error() {
    return error;
  }

  @Override
  public boolean commits(Buffer event) {
    return SseEventSplitter.classify(event) != SseEventSplitter.Kind.COMMENT;
  }
}
