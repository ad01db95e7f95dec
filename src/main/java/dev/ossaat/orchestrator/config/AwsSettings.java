package dev.ossaat.orchestrator.config;

/**
 * Where a provider of type bedrock signs for and finds its AWS credentials. Every credential field is
 * optional: what is not configured comes from the standard AWS sources at run time (environment,
 * web-identity token, shared credentials and config files), in the AWS SDKs' order.
 *
 * @param region the AWS region of the runtime endpoint and of the signature ({@code us-east-1})
 * @param accessKeyId a static key pair (usually {@code ${AWS_ACCESS_KEY_ID}}), or none
 * @param profile the shared-file profile; null means {@code AWS_PROFILE}, else {@code default}
 * @param credentialsFile the shared credentials file; null means {@code AWS_SHARED_CREDENTIALS_FILE}, else ~/.aws/credentials
 * @param configFile the shared config file; null means {@code AWS_CONFIG_FILE}, else ~/.aws/config
 * @param webIdentityTokenFile null means {@code AWS_WEB_IDENTITY_TOKEN_FILE}
 * @param roleArn the role a web-identity token is exchanged for; null means {@code AWS_ROLE_ARN}
 * @param stsEndpoint where AssumeRoleWithWebIdentity is called; null means the region's STS endpoint
 */
public record AwsSettings(
    String region,
    Secret accessKeyId,
    Secret secretAccessKey,
    Secret sessionToken,
    String profile,
    String credentialsFile,
    String configFile,
    String webIdentityTokenFile,
    String roleArn,
    String stsEndpoint) {

  /** The runtime endpoint of a region: {@code https://bedrock-runtime.<region>.amazonaws.com}. */
  public static String runtimeUrl(String region) {
    return "https://bedrock-runtime." + region + ".amazonaws.com";
  }

  public boolean hasStaticKeys() {
    return accessKeyId != null && accessKeyId.isPresent() && secretAccessKey != null && secretAccessKey.isPresent();
  }
}
