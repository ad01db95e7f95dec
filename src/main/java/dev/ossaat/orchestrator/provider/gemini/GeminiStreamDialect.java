package dev.ossaat.orchestrator.provider.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.SseEventSplitter;
import dev.ossaat.orchestrator.codec.gemini.GeminiErrors;
import dev.ossaat.orchestrator.codec.gemini.GeminiUsage;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.StreamDialect;
import dev.ossaat.orchestrator.provider.StreamSink;
import io.vertx.core.buffer.Buffer;

/**
 * Gemini's SSE stream: every {@code data:} event is a whole {@code GenerateContentResponse}, there is
 * no end marker, and the body simply ends after the chunk with the finish reason (or the prompt's
 * block reason). So the end of the body is clean only once that chunk was seen; before it, the stream
 * was cut. {@code usageMetadata} may come in several chunks, each with the counts so far: the latest
 * non-zero counts win. An {@code error} object instead of a response is a failure.
 */
final class GeminiStreamDialect implements StreamDialect {
  private final String provider;
  private Usage usage;
  private boolean finished;
  private ProviderException error;

  GeminiStreamDialect(String provider) {
    this.provider = provider;
  }

  @Override
  public Action inspect(Buffer event, StreamSink usageSink) {
    String data = SseEventSplitter.data(event);
    if (data == null || data.isEmpty()) return Action.FORWARD;
    JsonNode chunk;
    try {
      chunk = Json.parseObject(data);
    } catch (RuntimeException unreadable) {
      return Action.FORWARD; // the decoder will say it cannot read it, and the stream ends as cut
    }
    if (chunk.has("error") && !chunk.has("candidates")) {
      error = failure(chunk.get("error"));
      return Action.FAIL;
    }
    Usage reported = GeminiUsage.read(chunk.get("usageMetadata"));
    if (reported != null) {
      usage = usage == null ? reported : usage.merge(reported);
      usageSink.usage(usage);
    }
    if (chunk.path("candidates").path(0).hasNonNull("finishReason") || chunk.path("promptFeedback").has("blockReason")) {
      finished = true;
    }
    return Action.FORWARD;
  }

  private ProviderException failure(JsonNode e) {
    GeminiErrors.Detail d = GeminiErrors.read(e);
    String status = d.status() == null ? "an error" : d.status();
    ErrorType type = switch (status) {
      case "RESOURCE_EXHAUSTED" -> ErrorType.RATE_LIMIT;
      case "UNAVAILABLE" -> ErrorType.PROVIDER_OVERLOADED;
      default -> ErrorType.STREAM_CUT;
    };
    return ProviderException.of(provider, type, "stream from " + provider + " reported " + status
        + (d.message() == null ? "" : ": " + d.message()));
  }

  @Override
  public ProviderException error() {
    return error;
  }

  @Override
  public boolean commits(Buffer event) {
    return SseEventSplitter.classify(event) != SseEventSplitter.Kind.COMMENT;
  }

  @Override
  public boolean endsCleanlyAtBodyEnd() {
    return finished;
  }
}
