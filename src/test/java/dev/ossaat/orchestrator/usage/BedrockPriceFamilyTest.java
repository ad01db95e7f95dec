package dev.ossaat.orchestrator.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.config.ModelPrice;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bedrock ids (inference profiles, vendor prefixes, version suffixes, ARNs) are priced as the model they serve. */
class BedrockPriceFamilyTest {
  private final PriceTable prices = new PriceTable(TestGateway.config("""
      providers:
        p: {baseUrl: "http://127.0.0.1:9/v1", apiKeyRequired: false, model: m}
      """, Map.of(), s -> "unused").providers());

  private double prompt(String model) {
    return prices.price("x", model).map(ModelPrice::prompt).orElse(-1.0);
  }

  @Test
  void bedrockIdsResolveToTheirModel() {
    assertThat(PriceTable.bedrockModel("us.anthropic.claude-3-5-sonnet-20241022-v2:0")).isEqualTo("claude-3-5-sonnet-20241022");
    assertThat(PriceTable.bedrockModel("anthropic.claude-sonnet-4-5-20250929-v1:0")).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(PriceTable.bedrockModel("amazon.nova-pro-v1:0")).isEqualTo("nova-pro");
    assertThat(PriceTable.bedrockModel("anthropic.claude-3-haiku-20240307-v1:0:200k")).isEqualTo("claude-3-haiku-20240307");
    assertThat(PriceTable.bedrockModel("gpt-4o-mini")).isNull();
    assertThat(PriceTable.bedrockModel("openai/gpt-4o-mini")).isNull();

    assertThat(prompt("us.anthropic.claude-3-5-sonnet-20241022-v2:0")).isEqualTo(3.00);
    assertThat(prompt("eu.anthropic.claude-sonnet-4-5-20250929-v1:0")).isEqualTo(3.00);
    assertThat(prompt("global.anthropic.claude-haiku-4-5-20251001-v1:0")).isEqualTo(1.00);
    assertThat(prompt("anthropic.claude-3-5-haiku-20241022-v1:0")).as("claude-3-5-haiku, never claude-3-haiku").isEqualTo(0.80);
    assertThat(prompt("amazon.nova-lite-v1:0")).isEqualTo(0.06);
    assertThat(prompt("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-micro-v1:0")).isEqualTo(0.035);
  }

  @Test
  void unknownBedrockModelsStayUnpriced() {
    assertThat(prompt("cohere.command-r-plus-v1:0")).isEqualTo(-1.0);
    assertThat(prompt("acme.model-v1:0")).isEqualTo(-1.0);
  }
}
