package dev.ossaat.orchestrator.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import dev.ossaat.orchestrator.config.ModelPrice;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The list prices cover every provider's current models, ids of every provider's shape resolve to
 * their family (OpenRouter's vendor/model and :variants, Mistral's versions), and a provider's own
 * {@code pricing:} (with its {@code "*"} entry, a local model's $0) wins over the list.
 */
class PriceCoverageTest {
  private final PriceTable prices = new PriceTable(TestGateway.config("""
      providers:
        local: {baseUrl: "http://127.0.0.1:9/v1", apiKeyRequired: false, model: m, pricing: {"*": {prompt: 0, completion: 0}}}
        deal: {baseUrl: "http://127.0.0.1:9/v1", apiKeyRequired: false, model: m,
               pricing: {gpt-4o: {prompt: 2, completion: 8}, "*": {prompt: 1, completion: 1}}}
      """, Map.of(), s -> "unused").providers());

  private ModelPrice price(String provider, String model) {
    return prices.price(provider, model).orElse(null);
  }

  @Test
  void currentModelsOfEveryProviderArePriced() {
    for (String model : List.of("gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-4.1", "gpt-4o", "gpt-4o-mini", "o3", "o3-mini",
        "o4-mini", "o1", "text-embedding-3-small", "claude-opus-4-5", "claude-sonnet-4-5", "claude-haiku-4-5",
        "claude-3-7-sonnet", "claude-3-5-sonnet", "claude-3-5-haiku", "gemini-2.5-pro", "gemini-2.5-flash",
        "mistral-large-latest", "mistral-medium-latest", "mistral-small-latest", "codestral-latest", "mistral-embed")) {
      assertThat(price("x", model)).as(model).isNotNull();
    }
    assertThat(price("x", "gpt-5")).isEqualTo(new ModelPrice(1.25, 10, 0.125, null, null));
    assertThat(price("x", "o3-2025-04-16")).isEqualTo(price("x", "o3"));
    assertThat(price("x", "claude-3-5-sonnet-20241022")).isEqualTo(price("x", "claude-3-5-sonnet"));
    assertThat(price("x", "claude-3-haiku-20240307").prompt()).isEqualTo(0.25);
  }

  /** gpt-4o's first snapshot kept its launch price; the dated id's own entry wins over the family. */
  @Test
  void aSnapshotPricedApartKeepsItsOwnPrice() {
    assertThat(price("x", "gpt-4o-2024-05-13").prompt()).isEqualTo(5.00);
    assertThat(price("x", "gpt-4o-2024-11-20").prompt()).isEqualTo(2.50);
  }

  @Test
  void openRouterIdsResolveToTheVendorsModel() {
    assertThat(price("x", "openai/gpt-4o-mini")).isEqualTo(price("x", "gpt-4o-mini"));
    assertThat(price("x", "openai/gpt-4.1")).isEqualTo(price("x", "gpt-4.1")); // a dot that is part of the id
    assertThat(price("x", "anthropic/claude-sonnet-4.5")).isEqualTo(price("x", "claude-sonnet-4-5"));
    assertThat(price("x", "anthropic/claude-3.7-sonnet:thinking")).isEqualTo(price("x", "claude-3-7-sonnet"));
    assertThat(price("x", "google/gemini-2.5-flash")).isEqualTo(price("x", "gemini-2.5-flash"));
    assertThat(price("x", "meta-llama/llama-3.3-70b-instruct:free")).isEqualTo(PriceTable.FREE);
    assertThat(prices.price("x", "meta-llama/llama-3.3-70b-instruct")).isEmpty(); // not listed: unpriced, not free
    assertThat(prices.price("x", "openai/gpt-4o-mini:nitro")).as("a routing variant is not guessed").isEmpty();
  }

  @Test
  void mistralVersionsArePricedAsTheirFamily() {
    assertThat(price("x", "mistral-large-2411")).isEqualTo(price("x", "mistral-large-latest"));
    assertThat(price("x", "codestral-2501")).isEqualTo(price("x", "codestral-latest"));
    assertThat(price("x", "mistralai/mistral-small-2503")).isEqualTo(price("x", "mistral-small-latest"));
    assertThat(PriceTable.withoutVersion("gpt-3.5-turbo-0125")).isEqualTo("gpt-3.5-turbo-0125");
    assertThat(PriceTable.withoutVersion("model-2013")).isEqualTo("model-2013");
  }

  @Test
  void aProvidersOwnTableWinsAndItsStarCoversTheRest() {
    assertThat(price("local", "llama3.2")).isEqualTo(new ModelPrice(0, 0, null, null, null));
    assertThat(price("local", "gpt-4o")).as("a local model named like a listed one is still local").isEqualTo(price("local", "x"));
    assertThat(price("deal", "gpt-4o-2024-08-06").prompt()).isEqualTo(2);
    assertThat(price("deal", "anything").prompt()).isEqualTo(1);
    assertThat(prices.price("x", "llama3.2")).isEmpty();
  }

  /** Through the gateway: a "*" price of $0 is a cost of $0, not an unpriced request; an override is billed. */
  @Test
  void overridesAreBilledThroughTheGateway() {
    try (TestGateway gw = TestGateway.start("""
        routing: {preference: [ollama, deal]}
        providers:
          ollama:
            baseUrl: ${SIM:ollama}
            apiKeyRequired: false
            model: llama3.2
            models: [llama3.2]
            pricing: {"*": {prompt: 0, completion: 0}}
          deal:
            baseUrl: ${SIM:deal}
            apiKeyRequired: false
            model: gpt-4o
            models: [gpt-4o]
            pricing: {gpt-4o: {prompt: 2, completion: 8}}
        """)) {
      assertThat(gw.post("/v1/chat/completions", TestGateway.chat("llama3.2")).statusCode()).isEqualTo(200);
      assertThat(gw.post("/v1/chat/completions", TestGateway.chat("gpt-4o")).statusCode()).isEqualTo(200);
      double expected = (10 * 2.0 + 20 * 8.0) / 1_000_000; // the simulator's 10 prompt and 20 completion tokens
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
          assertThat(gw.metrics().sum("orchestrator_provider_cost_dollars_total", "provider", "deal")).isCloseTo(expected, within(1e-12)));
      assertThat(gw.metrics().sum("orchestrator_provider_tokens_total", "provider", "ollama", "type", "prompt")).isEqualTo(10);
      assertThat(gw.metrics().sum("orchestrator_provider_cost_dollars_total", "provider", "ollama")).isZero();
      assertThat(gw.metrics().sum("orchestrator_provider_unpriced_requests_total")).isZero();
    }
  }
}
