package dev.ossaat.orchestrator.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.exchange.ChatRequest;
import dev.ossaat.orchestrator.exchange.ChatResponse;
import dev.ossaat.orchestrator.exchange.Usage;
import dev.ossaat.orchestrator.exchange.WireFormat;
import io.vertx.core.buffer.Buffer;

/**
 * One wire format, both ways. Ingress (the client's side): decode its requests, encode answers,
 * stream events and errors back. Egress (a provider's side): encode requests for it, decode its
 * answers and streams. A pair of codecs translates between any two formats through the neutral
 * model; a same-format hop uses none of this and passes bytes through.
 */
public interface ChatCodec {
  WireFormat format();

  // ----------------------------------------------------------------- ingress

  /** @throws CodecException naming the field at fault */
  ChatRequest decodeRequest(ObjectNode body);

  Buffer encodeResponse(ChatResponse response);

  StreamEncoder streamEncoder(StreamOptions options);

  Buffer encodeError(ApiError error);

  /** The SSE event that ends a stream which broke after it started: never a clean end. */
  Buffer encodeStreamError(ApiError error);

  /** What a clean stream ends with after its last event ({@code data: [DONE]} for OpenAI; nothing for Anthropic). */
  Buffer streamEnd();

  // ----------------------------------------------------------------- egress

  Buffer encodeRequest(ChatRequest request, EgressOptions options);

  /** @throws CodecException when the answer is not of this format */
  ChatResponse decodeResponse(Buffer body);

  StreamDecoder streamDecoder();

  /**
   * The usage of a whole answer, read without building the answer's tree (the pass-through path reads
   * nothing else); null when the answer reports none.
   */
  Usage usageOf(Buffer body);
}
