package dev.ossaat.orchestrator.provider.auth;

import dev.ossaat.orchestrator.config.AwsSettings;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Picks a Bedrock provider's credential source the way the AWS SDKs' default chain does, first
 * match wins: keys in the provider's {@code aws:} config; the environment ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}); a web-identity token
 * ({@code AWS_WEB_IDENTITY_TOKEN_FILE} with {@code AWS_ROLE_ARN}, as EKS injects them); the shared
 * files' profile ({@code AWS_PROFILE}, else {@code default}). Config keys override the
 * corresponding variables. Container and instance metadata endpoints are not consulted.
 */
public final class AwsCredentialChain {
  private AwsCredentialChain() {}

  public static AwsCredentialSource of(Vertx vertx, AwsSettings aws, Map<String, String> env, String providerName,
      Clock clock) {
    if (aws.hasStaticKeys()) {
      String token = aws.sessionToken() != null && aws.sessionToken().isPresent() ? aws.sessionToken().reveal() : null;
      return AwsCredentialSource.fixed(new AwsCredentials(aws.accessKeyId().reveal(), aws.secretAccessKey().reveal(),
          token, null, "provider config"));
    }
    String envKey = blankToNull(env.get("AWS_ACCESS_KEY_ID"));
    String envSecret = blankToNull(env.get("AWS_SECRET_ACCESS_KEY"));
    if (envKey != null && envSecret != null) {
      return AwsCredentialSource.fixed(new AwsCredentials(envKey, envSecret, blankToNull(env.get("AWS_SESSION_TOKEN")),
          null, "environment"));
    }
    String sts = aws.stsEndpoint() != null ? aws.stsEndpoint() : "https://sts." + aws.region() + ".amazonaws.com";
    String session = or(blankToNull(env.get("AWS_ROLE_SESSION_NAME")), "orchestrator-" + providerName);
    String tokenFile = or(aws.webIdentityTokenFile(), blankToNull(env.get("AWS_WEB_IDENTITY_TOKEN_FILE")));
    String role = or(aws.roleArn(), blankToNull(env.get("AWS_ROLE_ARN")));
    if (tokenFile != null && role != null) {
      return new WebIdentityCredentialSource(vertx, tokenFile, role, session, sts, clock);
    }
    String home = or(blankToNull(env.get("HOME")), System.getProperty("user.home", "."));
    String credentials = or(aws.credentialsFile(), or(blankToNull(env.get("AWS_SHARED_CREDENTIALS_FILE")),
        Path.of(home, ".aws", "credentials").toString()));
    String config = or(aws.configFile(), or(blankToNull(env.get("AWS_CONFIG_FILE")), Path.of(home, ".aws", "config").toString()));
    String profile = or(aws.profile(), or(blankToNull(env.get("AWS_PROFILE")), "default"));
    return new ProfileCredentialSource(vertx, credentials, config, profile, clock,
        s -> new WebIdentityCredentialSource(vertx, s.get("web_identity_token_file"), s.get("role_arn"),
            or(s.get("role_session_name"), session), sts, clock));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static String or(String a, String b) {
    return a != null ? a : b;
  }
}
