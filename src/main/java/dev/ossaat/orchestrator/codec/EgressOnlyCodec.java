package dev.ossaat.orchestrator.codec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ossaat.orchestrator.exchange.ApiError;
import dev.ossaat.orchestrator.exchange.ChatRequest;
import dev.ossaat.orchestrator.exchange.ChatResponse;
import io.vertx.core.buffer.Buffer;

/**
 * A wire format orchestrator speaks to providers only (Gemini, Bedrock, Ollama): no client speaks it to
 * orchestrator, so no route ever asks for the ingress half, and reaching it is a bug of ours.
 */
public abstract class EgressOnlyCodec implements ChatCodec {
  private UnsupportedOperationException ingress() {
    return new UnsupportedOperationException("orchestrator has no " + format().label() + "-format front door");
  }

  @Override
  public final ChatRequest decodeRequest(ObjectNode body) {
    throw ingress();
  }

  @Override
  public final Buffer encodeResponse(ChatResponse response) {
    throw ingress();
  }

  @Override
  public final StreamEncoder streamEncoder(StreamOptions options) {
    throw ingress();
  }

  @Override
  public final Buffer encodeError(ApiError error) {
    throw ingress();
  }

  @Override
  public final Buffer encodeStreamError(ApiError error) {
    throw ingress();
  }

  @Override
  public final Buffer streamEnd() {
    throw ingress();
  }
}
