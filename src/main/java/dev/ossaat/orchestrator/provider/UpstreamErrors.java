package dev.ossaat.orchestrator.provider;

import dev.ossaat.orchestrator.codec.gemini.GeminiErrors;
import dev.ossaat.orchestrator.exchange.WireFormat;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.secrets.Redactor;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Turns what went wrong upstream (a status with a body, or an exception) into a redacted
 * {@link ProviderException}. Shared by every adapter so classification is the same everywhere.
 */
public final class UpstreamErrors {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);

  private final String provider;
  private final Redactor redactor;

  private final WireFormat format;
  private final Classifier classifier;

  /**
   * A format's own reading of an error answer, for providers whose error class is not in the status
   * alone (Bedrock names it in {@code x-amzn-errortype}: a 429 may be throttling or a model not ready).
   */
  @FunctionalInterface
  public interface Classifier {
    /** The class and the provider's name for the error, or null to classify by the status. */
    Classification classify(int status, MultiMap headers, Buffer body);
  }

  /** @param name the provider's own error name (ThrottlingException), shown in the message; may be null */
  public record Classification(ErrorType type, String name) {}

  /** @param format the provider's wire format, which its error bodies are in */
  public UpstreamErrors(String provider, WireFormat format, Redactor redactor) {
    this(provider, format, redactor, null);
  }

  /** @param classifier reads the format's error answers before the status does; null for none */
  public UpstreamErrors(String provider, WireFormat format, Redactor redactor, Classifier classifier) {
    this.provider = provider;
    this.format = format;
    this.redactor = redactor;
    this.classifier = classifier;
  }

  /** A non-2xx answer. Client errors keep their body so it can go back to the client as sent. */
  public ProviderException status(int status, MultiMap headers, Buffer body) {
    Classification own = classifier == null ? null : classifier.classify(status, headers, body);
    ErrorType type = own != null ? own.type() : ErrorType.ofStatus(status);
    if (own == null && type == ErrorType.SERVER_ERROR && body != null && body.length() < 65536
        && body.toString(java.nio.charset.StandardCharsets.UTF_8).contains("\"overloaded_error\"")) {
      type = ErrorType.PROVIDER_OVERLOADED; // Anthropic's overload, whatever status carries it
    }
    Duration retryAfter = retryAfter(headers);
    if (format == WireFormat.GEMINI) {
      // Google's error body says more than its status: a bad key is a 400, a retry delay is in its details.
      GeminiErrors.Detail google = GeminiErrors.read(body);
      if (google != null) {
        type = geminiType(status, google, type);
        if (retryAfter == null && google.retryDelay() != null) retryAfter = cap(google.retryDelay());
      }
    }
    String detail = errorMessage(body);
    String named = own != null && own.name() != null ? " " + own.name() : "";
    String message = provider + " returned HTTP " + status + named + (detail.isEmpty() ? "" : ": " + detail);
    // A client error goes back to the client as the provider sent it, redacted: a provider that
    // echoes our credential must not hand it to the client.
    Buffer passthrough = type.tryNextProvider() || body == null ? null
        : Buffer.buffer(redactor.redactBody(body.toString(java.nio.charset.StandardCharsets.UTF_8)));
    return new ProviderException(provider, type, status, redactor.redact(message), passthrough, format, retryAfter);
  }

  /** Google's status and reason over the HTTP status: API_KEY_INVALID (a 400) is auth, UNAVAILABLE an overload. */
  private static ErrorType geminiType(int status, GeminiErrors.Detail google, ErrorType byStatus) {
    if ("API_KEY_INVALID".equals(google.reason()) || "UNAUTHENTICATED".equals(google.status())
        || "PERMISSION_DENIED".equals(google.status())) return ErrorType.AUTH;
    if ("RESOURCE_EXHAUSTED".equals(google.status())) return ErrorType.RATE_LIMIT;
    if ("UNAVAILABLE".equals(google.status()) || status == 503) return ErrorType.PROVIDER_OVERLOADED;
    return byStatus;
  }

  private static Duration cap(Duration d) {
    if (d.isNegative()) return null;
    return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
  }

  /** A failure without an HTTP answer: connect error, reset, timeout. */
  public ProviderException exception(Throwable t) {
    if (t instanceof ProviderException pe) return pe;
    ErrorType type = isTimeout(t) ? ErrorType.TIMEOUT : ErrorType.NETWORK;
    String what = t instanceof ConnectException || t instanceof UnknownHostException
        ? "cannot connect to " + provider
        : "connection to " + provider + " failed";
    String detail = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return ProviderException.of(provider, type, redactor.redact(what + ": " + detail));
  }

  public String provider() {
    return provider;
  }

  public ProviderException timeout(long millis, String phase) {
    return ProviderException.of(provider, ErrorType.TIMEOUT, provider + " did not answer " + phase + " within " + millis + " ms");
  }

  /**
   * Arms a phase timeout that cancels the call when it fires. A timer that fires much later than it
   * was due shows the gateway's own event loop was stalled (a burst of new streams, a long GC): the
   * provider's answer may be sitting unread in a socket, so that timeout is the gateway's fault
   * ({@code internal}: never counted against the provider's breaker or health), not a provider timeout.
   *
   * @return the timer's id, to cancel when the phase completes
   */
  public long armTimeout(io.vertx.core.Vertx vertx, long millis, String phase, CallControl control) {
    long due = System.nanoTime() + millis * 1_000_000;
    return vertx.setTimer(millis, t -> expired(due, millis, phase, control));
  }

  /**
   * A phase timeout of {@code millis} that was due at {@code dueNanos} ({@link System#nanoTime}) has
   * passed: cancels the call, as the provider's timeout or, when the timer ran too late, the gateway's.
   */
  public void expired(long dueNanos, long millis, String phase, CallControl control) {
    long lateMillis = (System.nanoTime() - dueNanos) / 1_000_000;
    if (lateMillis > lagTolerance(millis)) {
      control.cancel(ProviderException.of(provider, ErrorType.INTERNAL, "orchestrator's event loop ran " + lateMillis
          + " ms late: the " + phase + " timeout of " + provider + " is the gateway's overload, not held against the provider"));
    } else {
      control.cancel(timeout(millis, phase));
    }
  }

  /** How late a timer may fire before the lateness is the gateway's own: a quarter of the timeout, at least 250 ms. */
  static long lagTolerance(long timeoutMillis) {
    return Math.max(250, timeoutMillis / 4);
  }

  private static boolean isTimeout(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof TimeoutException || c instanceof io.netty.channel.ConnectTimeoutException) return true;
      String name = c.getClass().getSimpleName();
      if (name.contains("Timeout")) return true;
    }
    return false;
  }

  private static String errorMessage(Buffer body) {
    if (body == null || body.length() == 0) return "";
    try {
      JsonNode node = JSON.readTree(body.getBytes());
      JsonNode error = node.path("error");
      if (error.isTextual()) return error.textValue();
      if (error.path("message").isTextual()) return error.path("message").textValue();
      if (node.path("message").isTextual()) return node.path("message").textValue();
      // Mistral's 422: {"object":"error","message":{"detail":[{"loc":[...],"msg":...}]}}, or FastAPI's bare {"detail":[...]}
      JsonNode detail = node.path("message").isObject() ? node.path("message").path("detail") : node.path("detail");
      if (detail.isArray() && detail.size() > 0 && detail.get(0).path("msg").isTextual()) {
        JsonNode first = detail.get(0);
        StringBuilder loc = new StringBuilder();
        for (JsonNode part : first.path("loc")) loc.append(loc.length() == 0 ? "" : ".").append(part.asText());
        return (loc.length() == 0 ? "" : loc + ": ") + first.get("msg").textValue();
      }
    } catch (java.io.IOException | RuntimeException e) {
      // not JSON: fall through to the raw text
    }
    String text = body.toString(java.nio.charset.StandardCharsets.UTF_8);
    return text.length() > 200 ? text.substring(0, 200) : text;
  }

  /** {@code retry-after-ms} (OpenAI, Azure) wins over {@code Retry-After}; capped at ten minutes. */
  static Duration retryAfter(MultiMap headers) {
    if (headers == null) return null;
    Duration d = null;
    String ms = headers.get("retry-after-ms");
    String seconds = headers.get("retry-after");
    try {
      if (ms != null) {
        d = Duration.ofMillis((long) Double.parseDouble(ms.trim()));
      } else if (seconds != null) {
        d = Duration.ofMillis((long) (Double.parseDouble(seconds.trim()) * 1000));
      }
    } catch (NumberFormatException e) {
      return null; // an HTTP-date Retry-After is rare from AI providers; ignoring it only loses a hint
    }
    if (d == null || d.isNegative()) return null;
    return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
  }
}
