package dev.ossaat.orchestrator.codec.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.ChatCodec;
import dev.ossaat.orchestrator.codec.EgressOptions;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.Sse;
import dev.ossaat.orchestrator.codec.StreamDecoder;
import dev.ossaat.orchestrator.codec.StreamEncoder;
import dev.ossaat.orchestrator.codec.StreamOptions;
import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.exchange.ChatRequest;
import dev.ossaat.orchestrator.exchange.ChatResponse;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.exchange.WireFormat;
import io.vertx.core.buffer.Buffer;

/** The Anthropic Messages format. */
public final class AnthropicCodec implements ChatCodec {
  public static final AnthropicCodec INSTANCE = new AnthropicCodec();

  private AnthropicCodec() {}

  @Override
  public WireFormat format() {
    return WireFormat.ANTHROPIC;
  }

  /** Checks what routing needs (model, max_tokens, messages) without building the neutral request. */
  public static void validate(ObjectNode body) {
    AnthropicRequests.validate(body);
  }

  @Override
  public ChatRequest decodeRequest(ObjectNode body) {
    return AnthropicRequests.decode(body);
  }

  @Override
  public Buffer encodeResponse(ChatResponse response) {
    return AnthropicResponses.encode(response);
  }

  @Override
  public StreamEncoder streamEncoder(StreamOptions options) {
    return new AnthropicStreamEncoder(options);
  }

  @Override
  public Buffer encodeError(ApiError error) {
    return Json.buffer(errorJson(error));
  }

  @Override
  public Buffer encodeStreamError(ApiError error) {
    return Sse.event("error", errorJson(error));
  }

  @Override
  public Buffer streamEnd() {
    return Buffer.buffer(); // message_stop is the last event
  }

  @Override
  public Buffer encodeRequest(ChatRequest request, EgressOptions options) {
    return Json.buffer(AnthropicRequests.encode(request, options));
  }

  @Override
  public ChatResponse decodeResponse(Buffer body) {
    return AnthropicResponses.decode(body);
  }

  @Override
  public StreamDecoder streamDecoder() {
    return new AnthropicStreamDecoder();
  }

  @Override
  public Usage usageOf(Buffer body) {
    return AnthropicUsage.read(Json.topLevelField(body, "usage"));
  }

  /** {@code {"type":"error","error":{"type","message"}}}, with Anthropic's error type for the status. */
  static ObjectNode errorJson(ApiError e) {
    ObjectNode root = Json.object().put("type", "error");
    root.putObject("error").put("type", errorType(e)).put("message", e.message());
    return root;
  }

  /** Anthropic's error types, which its SDKs map to exception classes. */
  public static String errorType(ApiError e) {
    return switch (e.status()) {
      case 400, 422 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 408, 504 -> "timeout_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 503, 529 -> "overloaded_error";
      default -> "api_error";
    };
  }
}
