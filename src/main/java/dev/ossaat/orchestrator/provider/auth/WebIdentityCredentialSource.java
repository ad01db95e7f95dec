package dev.ossaat.orchestrator.provider.auth;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes' (EKS IRSA, EKS Pod Identity-style) web-identity credentials: the projected token file
 * exchanged for temporary credentials with STS {@code AssumeRoleWithWebIdentity}. Everything is
 * non-blocking: the token file is read through Vert.x's file system, STS is called with a Vert.x
 * client. Credentials are refreshed {@link #REFRESH_BEFORE} ahead of their expiry (by a timer, and by the
 * first request in that window): such a request still signs with the current ones while one refresh runs; only a request with nothing
 * valid waits (for the one refresh in flight, shared by every caller). The token file is read again
 * at each refresh, since the kubelet rotates it.
 */
public final class WebIdentityCredentialSource implements AwsCredentialSource {
  /** How long before expiry a refresh starts (the AWS SDKs refresh about five minutes ahead). */
  public static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);
  private static final Pattern ACCESS_KEY = tag("AccessKeyId");
  private static final Pattern SECRET = tag("SecretAccessKey");
  private static final Pattern TOKEN = tag("SessionToken");
  private static final Pattern EXPIRATION = tag("Expiration");
  private static final Pattern ERROR_CODE = tag("Code");
  private static final Pattern ERROR_MESSAGE = tag("Message");

  private final Vertx vertx;
  private final String tokenFile;
  private final String roleArn;
  private final String sessionName;
  private final String stsUrl;
  private final Clock clock;
  private final HttpClientAgent client;
  private final AtomicReference<AwsCredentials> current = new AtomicReference<>();
  private Future<AwsCredentials> inFlight; // guarded by this
  private long refreshTimer = -1; // guarded by this
  private boolean closed; // guarded by this

  /** @param stsUrl the STS endpoint, e.g. {@code https://sts.us-east-1.amazonaws.com} */
  public WebIdentityCredentialSource(Vertx vertx, String tokenFile, String roleArn, String sessionName, String stsUrl,
      Clock clock) {
    this.vertx = vertx;
    this.tokenFile = tokenFile;
    this.roleArn = roleArn;
    this.sessionName = sessionName;
    this.stsUrl = stsUrl.endsWith("/") ? stsUrl.substring(0, stsUrl.length() - 1) : stsUrl;
    this.clock = clock;
    this.client = vertx.createHttpClient(new HttpClientOptions().setName("orchestrator-sts")
        .setConnectTimeout(5000).setKeepAlive(true).setKeepAliveTimeout(30));
  }

  @Override
  public Future<AwsCredentials> get() {
    AwsCredentials held = current.get();
    Instant now = clock.instant();
    if (held != null && !held.expiresBefore(now.plus(REFRESH_BEFORE))) return Future.succeededFuture(held);
    Future<AwsCredentials> refresh = refresh();
    // Still valid (inside the refresh window): sign with these while the refresh runs.
    if (held != null && !held.expiresBefore(now.plusSeconds(30))) return Future.succeededFuture(held);
    return refresh;
  }

  @Override
  public String describe() {
    return "web identity (" + roleArn + ")";
  }

  /** The one refresh in flight, started if none is. */
  private synchronized Future<AwsCredentials> refresh() {
    if (inFlight != null) return inFlight;
    Future<AwsCredentials> f = vertx.fileSystem().readFile(tokenFile)
        .recover(t -> Future.failedFuture(new AwsCredentialException("cannot read the web identity token file "
            + tokenFile + ": " + t.getMessage())))
        .compose(token -> assumeRole(token.toString(StandardCharsets.UTF_8).strip()))
        .onSuccess(c -> {
          current.set(c);
          scheduleRefresh(c);
        });
    inFlight = f;
    f.onComplete(ar -> {
      synchronized (this) {
        inFlight = null;
      }
    });
    return f;
  }

  /**
   * Refreshes again ahead of expiry even when no request comes, so an idle provider's first request
   * does not wait for STS (a request in the window would start the refresh anyway).
   */
  private synchronized void scheduleRefresh(AwsCredentials c) {
    if (closed || c.expiration() == null) return;
    if (refreshTimer >= 0) vertx.cancelTimer(refreshTimer);
    long delay = Duration.between(clock.instant(), c.expiration().minus(REFRESH_BEFORE)).toMillis();
    refreshTimer = vertx.setTimer(Math.max(60_000, delay), id -> { // never a tight loop: requests in the window refresh too
      synchronized (this) {
        refreshTimer = -1;
        if (closed) return;
      }
      refresh();
    });
  }

  private Future<AwsCredentials> assumeRole(String token) {
    String form = "Action=AssumeRoleWithWebIdentity&Version=2011-06-15"
        + "&RoleArn=" + URLEncoder.encode(roleArn, StandardCharsets.UTF_8)
        + "&RoleSessionName=" + URLEncoder.encode(sessionName, StandardCharsets.UTF_8)
        + "&WebIdentityToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(stsUrl + "/")
        .setTimeout(10_000)
        .putHeader("content-type", "application/x-www-form-urlencoded; charset=utf-8")
        .putHeader("accept", "application/xml");
    Promise<AwsCredentials> out = Promise.promise();
    client.request(options)
        .compose(r -> r.send(Buffer.buffer(form)))
        .compose(response -> response.body().map(body -> {
          String text = body.toString(StandardCharsets.UTF_8);
          if (response.statusCode() / 100 != 2) {
            throw new AwsCredentialException("STS AssumeRoleWithWebIdentity for " + roleArn + " answered HTTP "
                + response.statusCode() + ": " + find(ERROR_CODE, text, "error") + " " + find(ERROR_MESSAGE, text, ""));
          }
          return parse(text);
        }))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            out.complete(ar.result());
          } else {
            Throwable t = ar.cause();
            out.fail(t instanceof AwsCredentialException ? t
                : new AwsCredentialException("STS AssumeRoleWithWebIdentity at " + stsUrl + " failed: " + t.getMessage()));
          }
        });
    return out.future();
  }

  AwsCredentials parse(String xml) {
    String key = find(ACCESS_KEY, xml, null);
    String secret = find(SECRET, xml, null);
    String token = find(TOKEN, xml, null);
    String expiration = find(EXPIRATION, xml, null);
    if (key == null || secret == null || token == null) {
      throw new AwsCredentialException("STS AssumeRoleWithWebIdentity for " + roleArn + " answered without credentials");
    }
    Instant expires;
    try {
      expires = expiration == null ? clock.instant().plus(Duration.ofHours(1)) : Instant.parse(expiration);
    } catch (java.time.format.DateTimeParseException e) {
      expires = clock.instant().plus(Duration.ofMinutes(15));
    }
    return new AwsCredentials(key, secret, token, expires, describe());
  }

  private static Pattern tag(String name) {
    return Pattern.compile("<" + name + ">\\s*([^<]*?)\\s*</" + name + ">");
  }

  private static String find(Pattern p, String text, String fallback) {
    Matcher m = p.matcher(text);
    return m.find() ? m.group(1) : fallback;
  }

  public Future<Void> close() {
    synchronized (this) {
      closed = true;
      if (refreshTimer >= 0) vertx.cancelTimer(refreshTimer);
      refreshTimer = -1;
    }
    return client.close();
  }
}
