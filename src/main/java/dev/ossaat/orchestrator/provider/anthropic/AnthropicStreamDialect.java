package dev.ossaat.orchestrator.provider.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.Sse;
import dev.ossaat.orchestrator.codec.SseEventSplitter;
import dev.ossaat.orchestrator.codec.anthropic.AnthropicUsage;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.StreamDialect;
import dev.ossaat.orchestrator.provider.StreamSink;
import io.vertx.core.buffer.Buffer;

/**
 * Anthropic's stream, told apart by its {@code event:} lines. Usage comes in two parts, both counted:
 * input and cache tokens in {@code message_start}, output tokens in {@code message_delta} (merged
 * here, so the sink always holds the whole usage so far). {@code message_stop} is the end;
 * {@code error} a failure. The stream commits at its first content event: {@code message_start}
 * and {@code ping} alone are not an answer yet.
 */
final class AnthropicStreamDialect implements StreamDialect {
  private final String provider;
  private Usage usage;
  private ProviderException error;

  AnthropicStreamDialect(String provider) {
    this.provider = provider;
  }

  @Override
  public Action inspect(Buffer event, StreamSink usageSink) {
    String type = Sse.type(event);
    if (type == null) return Action.FORWARD;
    switch (type) {
      case "message_start":
        report(event, true, usageSink);
        return Action.FORWARD;
      case "message_delta":
        report(event, false, usageSink);
        return Action.FORWARD;
      case "message_stop":
        return Action.FORWARD_AND_END;
      case "error":
        error = failure(event);
        return Action.FAIL;
      default:
        return Action.FORWARD;
    }
  }

  /** Reads a usage part; an unreadable event is passed on, and its usage is left to the estimate. */
  private void report(Buffer event, boolean start, StreamSink usageSink) {
    JsonNode part;
    try {
      JsonNode json = Json.parseObject(SseEventSplitter.data(event));
      part = start ? json.path("message").get("usage") : json.get("usage");
    } catch (RuntimeException unreadable) {
      return;
    }
    Usage reported = AnthropicUsage.read(part);
    if (reported == null) return;
    // message_delta's usage repeats only what changed (output) or, in newer API versions, the
    // cumulative counts: laying the non-zero counts over the earlier ones is right for both.
    usage = usage == null ? reported : usage.merge(reported);
    usageSink.usage(usage);
  }

  private ProviderException failure(Buffer event) {
    JsonNode e;
    try {
      e = Json.parseObject(SseEventSplitter.data(event)).path("error");
    } catch (RuntimeException unreadable) {
      e = Json.object();
    }
    String kind = e.path("type").asText("api_error");
    String message = e.path("message").asText("");
    ErrorType type = switch (kind) {
      case "overloaded_error" -> ErrorType.PROVIDER_OVERLOADED;
      case "rate_limit_error" -> ErrorType.RATE_LIMIT;
      default -> ErrorType.STREAM_CUT;
    };
    return ProviderException.of(provider, type, "stream from " + provider + " reported " + kind
        + (message.isEmpty() ? "" : ": " + message));
  }

  @Override
  public ProviderException error() {
    return error;
  }

  @Override
  public boolean commits(Buffer event) {
    String type = Sse.type(event);
    return type != null && !type.equals("message_start") && !type.equals("ping") && !type.equals("error");
  }
}
