package dev.ossaat.orchestrator.provider.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ossaat.orchestrator.codec.Json;
import dev.ossaat.orchestrator.provider.ErrorType;
import dev.ossaat.orchestrator.provider.UpstreamErrors;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Bedrock's error classes, by the name AWS gives them ({@code x-amzn-errortype}, else the body's
 * {@code __type}), not by status alone: a 429 is throttling or a model that is not ready yet, a 403
 * a refused credential or a bad signature. The same names arrive as stream exceptions.
 */
final class BedrockErrors {
  private BedrockErrors() {}

  /** The error class of an AWS error name, or null when it is not one Bedrock documents. */
  static ErrorType of(String name) {
    if (name == null) return null;
    switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "throttlingexception", "servicequotaexceededexception", "toomanyrequestsexception":
        return ErrorType.RATE_LIMIT;
      case "modelnotreadyexception", "serviceunavailableexception":
        return ErrorType.PROVIDER_OVERLOADED; // retried, then another provider: the model is warming up
      case "validationexception":
        return ErrorType.BAD_REQUEST;
      case "accessdeniedexception", "unrecognizedclientexception", "invalidsignatureexception",
          "expiredtokenexception", "incompletesignatureexception", "missingauthenticationtokenexception",
          "invalidclienttokenid", "signaturedoesnotmatch":
        return ErrorType.AUTH;
      case "resourcenotfoundexception":
        return ErrorType.NOT_FOUND;
      case "modeltimeoutexception":
        return ErrorType.TIMEOUT;
      case "internalserverexception", "modelerrorexception", "modelstreamerrorexception":
        return ErrorType.SERVER_ERROR;
      default:
        return null;
    }
  }

  /** {@link UpstreamErrors.Classifier} for Bedrock's HTTP error answers. */
  static UpstreamErrors.Classification classify(int status, MultiMap headers, Buffer body) {
    String name = name(headers == null ? null : headers.get("x-amzn-errortype"));
    if (name == null && body != null && body.length() > 0 && body.length() < 65536) {
      try {
        JsonNode type = Json.parseObject(body).get("__type");
        if (type != null && type.isTextual()) name = name(type.textValue());
      } catch (RuntimeException notJson) {
        // no name: the status decides
      }
    }
    ErrorType type = of(name);
    return name == null ? null : new UpstreamErrors.Classification(type != null ? type : ErrorType.ofStatus(status), name);
  }

  /** {@code ThrottlingException:http://internal.amazon.com/...} or {@code com.amazon...#ThrottlingException} → the bare name. */
  static String name(String raw) {
    if (raw == null || raw.isBlank()) return null;
    String n = raw.trim();
    int colon = n.indexOf(':');
    if (colon > 0) n = n.substring(0, colon);
    int hash = n.lastIndexOf('#');
    if (hash >= 0) n = n.substring(hash + 1);
    return n.isEmpty() ? null : n;
  }
}
