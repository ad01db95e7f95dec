package dev.ossaat.orchestrator.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ossaat.orchestrator.config.ModelPrice;
import dev.ossaat.orchestrator.config.OrchestratorConfig;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Providers answer with dated snapshot ids; a snapshot is priced as its own family, never as a
 * cheaper or dearer sibling, and nothing else is guessed.
 */
class PriceFamilyTest {
  private final PriceTable prices = new PriceTable(TestGateway.config("""
      providers:
        p: {baseUrl: "http://127.0.0.1:9/v1", apiKeyRequired: false, model: m, pricing: {gpt-4o: {prompt: 9, completion: 9}}}
      """, Map.of(), s -> "unused").providers());

  private double promptPrice(String provider, String model) {
    return prices.price(provider, model).map(ModelPrice::prompt).orElse(-1.0);
  }

  @Test
  void datedSnapshotsArePricedAsTheirFamily() {
    assertThat(promptPrice("x", "gpt-4o-mini-2024-07-18")).isEqualTo(0.15); // gpt-4o-mini, never gpt-4o
    assertThat(promptPrice("x", "gpt-4o-2024-08-06")).isEqualTo(2.50);
    assertThat(promptPrice("x", "claude-haiku-4-5-20251001")).isEqualTo(1.00);
    assertThat(promptPrice("x", "openai/gpt-4o-mini-2024-07-18")).isEqualTo(0.15); // OpenRouter's vendor prefix
  }

  @Test
  void aProvidersOwnPriceAppliesToItsSnapshotsToo() {
    assertThat(promptPrice("p", "gpt-4o-2024-08-06")).isEqualTo(9);
    assertThat(promptPrice("p", "gpt-4o-mini-2024-07-18")).isEqualTo(0.15);
  }

  @Test
  void nothingElseIsGuessed() {
    assertThat(prices.price("x", "gpt-4o-mini-tts")).isEmpty(); // not gpt-4o-mini
    assertThat(prices.price("x", "gpt-4o-realtime-preview")).isEmpty();
    assertThat(prices.price("x", "some-model-2024")).isEmpty();
    assertThat(PriceTable.withoutDate("model-2024-13")).isEqualTo("model-2024-13");
  }
}
