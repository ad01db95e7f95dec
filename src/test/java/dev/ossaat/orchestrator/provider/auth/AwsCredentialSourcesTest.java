package dev.ossaat.orchestrator.provider.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ossaat.orchestrator.config.AwsSettings;
import dev.ossaat.orchestrator.config.Secret;
import dev.ossaat.orchestrator.sim.BedrockKeys;
import dev.ossaat.orchestrator.sim.ProviderSimulator;
import dev.ossaat.orchestrator.testkit.TestGateway;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The AWS credential chain's order, and web-identity credentials refreshed ahead of their expiry (a movable clock, the simulator's STS). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AwsCredentialSourcesTest {
  @TempDir
  static Path dir;
  Vertx vertx;
  ProviderSimulator sim;

  /** A clock the test moves; signing and expiry checks read it. */
  static final class MovableClock extends Clock {
    volatile Instant now = Instant.now();

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    sim = TestGateway.await(ProviderSimulator.start(vertx, "127.0.0.1", 0));
  }

  @AfterAll
  void stop() {
    TestGateway.await(sim.close());
    TestGateway.await(vertx.close());
  }

  static AwsSettings settings(Secret key, Secret secret) {
    return new AwsSettings("us-east-1", key, secret, Secret.none(), null, null, null, null, null, null);
  }

  @Test
  void configKeysWinOverTheEnvironmentWhichWinsOverTokenAndFiles() {
    Map<String, String> env = Map.of("AWS_ACCESS_KEY_ID", "AKIAENV", "AWS_SECRET_ACCESS_KEY", "envsecret",
        "AWS_SESSION_TOKEN", "envtoken", "AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token", "AWS_ROLE_ARN", "arn:aws:iam::1:role/r");
    AwsCredentialSource config = AwsCredentialChain.of(vertx, settings(Secret.of("AKIACONFIG"), Secret.of("s")), env, "p", Clock.systemUTC());
    assertThat(TestGateway.await(config.get()).accessKeyId()).isEqualTo("AKIACONFIG");
    AwsCredentials fromEnv = TestGateway.await(AwsCredentialChain.of(vertx, settings(Secret.none(), Secret.none()), env, "p",
        Clock.systemUTC()).get());
    assertThat(fromEnv.accessKeyId()).isEqualTo("AKIAENV");
    assertThat(fromEnv.sessionToken()).isEqualTo("envtoken");
    assertThat(fromEnv.toString()).doesNotContain("envsecret").doesNotContain("envtoken");
    AwsCredentialSource token = AwsCredentialChain.of(vertx, settings(Secret.none(), Secret.none()),
        Map.of("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/token", "AWS_ROLE_ARN", "arn:aws:iam::1:role/r"), "p", Clock.systemUTC());
    assertThat(token).isInstanceOf(WebIdentityCredentialSource.class);
    AwsCredentialSource files = AwsCredentialChain.of(vertx, settings(Secret.none(), Secret.none()),
        Map.of("HOME", dir.toString(), "AWS_PROFILE", "ops"), "p", Clock.systemUTC());
    assertThat(files.describe()).isEqualTo("profile ops");
    Throwable missing = TestGateway.await(files.get().<Throwable>map(c -> null).otherwise(t -> t));
    assertThat(missing).isInstanceOf(AwsCredentialException.class).hasMessageContaining("profile 'ops'");
  }

  @Test
  void webIdentityCredentialsAreRefreshedBeforeTheyExpire() throws Exception {
    Path token = Files.writeString(dir.resolve("refresh-token"), "a-projected-token");
    MovableClock clock = new MovableClock();
    String sts = sim.baseUrl("sts-refresh") + "/sts";
    WebIdentityCredentialSource source = new WebIdentityCredentialSource(vertx, token.toString(), "arn:aws:iam::1:role/r",
        "s", sts, clock);
    AwsCredentials first = TestGateway.await(source.get());
    assertThat(first.accessKeyId()).isEqualTo(BedrockKeys.STS_ACCESS_KEY_ID);
    assertThat(first.sessionToken()).isEqualTo(BedrockKeys.STS_SESSION_TOKEN);
    assertThat(sim.stats("sts-refresh").requests()).isEqualTo(1);

    // Fresh: held, no STS call.
    assertThat(source.get().isComplete()).isTrue();
    assertThat(sim.stats("sts-refresh").requests()).isEqualTo(1);

    // Four minutes before expiry: the held credentials answer at once while one refresh runs.
    clock.now = first.expiration().minus(Duration.ofMinutes(4));
    Future<AwsCredentials> inWindow = source.get();
    assertThat(inWindow.isComplete()).as("no request waits for the refresh").isTrue();
    await().atMost(Duration.ofSeconds(5)).until(() -> sim.stats("sts-refresh").requests() == 2);

    // Expired (the token file rotated meanwhile): a request waits for the refresh, which reads the file again.
    Files.writeString(token, "a-rotated-token");
    clock.now = first.expiration().plus(Duration.ofHours(2));
    Future<AwsCredentials> expired = source.get();
    AwsCredentials renewed = TestGateway.await(expired);
    assertThat(renewed.accessKeyId()).isEqualTo(BedrockKeys.STS_ACCESS_KEY_ID);
    assertThat(sim.stats("sts-refresh").requests()).isEqualTo(3);
    TestGateway.await(source.close());
  }
}
