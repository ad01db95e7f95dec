package dev.ossaat.orchestrator.provider.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.SseEventSplitter;
import dev.ossaat.orchestrator.codec.ollama.OllamaCodec;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.StreamDialect;
import dev.ossaat.orchestrator.provider.StreamSink;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Ollama's NDJSON stream: the chunk with {@code "done": true} is the last (its counts are the usage);
 * a line {@code {"error": ...}} is an in-stream failure. Only those two are parsed; the others are told
 * apart by their bytes. Every chunk but an error commits.
 */
final class OllamaStreamDialect implements StreamDialect {
  private final String provider;
  private ProviderException error;

  OllamaStreamDialect(String provider) {
    this.provider = provider;
  }

  @Override
  public Action inspect(Buffer event, StreamSink usageSink) {
    String text = event.toString(StandardCharsets.UTF_8);
    if (text.contains("\"error\"")) {
      JsonNode json = parse(event);
      if (json != null && json.path("error").isTextual()) {
        error = ProviderException.of(provider, ErrorType.STREAM_CUT, "stream from " + provider + " reported: " + json.get("error").textValue());
        return Action.FAIL;
      }
    }
    if (text.contains("\"done\":true") || text.contains("\"done\": true")) {
      JsonNode json = parse(event);
      if (json != null && json.path("done").asBoolean(false)) {
        Usage usage = OllamaCodec.usage(json);
        if (usage != null) usageSink.usage(usage);
        return Action.FORWARD_AND_END;
      }
    }
    return Action.FORWARD;
  }

  private static JsonNode parse(Buffer event) {
    try {
      return Json.parseObject(SseEventSplitter.data(event));
    } catch (RuntimeException e) {
      return null;
    }
  }

  @Override
  public ProviderException error() {
    return error;
  }

  @Override
  public boolean commits(Buffer event) {
    return !event.toString(StandardCharsets.UTF_8).contains("\"error\"");
  }
}
