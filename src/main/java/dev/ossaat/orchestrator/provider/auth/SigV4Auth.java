package dev.ossaat.orchestrator.provider.auth;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.RequestOptions;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Signs each finished request with AWS SigV4 (header form). The credentials come from a
 * {@link AwsCredentialSource}; the adapter calls {@link #ready()} before each request, which answers
 * at once while the held credentials are fresh, so signing itself never waits.
 *
 * <p>Signed: {@code host}, {@code x-amz-date}, {@code x-amz-security-token} (temporary credentials)
 * and {@code content-type}: the headers no hop changes. {@code accept-encoding} and the like are left
 * out, as the AWS SDKs leave them out.
 */
public final class SigV4Auth implements UpstreamAuth {
  private static final Set<String> SIGNED = Set.of("content-type", "host", "x-amz-date", "x-amz-security-token");

  private final AwsCredentialSource source;
  private final String region;
  private final String service;
  private final Clock clock;
  private final AtomicReference<AwsCredentials> latest = new AtomicReference<>();

  public SigV4Auth(AwsCredentialSource source, String region, String service, Clock clock) {
    this.source = source;
    this.region = region;
    this.service = service;
    this.clock = clock;
  }

  /** Makes sure credentials are held; fails with {@link AwsCredentialException} when there are none. */
  public Future<AwsCredentials> ready() {
    return source.get().onSuccess(latest::set);
  }

  public AwsCredentialSource source() {
    return source;
  }

  @Override
  public void apply(RequestOptions request, Buffer body) {
    AwsCredentials credentials = latest.get();
    if (credentials == null) return; // ready() failed: the request goes unsigned and AWS refuses it
    String amzDate = SigV4.amzDate(clock.instant());
    String host = hostHeader(request);
    request.putHeader("host", host);
    request.putHeader("x-amz-date", amzDate);
    if (credentials.sessionToken() != null) request.putHeader("x-amz-security-token", credentials.sessionToken());
    Map<String, List<String>> signed = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : request.getHeaders()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (SIGNED.contains(name)) signed.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(h.getValue());
    }
    String uri = request.getURI();
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? null : uri.substring(q + 1);
    byte[] bytes = body == null ? new byte[0] : body.getBytes();
    SigV4.Signature s = SigV4.sign(request.getMethod().name(), path, query, signed, SigV4.sha256Hex(bytes),
        credentials.secretAccessKey(), region, service, amzDate);
    request.putHeader("authorization", s.authorization(credentials.accessKeyId()));
  }

  /** The Host header as the client sends it: the host, with the port only when it is not the scheme's. */
  static String hostHeader(RequestOptions request) {
    String host = request.getHost();
    Integer port = request.getPort();
    boolean ssl = Boolean.TRUE.equals(request.isSsl());
    if (port == null || port < 0 || (ssl && port == 443) || (!ssl && port == 80)) return host;
    return host + ":" + port;
  }
}
