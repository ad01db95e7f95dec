package dev.ossaat.orchestrator.compat;

import static dev.ossaat.orchestrator.compat.OpenAiCompat.CHAT_MODEL;
import static dev.ossaat.orchestrator.compat.OpenAiCompat.COMPLETION_TOKENS;
import static dev.ossaat.orchestrator.compat.OpenAiCompat.CONTENT;
import static dev.ossaat.orchestrator.compat.OpenAiCompat.EMBEDDING_INPUT_1;
import static dev.ossaat.orchestrator.compat.OpenAiCompat.EMBEDDING_INPUT_2;
import static dev.ossaat.orchestrator.compat.OpenAiCompat.EMBEDDING_MODEL;
import static dev.ossaat.orchestrator.compat.OpenAiCompat.PROMPT_TOKENS;
import static dev.ossaat.orchestrator.compat.OpenAiCompat.SCENARIO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.ossaat.orchestrator.testkit.TestGateway;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** com.openai:openai-java, over real HTTP, against the gateway in front of a simulated OpenAI provider. */
class OpenAiJavaSdkTest {
  private static TestGateway gw;
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    gw = OpenAiCompat.start();
    client = OpenAIOkHttpClient.builder()
        .baseUrl(gw.uri("/v1").toString())
        .apiKey("test-key")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  @AfterAll
  static void stop() {
    if (client != null) client.close();
    if (gw != null) gw.close();
  }

  @BeforeEach
  void healthyProvider() {
    OpenAiCompat.healthy(gw);
  }

  private static ChatCompletionCreateParams.Builder chat() {
    return ChatCompletionCreateParams.builder().model(CHAT_MODEL).addUserMessage("Say hello");
  }

  @Test
  void aPlainCompletionHasTheProvidersContentAndUsage() {
    ChatCompletion c = client.chat().completions().create(chat().build());
    assertThat(c.choices()).hasSize(1);
    assertThat(c.choices().get(0).message().content()).hasValue(CONTENT);
    assertThat(c.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    CompletionUsage usage = c.usage().orElseThrow();
    assertThat(usage.promptTokens()).isEqualTo(PROMPT_TOKENS);
    assertThat(usage.completionTokens()).isEqualTo(COMPLETION_TOKENS);
    assertThat(usage.totalTokens()).isEqualTo(PROMPT_TOKENS + COMPLETION_TOKENS);
  }

  @Test
  void aStreamWithIncludeUsageConcatenatesToTheContentAndEndsWithUsage() {
    ChatCompletionCreateParams params = chat()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    StringBuilder content = new StringBuilder();
    List<CompletionUsage> usages = new ArrayList<>();
    int chunks = 0;
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
      for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
        chunks++;
        chunk.choices().forEach(choice -> choice.delta().content().ifPresent(content::append));
        chunk.usage().ifPresent(usages::add);
      }
    }
    assertThat(content.toString()).isEqualTo(CONTENT);
    assertThat(chunks).isGreaterThan(2); // really streamed: 4 content chunks, a finish chunk, a usage chunk
    assertThat(usages).hasSize(1);
    assertThat(usages.get(0).promptTokens()).isEqualTo(PROMPT_TOKENS);
    assertThat(usages.get(0).completionTokens()).isEqualTo(COMPLETION_TOKENS);
  }

  @Test
  void aStreamTheProviderBreaksRaisesTheSdksErrorNotAQuietEnd() {
    gw.simulate(SCENARIO, OpenAiCompat.profile("\"fault\":\"stream_error\",\"cutAfterChunks\":2"));
    StringBuilder content = new StringBuilder();
    Throwable thrown;
    try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(chat().build())) {
      thrown = org.assertj.core.api.Assertions.catchThrowable(() -> stream.stream()
          .forEach(chunk -> chunk.choices().forEach(choice -> choice.delta().content().ifPresent(content::append))));
    }
    assertThat(thrown).as("a broken stream must fail the SDK call").isInstanceOf(com.openai.errors.OpenAIException.class);
    assertThat(content.toString()).isNotEqualTo(CONTENT);
  }

  @Test
  void embeddingsDecodeToTheProvidersVectors() {
    List<List<Double>> expected = OpenAiCompat.referenceVectors(gw);
    CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder()
        .model(EMBEDDING_MODEL).inputOfArrayOfStrings(List.of(EMBEDDING_INPUT_1, EMBEDDING_INPUT_2)).build());
    assertThat(r.data()).hasSize(2);
    for (int i = 0; i < 2; i++) {
      List<Double> got = r.data().get(i).embedding().stream().map(Float::doubleValue).toList();
      assertThat(got).as("vector %d", i).isEqualTo(expected.get(i));
    }
  }

  @Test
  void aProviderRateLimitRaisesRateLimitExceptionWithRetryAfter() {
    gw.simulate(SCENARIO, OpenAiCompat.profile("\"fault\":\"rate_limit\",\"retryAfterSeconds\":30"));
    long before = OpenAiCompat.providerRequests(gw);
    RateLimitException e = catchThrowableOfType(RateLimitException.class, () -> client.chat().completions().create(chat().build()));
    assertThat(e).isNotNull();
    assertThat(e.statusCode()).isEqualTo(429);
    assertThat(e.headers().values("retry-after")).containsExactly("30");
    assertThat(OpenAiCompat.providerRequests(gw) - before).isEqualTo(1); // maxRetries 0: one call, not retried
  }

  @Test
  void aProvider400RaisesBadRequestException() {
    gw.simulate(SCENARIO, OpenAiCompat.profile("\"fault\":\"error\",\"errorStatus\":400"));
    BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> client.chat().completions().create(chat().build()));
    assertThat(e).isNotNull();
    assertThat(e.statusCode()).isEqualTo(400);
    assertThat(e.getMessage()).contains("simulated upstream error");
  }
}
