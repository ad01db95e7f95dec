package dev.ossaat.orchestrator.codec.gemini;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.EgressOnlyCodec;
import dev.ossaat.orchestrator.codec.EgressOptions;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.StreamDecoder;
import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.exchange.ChatRequest;
import dev.ossaat.orchestrator.exchange.ChatResponse;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.exchange.WireFormat;
import io.vertx.core.buffer.Buffer;

/**
 * Google's Gemini API ({@code generateContent}), as a provider's format only: orchestrator has no
 * Gemini front door, so the ingress half (decoding a Gemini client's request, encoding answers and
 * streams for one) is not implemented and says so; errors are rendered in Google's shape
 * ({@code {"error":{"code","message","status"}}}) for completeness.
 */
public final class GeminiCodec extends EgressOnlyCodec {
  public static final GeminiCodec INSTANCE = new GeminiCodec();

  private GeminiCodec() {}

  @Override
  public WireFormat format() {
    return WireFormat.GEMINI;
  }

  @Override
  public Buffer encodeRequest(ChatRequest request, EgressOptions options) {
    return Json.buffer(GeminiRequests.encode(request));
  }

  @Override
  public ChatResponse decodeResponse(Buffer body) {
    return GeminiResponses.decode(body);
  }

  @Override
  public StreamDecoder streamDecoder() {
    return new GeminiStreamDecoder();
  }

  @Override
  public Usage usageOf(Buffer body) {
    return GeminiUsage.read(Json.topLevelField(body, "usageMetadata"));
  }

  private static ObjectNode errorJson(ApiError e) {
    ObjectNode root = Json.object();
    root.putObject("error").put("code", e.status()).put("message", e.message()).put("status", status(e.status()));
    return root;
  }

  /** Google's canonical status names for an HTTP status. */
  static String status(int http) {
    return switch (http) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 503 -> "UNAVAILABLE";
      case 504 -> "DEADLINE_EXCEEDED";
      default -> http >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
    };
  }
}
