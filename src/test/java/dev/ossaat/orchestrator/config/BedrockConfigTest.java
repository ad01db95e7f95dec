package dev.ossaat.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code type: bedrock}: a region (required), its endpoint by default, and the {@code aws:} credential settings. */
class BedrockConfigTest {
  static OrchestratorConfig parse(String yaml) {
    return new ConfigLoader(Map.of()).parseText(yaml, "t");
  }

  @Test
  void aRegionGivesTheRuntimeEndpointAndNoApiKeyIsNeeded() {
    ProviderConfig p = parse("""
        providers:
          aws: {type: bedrock, region: eu-central-1, model: "anthropic.claude-3-5-sonnet-20240620-v1:0"}
        """).provider("aws").orElseThrow();
    assertThat(p.type()).isEqualTo(ProviderType.BEDROCK);
    assertThat(p.baseUrl()).isEqualTo("https://bedrock-runtime.eu-central-1.amazonaws.com");
    assertThat(p.routable()).as("credentials come from the AWS chain at run time").isTrue();
    assertThat(p.aws().region()).isEqualTo("eu-central-1");
    assertThat(p.aws().hasStaticKeys()).isFalse();
  }

  @Test
  void staticKeysAndCredentialSourcesAreRead() {
    ProviderConfig p = parse("""
        providers:
          aws:
            type: bedrock
            region: us-west-2
            model: m
            aws: {accessKeyId: AKIA1, secretAccessKey: s3cr3t, sessionToken: tok, profile: team,
                  webIdentityTokenFile: /var/run/t, roleArn: "arn:aws:iam::1:role/r", stsEndpoint: "https://sts.example"}
        """).provider("aws").orElseThrow();
    assertThat(p.aws().hasStaticKeys()).isTrue();
    assertThat(p.aws().secretAccessKey().toString()).doesNotContain("s3cr3t");
    assertThat(p.aws().roleArn()).isEqualTo("arn:aws:iam::1:role/r");
    assertThat(p.connection().aws()).as("a changed region or credential rebuilds the adapter").isEqualTo(p.aws());
  }

  @Test
  void mistakesAreNamed() {
    assertThatThrownBy(() -> parse("providers: {aws: {type: bedrock, model: m}}"))
        .hasMessageStartingWith("providers.aws.region: is required for provider 'aws' of type bedrock");
    assertThatThrownBy(() -> parse("providers: {aws: {type: bedrock, region: Virginia, model: m}}"))
        .hasMessageStartingWith("providers.aws.region: expected an AWS region such as us-east-1");
    assertThatThrownBy(() -> parse("providers: {aws: {type: bedrock, region: us-east-1, model: m, aws: {accessKeyId: A}}}"))
        .hasMessageStartingWith("providers.aws.aws.secretAccessKey: accessKeyId and secretAccessKey go together");
    assertThatThrownBy(() -> parse("providers: {aws: {type: bedrock, region: us-east-1, model: m, aws: {acessKeyId: A}}}"))
        .hasMessageContaining("acessKeyId");
    assertThatThrownBy(() -> parse("providers: {openai: {apiKey: k, region: us-east-1}}"))
        .hasMessageStartingWith("providers.openai.region: is only for providers of type bedrock");
  }
}
