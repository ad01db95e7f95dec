package dev.ossaat.orchestrator.codec.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.ChatCodec;
import dev.ossaat.orchestrator.codec.EgressOptions;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.StreamDecoder;
import dev.ossaat.orchestrator.codec.StreamEncoder;
import dev.ossaat.orchestrator.codec.StreamOptions;
import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.exchange.ChatRequest;
import dev.ossaat.orchestrator.exchange.ChatResponse;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.exchange.WireFormat;
import io.vertx.core.buffer.Buffer;

/** The OpenAI Chat Completions format, which OpenAI, Mistral, OpenRouter, vLLM and Ollama's /v1 speak. */
public final class OpenAiCodec implements ChatCodec {
  public static final OpenAiCodec INSTANCE = new OpenAiCodec();
  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");

  private OpenAiCodec() {}

  @Override
  public WireFormat format() {
    return WireFormat.OPENAI;
  }

  @Override
  public ChatRequest decodeRequest(ObjectNode body) {
    return OpenAiRequests.decode(body);
  }

  @Override
  public Buffer encodeResponse(ChatResponse response) {
    return OpenAiResponses.encode(response, System.currentTimeMillis() / 1000);
  }

  @Override
  public StreamEncoder streamEncoder(StreamOptions options) {
    return new OpenAiStreamEncoder(options);
  }

  @Override
  public Buffer encodeError(ApiError error) {
    return Json.buffer(errorJson(error));
  }

  /**
   * {@code event: error} as well as the {@code error} payload: the OpenAI SDKs raise on the payload,
   * and some clients (LangChain4j) treat a stream as failed only when the event is named so.
   */
  @Override
  public Buffer encodeStreamError(ApiError error) {
    return Buffer.buffer("event: error\n").appendBuffer(dev.ossaat.orchestrator.codec.Sse.data(errorJson(error)));
  }

  @Override
  public Buffer streamEnd() {
    return DONE;
  }

  @Override
  public Buffer encodeRequest(ChatRequest request, EgressOptions options) {
    return Json.buffer(OpenAiRequests.encode(request, options));
  }

  @Override
  public ChatResponse decodeResponse(Buffer body) {
    return OpenAiResponses.decode(body);
  }

  @Override
  public StreamDecoder streamDecoder() {
    return new OpenAiStreamDecoder();
  }

  @Override
  public Usage usageOf(Buffer body) {
    return OpenAiUsage.read(Json.topLevelField(body, "usage"));
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
