package dev.ossaat.orchestrator.provider.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.exchange.WireFormat;
import dev.ossaat.orchestrator.provider.Completion;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.ProviderException;
import dev.ossaat.orchestrator.provider.UpstreamErrors;
import dev.ossaat.orchestrator.secrets.Redactor;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * The error classes of an OpenAI-compatible service where its statuses mean something else than
 * OpenAI's. OpenRouter (its API reference, "Errors"): 402 is the account or key out of credits (no
 * other request will do better until someone pays: another provider may serve it, so it is
 * {@code auth}, unless a Retry-After says it is the in-flight spending budget, a rate limit); 403 with
 * moderation metadata ({@code reasons}, {@code flagged_input}) is the input flagged, the request's
 * fault; 503 is no upstream able to serve it now, an overload. Errors after OpenRouter started the
 * answer come with a 200: {@link #failureIn} finds them in a whole body (the stream's are the dialect's).
 * Mistral's statuses mean what OpenAI's do; only its 422 body has its own shape (read by UpstreamErrors).
 */
final class FlavorErrors implements UpstreamErrors.Classifier {
  private final OpenAiFlavor flavor;

  FlavorErrors(OpenAiFlavor flavor) {
    this.flavor = flavor;
  }

  @Override
  public UpstreamErrors.Classification classify(int status, MultiMap headers, Buffer body) {
    ErrorType byStatus = ErrorType.ofStatus(status);
    ErrorType type = type(status, headers, body, byStatus);
    return type == byStatus ? null : new UpstreamErrors.Classification(type, null);
  }

  private ErrorType type(int status, MultiMap headers, Buffer body, ErrorType byStatus) {
    if (flavor != OpenAiFlavor.OPENROUTER) return byStatus;
    switch (status) {
      case 402:
        return headers != null && headers.contains("retry-after") ? ErrorType.RATE_LIMIT : ErrorType.AUTH;
      case 403:
        JsonNode metadata = error(body).path("metadata");
        return metadata.has("reasons") || metadata.has("flagged_input") ? ErrorType.BAD_REQUEST : byStatus;
      case 503:
        return ErrorType.PROVIDER_OVERLOADED;
      default:
        return byStatus;
    }
  }

  /**
   * The answer, or the failure a 200 body reports instead of one ({@code {"error":{"code":502,...}}}
   * and no choices): OpenRouter's way of saying the upstream failed after it had accepted the request.
   */
  Future<Completion> failureIn(Completion completion, String provider, Redactor redactor) {
    if (flavor != OpenAiFlavor.OPENROUTER || completion.body() == null || completion.body().length() > 65536) {
      return Future.succeededFuture(completion);
    }
    JsonNode error = Json.topLevelField(completion.body(), "error");
    if (error == null || !error.isObject() || Json.topLevelField(completion.body(), "choices") != null) {
      return Future.succeededFuture(completion);
    }
    int code = error.path("code").asInt(0);
    ErrorType type = code >= 400 && code <= 599 ? type(code, null, completion.body(), ErrorType.ofStatus(code))
        : ErrorType.SERVER_ERROR;
    if (type == ErrorType.BAD_REQUEST || type == ErrorType.NOT_FOUND) type = ErrorType.SERVER_ERROR; // the request was accepted
    String message = provider + " answered 200 with an error" + (error.path("message").isTextual()
        ? ": " + error.get("message").textValue() : "");
    return Future.failedFuture(new ProviderException(provider, type, 200, redactor.redact(message), null,
        WireFormat.OPENAI, null));
  }

  private static JsonNode error(Buffer body) {
    if (body == null || body.length() == 0 || body.length() > 65536) return Json.object();
    try {
      JsonNode e = Json.topLevelField(body, "error");
      return e == null ? Json.object() : e;
    } catch (RuntimeException e) {
      return Json.object();
    }
  }
}
