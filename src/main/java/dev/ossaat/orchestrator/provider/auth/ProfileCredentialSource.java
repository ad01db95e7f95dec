package dev.ossaat.orchestrator.provider.auth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A profile of the AWS shared files ({@code ~/.aws/credentials}, {@code ~/.aws/config}), read
 * without blocking (Vert.x's file system) and read again every {@link #REREAD} so rotated keys are
 * picked up. A profile with static keys signs with them; one with {@code role_arn} and
 * {@code web_identity_token_file} becomes a {@link WebIdentityCredentialSource}.
 */
public final class ProfileCredentialSource implements AwsCredentialSource {
  static final Duration REREAD = Duration.ofMinutes(5);

  private final Vertx vertx;
  private final String credentialsFile;
  private final String configFile;
  private final String profile;
  private final Clock clock;
  private final Function<Map<String, String>, AwsCredentialSource> webIdentity;
  private final AtomicReference<Loaded> loaded = new AtomicReference<>();

  private record Loaded(AwsCredentialSource source, Instant at) {}

  /** @param webIdentity builds the web-identity source of a profile that names a role and token file */
  public ProfileCredentialSource(Vertx vertx, String credentialsFile, String configFile, String profile, Clock clock,
      Function<Map<String, String>, AwsCredentialSource> webIdentity) {
    this.vertx = vertx;
    this.credentialsFile = credentialsFile;
    this.configFile = configFile;
    this.profile = profile;
    this.clock = clock;
    this.webIdentity = webIdentity;
  }

  @Override
  public Future<AwsCredentials> get() {
    Loaded held = loaded.get();
    if (held != null && held.at().plus(REREAD).isAfter(clock.instant())) return held.source().get();
    return Future.all(read(credentialsFile), read(configFile)).compose(files -> {
      Map<String, String> settings = AwsProfileFiles.profile(files.resultAt(0), files.resultAt(1), profile);
      AwsCredentialSource source = sourceOf(settings, held);
      loaded.set(new Loaded(source, clock.instant()));
      return source.get();
    });
  }

  private AwsCredentialSource sourceOf(Map<String, String> s, Loaded previous) {
    String key = s.get("aws_access_key_id");
    String secret = s.get("aws_secret_access_key");
    if (key != null && secret != null) {
      return AwsCredentialSource.fixed(new AwsCredentials(key, secret, s.get("aws_session_token"), null, describe()));
    }
    if (s.containsKey("role_arn") && s.containsKey("web_identity_token_file")) {
      // Keep the earlier web-identity source (and its credentials) when the profile did not change.
      if (previous != null && previous.source() instanceof WebIdentityCredentialSource) return previous.source();
      return webIdentity.apply(s);
    }
    throw new AwsCredentialException("AWS profile '" + profile + "' has no credentials in " + credentialsFile
        + " or " + configFile + " (aws_access_key_id and aws_secret_access_key, or role_arn and web_identity_token_file)");
  }

  /** The file's text, or null when it does not exist. */
  private Future<String> read(String path) {
    return vertx.fileSystem().exists(path).compose(exists -> exists
        ? vertx.fileSystem().readFile(path).map((Buffer b) -> b.toString(StandardCharsets.UTF_8))
        : Future.succeededFuture((String) null));
  }

  @Override
  public String describe() {
    return "profile " + profile;
  }

  /** Closes the STS client of a web-identity profile, if one was made. */
  public Future<Void> close() {
    Loaded held = loaded.get();
    if (held != null && held.source() instanceof WebIdentityCredentialSource w) return w.close();
    return Future.succeededFuture();
  }
}
