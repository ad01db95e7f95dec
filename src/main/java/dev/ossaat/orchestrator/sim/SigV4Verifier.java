package dev.ossaat.orchestrator.sim;

import dev.ossaat.orchestrator.provider.auth.SigV4;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a request's SigV4 signature as AWS does: the {@code Authorization} header's credential
 * scope (a known key, the service, a date matching {@code X-Amz-Date}), a request time within 15
 * minutes of now, the session token of temporary keys, then the signature over the headers it names,
 * the path as received and the SHA-256 of the body. The outcome names the AWS error a failure gets.
 */
final class SigV4Verifier {
  private static final Pattern AUTH = Pattern.compile(
      "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*SignedHeaders=([^,\\s]+),\\s*Signature=([0-9a-f]{64})");
  private static final DateTimeFormatter AMZ = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT);
  private static final Duration SKEW = Duration.ofMinutes(15);

  /** @param error the AWS error name when the check failed ({@code InvalidSignatureException}, ...), else null */
  record Outcome(String error, int status, String message, String accessKeyId) {
    boolean ok() {
      return error == null;
    }
  }

  private SigV4Verifier() {}

  static Outcome verify(String method, String rawPath, String rawQuery, MultiMap headers, Buffer body, String service) {
    String authorization = headers.get("authorization");
    if (authorization == null) {
      return fail(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    Matcher m = AUTH.matcher(authorization.trim());
    if (!m.matches()) {
      return fail(403, "IncompleteSignatureException", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
    }
    BedrockKeys.Pair pair = BedrockKeys.PAIRS.get(m.group(1));
    if (pair == null) {
      return fail(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    if (!m.group(4).equals(service)) {
      return fail(403, "InvalidSignatureException", "Credential should be scoped to correct service: '" + service + "'.");
    }
    String amzDate = headers.get("x-amz-date");
    Instant at;
    try {
      at = LocalDateTime.parse(amzDate == null ? "" : amzDate, AMZ).toInstant(ZoneOffset.UTC);
    } catch (RuntimeException e) {
      return fail(403, "IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }
    if (!amzDate.startsWith(m.group(2))) {
      return fail(403, "InvalidSignatureException", "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP.");
    }
    Instant now = Instant.now();
    if (at.isBefore(now.minus(SKEW)) || at.isAfter(now.plus(SKEW))) {
      return fail(403, "InvalidSignatureException", "Signature expired: " + amzDate + " is now earlier than "
          + AMZ.format(LocalDateTime.ofInstant(now.minus(SKEW), ZoneOffset.UTC)) + ".");
    }
    if (pair.sessionToken() != null && !pair.sessionToken().equals(headers.get("x-amz-security-token"))) {
      return fail(403, "UnrecognizedClientException", "The security token included in the request is invalid.");
    }
    List<String> signedNames = List.of(m.group(5).split(";"));
    if (!signedNames.contains("host")) {
      return fail(403, "InvalidSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization.");
    }
    Map<String, List<String>> signed = new LinkedHashMap<>();
    for (String name : signedNames) {
      List<String> values = headers.getAll(name);
      signed.put(name, values.isEmpty() ? List.of("") : new ArrayList<>(values));
    }
    String payload = SigV4.sha256Hex(body == null ? new byte[0] : body.getBytes());
    SigV4.Signature expected = SigV4.sign(method, rawPath, rawQuery, signed, payload, pair.secret(), m.group(3), service, amzDate);
    if (!SigV4.same(expected.signature(), m.group(6))) {
      return fail(403, "InvalidSignatureException", "The request signature we calculated does not match the signature you "
          + "provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }
    return new Outcome(null, 200, null, m.group(1));
  }

  private static Outcome fail(int status, String error, String message) {
    return new Outcome(error, status, message, null);
  }
}
