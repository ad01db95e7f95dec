package dev.ossaat.orchestrator.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private final Redactor redactor = new Redactor(List.of("my-configured-secret-value"));

  @Test
  void configuredSecretsAndKeyShapedTokensAreMasked() {
    assertThat(redactor.redact("upstream said: my-configured-secret-value is wrong"))
        .isEqualTo("upstream said: [REDACTED] is wrong");
    assertThat(redactor.redact("Incorrect API key provided: sk-proj-abc123XYZ789. You can find..."))
        .doesNotContain("abc123XYZ789").contains("[REDACTED]");
    assertThat(redactor.redact("Authorization: Bearer abc.def.ghi")).doesNotContain("abc.def.ghi");
    assertThat(redactor.redact("{\"api_key\": \"zzz-top-secret\"}")).doesNotContain("zzz-top-secret");
    assertThat(redactor.redact("key=AIzaSyA1234567890abcdef")).doesNotContain("AIzaSyA1234567890abcdef");
  }

  @Test
  void ordinaryTextIsKeptButFlattenedAndBounded() {
    assertThat(redactor.redact("model not found\nretry later")).isEqualTo("model not found retry later");
    assertThat(redactor.redact("x".repeat(1000))).hasSize(303);
  }
}
