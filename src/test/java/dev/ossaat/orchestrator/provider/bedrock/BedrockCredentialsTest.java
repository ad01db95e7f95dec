package dev.ossaat.orchestrator.provider.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ossaat.orchestrator.sim.BedrockKeys;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a Bedrock provider's credentials come from, end to end through the real gateway and the
 * simulator (which verifies each signature and plays STS): a Kubernetes web-identity token exchanged
 * with STS for temporary credentials (their session token is signed and checked), a refused token,
 * and a profile of the shared credentials and config files.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BedrockCredentialsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ROLE = "arn:aws:iam::123456789012:role/orchestrator-bedrock";

  @TempDir
  static Path dir;
  TestGateway gw;

  @BeforeAll
  void start() throws IOException {
    Files.writeString(dir.resolve("token"), "eyJhbGciOiJSUzI1NiJ9.sim-web-identity-token.sig\n");
    Files.writeString(dir.resolve("bad-token"), BedrockKeys.BAD_WEB_IDENTITY_TOKEN);
    Files.writeString(dir.resolve("credentials"), """
        [default]
        aws_access_key_id = AKIAWRONGDEFAULT0000
        aws_secret_access_key = wrong
        [team]
        aws_access_key_id = %s
        aws_secret_access_key = %s
        """.formatted(BedrockKeys.ACCESS_KEY_ID, BedrockKeys.SECRET_ACCESS_KEY));
    Files.writeString(dir.resolve("config"), """
        [profile team]
        region = eu-west-1
        [profile irsa]
        role_arn = %s
        web_identity_token_file = %s
        """.formatted(ROLE, dir.resolve("token")));
    gw = TestGateway.start("""
        providers:
          retry: {maxAttempts: 1}
          circuitBreaker: {threshold: 10000}
          irsa:
            type: bedrock
            region: us-west-2
            baseUrl: ${SIM:bedrock-irsa}
            aws: {webIdentityTokenFile: "%s", roleArn: "%s", stsEndpoint: "${SIM:sts}/sts"}
            model: "anthropic.claude-3-haiku-20240307-v1:0"
          refused:
            type: bedrock
            region: us-west-2
            baseUrl: ${SIM:bedrock-refused}
            aws: {webIdentityTokenFile: "%s", roleArn: "%s", stsEndpoint: "${SIM:sts-refused}/sts"}
            model: "meta.llama3-1-8b-instruct-v1:0"
          files:
            type: bedrock
            region: eu-west-1
            baseUrl: ${SIM:bedrock-files}
            aws: {credentialsFile: "%s", configFile: "%s", profile: team}
            model: "amazon.nova-micro-v1:0"
          fileirsa:
            type: bedrock
            region: eu-west-1
            baseUrl: ${SIM:bedrock-fileirsa}
            aws: {credentialsFile: "%s", configFile: "%s", profile: irsa, stsEndpoint: "${SIM:sts-file}/sts"}
            model: "mistral.mistral-large-2407-v1:0"
        """.formatted(dir.resolve("token"), ROLE, dir.resolve("bad-token"), ROLE,
        dir.resolve("credentials"), dir.resolve("config"), dir.resolve("credentials"), dir.resolve("config")));
  }

  @AfterAll
  void stop() {
    if (gw != null) gw.close();
  }

  JsonNode lastRequest(String scenario) throws IOException {
    HttpResponse<String> r = gw.send(HttpRequest.newBuilder(gw.simUri("/_sim/scenarios/" + scenario + "/last-request")).GET().build());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  HttpResponse<String> chat(String model) {
    return gw.post("/v1/chat/completions", TestGateway.chat(model));
  }

  @Test
  void webIdentityTokenIsExchangedWithStsAndItsSessionTokenSigned() throws IOException {
    HttpResponse<String> r = chat("anthropic.claude-3-haiku-20240307-v1:0");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode sts = lastRequest("sts");
    assertThat(sts.path("body").asText()).contains("Action=AssumeRoleWithWebIdentity")
        .contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Forchestrator-bedrock")
        .contains("WebIdentityToken=eyJhbGciOiJSUzI1NiJ9.sim-web-identity-token.sig")
        .contains("RoleSessionName=orchestrator-irsa");
    JsonNode converse = lastRequest("bedrock-irsa");
    assertThat(converse.path("apiKeyMatched").asBoolean()).as("signed with the STS keys and their session token").isTrue();
    assertThat(converse.path("headers").path("x-amz-security-token").asText()).isEqualTo("<redacted>");

    // The credentials are held: a second request does not call STS again.
    long stsCalls = gw.simStats("sts").path("requests").asLong();
    assertThat(chat("anthropic.claude-3-haiku-20240307-v1:0").statusCode()).isEqualTo(200);
    assertThat(gw.simStats("sts").path("requests").asLong()).isEqualTo(stsCalls);
  }

  @Test
  void aRefusedWebIdentityTokenIsAnAuthFailureWithoutSecrets() {
    HttpResponse<String> r = chat("meta.llama3-1-8b-instruct-v1:0");
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.body()).contains("\"code\":\"auth\"").contains("InvalidIdentityToken").contains("web identity")
        .doesNotContain(BedrockKeys.BAD_WEB_IDENTITY_TOKEN);
    assertThat(gw.simStats("bedrock-refused").path("requests").asLong()).as("Bedrock never called unsigned").isZero();
  }

  @Test
  void sharedFilesProfileSignsWithItsKeys() throws IOException {
    HttpResponse<String> r = chat("amazon.nova-micro-v1:0");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(lastRequest("bedrock-files").path("apiKeyMatched").asBoolean()).isTrue();
  }

  @Test
  void aProfileWithRoleAndTokenFileUsesWebIdentity() throws IOException {
    HttpResponse<String> r = chat("mistral.mistral-large-2407-v1:0");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(lastRequest("sts-file").path("body").asText()).contains("AssumeRoleWithWebIdentity");
    assertThat(lastRequest("bedrock-fileirsa").path("apiKeyMatched").asBoolean()).isTrue();
  }
}
