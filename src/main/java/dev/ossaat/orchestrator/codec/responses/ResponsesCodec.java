package dev.ossaat.orchestrator.codec.responses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.ChatCodec;
import dev.ossaat.orchestrator.codec.CodecException;
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

/**
 * The OpenAI Responses API ({@code POST /v1/responses}): the third front door. Ingress: input items
 * to the neutral request, neutral answers and stream events to response objects and typed events,
 * errors in OpenAI's {@code {"error":{...}}} shape. Egress is for an OpenAI provider that speaks
 * Responses natively ({@code responsesApi: true}): a Responses client's body is then passed through,
 * so this side only reads answers and streams (usage, estimates); it never writes a provider request.
 */
public final class ResponsesCodec implements ChatCodec {
  public static final ResponsesCodec INSTANCE = new ResponsesCodec();
  private static final Buffer NOTHING = Buffer.buffer();

  private ResponsesCodec() {}

  @Override
  public WireFormat format() {
    return WireFormat.RESPONSES;
  }

  @Override
  public ChatRequest decodeRequest(ObjectNode body) {
    return ResponsesRequests.decode(body);
  }

  @Override
  public Buffer encodeResponse(ChatResponse response) {
    return ResponsesAnswers.encode(response, System.currentTimeMillis() / 1000);
  }

  @Override
  public StreamEncoder streamEncoder(StreamOptions options) {
    return new ResponsesStreamEncoder(options);
  }

  @Override
  public Buffer encodeError(ApiError error) {
    return Json.buffer(errorJson(error));
  }

  /**
   * The Responses {@code error} event ({@code type}, {@code code}, {@code message}, {@code param}),
   * with OpenAI's {@code error} object beside them: the OpenAI SDKs raise on a stream event whose data
   * has an {@code error} field, so a broken stream is never mistaken for a clean one.
   */
  @Override
  public Buffer encodeStreamError(ApiError error) {
    ObjectNode e = Json.object().put("type", "error").put("code", error.code()).put("message", error.message());
    e.putNull("param");
    e.set("error", errorJson(error).get("error"));
    return Sse.event("error", e);
  }

  /** A Responses stream ends with its last typed event; there is no end marker. */
  @Override
  public Buffer streamEnd() {
    return NOTHING;
  }

  @Override
  public Buffer encodeRequest(ChatRequest request, EgressOptions options) {
    throw new CodecException("orchestrator sends Responses requests only as a Responses client's pass-through");
  }

  @Override
  public ChatResponse decodeResponse(Buffer body) {
    return ResponsesAnswers.decode(body);
  }

  @Override
  public StreamDecoder streamDecoder() {
    return new ResponsesStreamDecoder();
  }

  @Override
  public Usage usageOf(Buffer body) {
    return ResponsesUsage.read(Json.topLevelField(body, "usage"));
  }

  static ObjectNode errorJson(ApiError e) {
    ObjectNode root = Json.object();
    ObjectNode error = root.putObject("error");
    error.put("message", e.message());
    error.put("type", e.type());
    if (e.param() == null) error.putNull("param"); else error.put("param", e.param());
    if (e.code() == null) error.putNull("code"); else error.put("code", e.code());
    return root;
  }
}
