package dev.ossaat.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.ossaat.orchestrator.usage.PriceTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prices of every token kind: the formula, the {@code pricing:} keys and the embedded list prices. */
class PricingConfigTest {
  private static ConfigLoader loader() {
    return new ConfigLoader(Map.of("ORCHESTRATOR_SECRETS_DIR", "/nonexistent"));
  }

  @Test
  void costOfEveryTokenKind() {
    // Sonnet 4.5's list price: $3 in, $15 out, $0.30 cache read, $3.75 cache write; reasoning at the output price.
    ModelPrice sonnet = new ModelPrice(3.00, 15.00, 0.30, 3.75, null);
    // 10,000 input tokens of which 6,000 read from the cache and 2,000 written to it;
    // 1,000 output tokens of which 400 reasoning:
    //   2,000 x 3 + 6,000 x 0.30 + 2,000 x 3.75 + 600 x 15 + 400 x 15
    //   = 6,000 + 1,800 + 7,500 + 9,000 + 6,000 = 30,300 dollar-tokens per million = $0.0303
    assertThat(sonnet.costOf(10_000, 6_000, 2_000, 1_000, 400)).isCloseTo(0.0303, within(1e-12));

    // A distinct reasoning price: 600 x 4 + 400 x 8 = 5,600 -> $0.0056 for output; 1,000 x 1 input -> $0.001.
    ModelPrice reasoner = new ModelPrice(1.00, 4.00, null, null, 8.00);
    assertThat(reasoner.costOf(1_000, 0, 0, 1_000, 400)).isCloseTo(0.0066, within(1e-12));
  }

  @Test
  void unsetPricesFallBackToPromptAndCompletion() {
    ModelPrice plain = new ModelPrice(2.00, 8.00, null, null, null);
    assertThat(plain.cachedPromptPrice()).isEqualTo(2.00);
    assertThat(plain.cacheWritePrice()).isEqualTo(2.00);
    assertThat(plain.reasoningPrice()).isEqualTo(8.00);
    // Every kind at the plain prices: 1,000 x 2 + 500 x 8 = 6,000 -> $0.006, however it is split.
    assertThat(plain.costOf(1_000, 300, 200, 500, 100)).isCloseTo(0.006, within(1e-12));
    assertThat(new ModelPrice(2.00, 8.00, 0.5)).isEqualTo(new ModelPrice(2.00, 8.00, 0.5, null, null));
  }

  @Test
  void eachPartIsClampedToBeNonNegative() {
    ModelPrice p = new ModelPrice(3.00, 15.00, 0.30, 3.75, null);
    // More cache tokens than input tokens reported: no negative uncached part, the cache parts still count.
    // 800 x 0.30 + 400 x 3.75 = 240 + 1,500 = 1,740 -> $0.00174
    assertThat(p.costOf(1_000, 800, 400, 0, 0)).isCloseTo(0.00174, within(1e-12));
    // More reasoning than output tokens: 50 x 15 = 750 -> $0.00075, no negative answer part.
    assertThat(p.costOf(0, 0, 0, 10, 50)).isCloseTo(0.00075, within(1e-12));
    // Negative counts count as none.
    assertThat(p.costOf(1_000, -5, -5, 100, -1)).isCloseTo((1_000 * 3.00 + 100 * 15.00) / 1e6, within(1e-12));
  }

  @Test
  void pricingSectionAcceptsEveryTokenKind() {
    OrchestratorConfig c = loader().parseText("""
        providers:
          priced:
            baseUrl: https://llm.example.com/v1
            apiKey: k
            pricing:
              claude-sonnet-4-5: {prompt: 3, completion: 15, cachedPrompt: 0.3, cacheWrite: 3.75, reasoning: 15}
              my-model: {prompt: "1.5", completion: 2}
        """, "t");
    ProviderConfig p = c.provider("priced").orElseThrow();
    assertThat(p.pricing().get("claude-sonnet-4-5")).isEqualTo(new ModelPrice(3, 15, 0.3, 3.75, 15.0));
    assertThat(p.pricing().get("my-model")).isEqualTo(new ModelPrice(1.5, 2, null, null, null));
    assertThat(new PriceTable(c.providers()).price("priced", "my-model")).contains(new ModelPrice(1.5, 2, null, null, null));

    assertThatThrownBy(() -> loader().parseText("providers: {openai: {apiKey: k, pricing: {m: {prompt: 1, completion: 2, "
        + "cacheRead: 1}}}}", "t"))
        .hasMessage("providers.openai.pricing.m.cacheRead: unknown key (known keys here: cacheWrite, cachedPrompt, "
            + "completion, prompt, reasoning)");
    assertThatThrownBy(() -> loader().parseText("providers: {openai: {apiKey: k, pricing: {m: {prompt: 1, completion: 2, "
        + "cacheWrite: -1}}}}", "t"))
        .hasMessageStartingWith("providers.openai.pricing.m.cacheWrite: must be a number of at least 0");
    assertThatThrownBy(() -> loader().parseText("providers: {openai: {apiKey: k, pricing: {m: {prompt: 1, reasoning: 2}}}}", "t"))
        .hasMessageStartingWith("providers.openai.pricing.m: needs both prompt and completion prices");
  }

  @Test
  void embeddedListPricesCoverAnthropicWithCachePrices() {
    PriceTable table = new PriceTable(List.of());
    assertThat(table.price("anthropic", "claude-opus-4-1")).contains(new ModelPrice(15, 75, 1.5, 18.75, null));
    assertThat(table.price("anthropic", "claude-opus-4")).contains(new ModelPrice(15, 75, 1.5, 18.75, null));
    assertThat(table.price("anthropic", "claude-opus-4-5")).contains(new ModelPrice(5, 25, 0.5, 6.25, null));
    for (String sonnet : List.of("claude-sonnet-4-5", "claude-sonnet-4", "claude-3-7-sonnet")) {
      assertThat(table.price("anthropic", sonnet)).as(sonnet).contains(new ModelPrice(3, 15, 0.3, 3.75, null));
    }
    assertThat(table.price("anthropic", "claude-haiku-4-5")).contains(new ModelPrice(1, 5, 0.1, 1.25, null));
    assertThat(table.price("anthropic", "claude-3-5-haiku")).contains(new ModelPrice(0.8, 4, 0.08, 1.0, null));
    // Anthropic answers with the dated model id; it is priced as its alias.
    assertThat(table.price("anthropic", "claude-sonnet-4-5-20250929")).isEqualTo(table.price("anthropic", "claude-sonnet-4-5"));
    assertThat(table.price("anthropic", "claude-haiku-4-5-20251001")).isEqualTo(table.price("anthropic", "claude-haiku-4-5"));
    // Every OpenAI entry says what a cache hit costs.
    for (String openai : List.of("gpt-4o", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "o3-mini", "o4-mini",
        "text-embedding-3-small", "text-embedding-3-large", "openai/gpt-4o-mini")) {
      assertThat(table.price("openai", openai).orElseThrow().cachedPrompt()).as(openai).isNotNull();
    }
  }
}
