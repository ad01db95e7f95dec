package dev.ossaat.orchestrator.provider.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4 (header form), written from AWS's specification and checked against its
 * published test suite. Pure and thread-safe: the same code signs our requests to Bedrock and lets
 * the simulator verify them.
 *
 * <p>The canonical URI is the given path URI-encoded once more (every byte except the unreserved
 * characters and {@code /}). AWS services other than S3 sign the path as sent on the wire, encoded
 * again: a Bedrock model id's {@code :} travels as {@code %3A} and is signed as {@code %253A}. The
 * test suite's paths are raw, so they come out encoded exactly once.
 */
public final class SigV4 {
  public static final String ALGORITHM = "AWS4-HMAC-SHA256";
  public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();

  private SigV4() {}

  /**
   * What a signature covers, and the result.
   *
   * @param signedHeaders lower-case names joined by {@code ;}, sorted
   */
  public record Signature(String canonicalRequest, String stringToSign, String signature, String signedHeaders,
      String scope) {
    /** The {@code Authorization} header value. */
    public String authorization(String accessKeyId) {
      return ALGORITHM + " Credential=" + accessKeyId + "/" + scope + ", SignedHeaders=" + signedHeaders
          + ", Signature=" + signature;
    }
  }

  /** {@code 20150830T123600Z}. */
  public static String amzDate(Instant at) {
    return AMZ_DATE.format(at);
  }

  /**
   * Signs a request.
   *
   * @param path the path to sign (see the class comment for which form)
   * @param query the query string as sent, without {@code ?}; null or empty when none
   * @param headers every header to sign, by any-case name, repeated values in order (all are signed)
   * @param payloadSha256 the hex SHA-256 of the body
   * @param amzDate the {@code X-Amz-Date} value, also among {@code headers}
   */
  public static Signature sign(String method, String path, String query, Map<String, List<String>> headers,
      String payloadSha256, String secretAccessKey, String region, String service, String amzDate) {
    TreeMap<String, String> canonical = new TreeMap<>();
    headers.forEach((name, values) -> {
      String key = name.toLowerCase(Locale.ROOT).trim();
      String joined = String.join(",", values.stream().map(SigV4::trimValue).toList());
      canonical.merge(key, joined, (a, b) -> a + "," + b);
    });
    StringBuilder headerLines = new StringBuilder();
    canonical.forEach((k, v) -> headerLines.append(k).append(':').append(v).append('\n'));
    String signedHeaders = String.join(";", canonical.keySet());
    String canonicalRequest = method.toUpperCase(Locale.ROOT) + '\n'
        + canonicalUri(path) + '\n'
        + canonicalQuery(query) + '\n'
        + headerLines + '\n'
        + signedHeaders + '\n'
        + payloadSha256;
    String date = amzDate.substring(0, 8);
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign = ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    byte[] key = signingKey(secretAccessKey, date, region, service);
    String signature = HEX.formatHex(hmac(key, stringToSign));
    return new Signature(canonicalRequest, stringToSign, signature, signedHeaders, scope);
  }

  /** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
  static byte[] signingKey(String secret, String date, String region, String service) {
    byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    k = hmac(k, region);
    k = hmac(k, service);
    return hmac(k, "aws4_request");
  }

  /** Each byte outside A-Z a-z 0-9 - _ . ~ (and /) as %XX, upper-case hex. */
  static String canonicalUri(String path) {
    if (path == null || path.isEmpty()) return "/";
    return encode(path, true);
  }

  /** Parameters decoded, re-encoded strictly, sorted by name then value. */
  static String canonicalQuery(String query) {
    if (query == null || query.isEmpty()) return "";
    List<String[]> params = new ArrayList<>();
    for (String part : query.split("&")) {
      if (part.isEmpty()) continue;
      int eq = part.indexOf('=');
      String name = eq < 0 ? part : part.substring(0, eq);
      String value = eq < 0 ? "" : part.substring(eq + 1);
      params.add(new String[] {encode(decode(name), false), encode(decode(value), false)});
    }
    params.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
    StringBuilder out = new StringBuilder();
    for (String[] p : params) {
      if (out.length() > 0) out.append('&');
      out.append(p[0]).append('=').append(p[1]);
    }
    return out.toString();
  }

  /** Leading and trailing blanks removed, inner runs of blanks as one space. */
  static String trimValue(String value) {
    return value.trim().replaceAll("\\s+", " ");
  }

  public static String sha256Hex(byte[] data) {
    try {
      return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Constant-time comparison of two signatures (the simulator's check). */
  public static boolean same(String a, String b) {
    return a != null && b != null
        && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }

  private static String encode(String text, boolean keepSlash) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '~' || (keepSlash && c == '/')) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  private static String decode(String text) {
    if (text.indexOf('%') < 0 && text.indexOf('+') < 0) return text;
    try {
      return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text; // a malformed escape is signed as it stands
    }
  }

  /** The path as it goes on the wire: each segment's bytes outside the unreserved set percent-encoded. */
  public static String wirePathSegment(String segment) {
    return encode(segment, false);
  }
}
