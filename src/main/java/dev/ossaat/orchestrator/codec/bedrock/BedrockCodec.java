package dev.ossaat.orchestrator.codec.bedrock;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.codec.EgressOnlyCodec;
import dev.ossaat.orchestrator.codec.EgressOptions;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.codec.StreamDecoder;
import dev.ossaat.orchestrator.exchange.ChatRequest;
import dev.ossaat.orchestrator.exchange.ChatResponse;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.exchange.WireFormat;
import io.vertx.core.buffer.Buffer;

/**
 * AWS Bedrock's Converse format, egress only: orchestrator speaks it to Bedrock, no client speaks it
 * to orchestrator (so the ingress half refuses). Streams arrive in AWS's binary event-stream framing
 * and reach this codec as SSE-shaped events ({@link BedrockStreamEvents}).
 */
public final class BedrockCodec extends EgressOnlyCodec {
  public static final BedrockCodec INSTANCE = new BedrockCodec();

  private BedrockCodec() {}

  @Override
  public WireFormat format() {
    return WireFormat.BEDROCK;
  }

  @Override
  public Buffer encodeRequest(ChatRequest request, EgressOptions options) {
    return Json.buffer(BedrockRequests.encode(request, options));
  }

  /** The request's body as a tree (the adapter may still add to it). */
  public ObjectNode encodeRequestTree(ChatRequest request, EgressOptions options) {
    return BedrockRequests.encode(request, options);
  }

  @Override
  public ChatResponse decodeResponse(Buffer body) {
    return BedrockResponses.decode(body);
  }

  @Override
  public StreamDecoder streamDecoder() {
    return new BedrockStreamDecoder();
  }

  @Override
  public Usage usageOf(Buffer body) {
    return BedrockUsage.read(Json.topLevelField(body, "usage"));
  }

}
