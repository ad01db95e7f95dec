package dev.ossaat.orchestrator.sim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * How one scenario of the simulator behaves: latency, stream shape, reported usage and the fault it injects.
 * Immutable; derive variants with the {@code with...} methods from {@link #defaults()}. In JSON the fields keep
 * their camelCase names, and a missing field takes its default, so partial profiles are valid.
 *
 * @param latencyMs delay before the response headers
 * @param jitterMs uniformly random extra delay, 0..jitterMs, added to latencyMs
 * @param ttftMs streaming only: delay between the headers and the first chunk
 * @param chunks number of content delta chunks in a stream (the content is split across them)
 * @param chunkIntervalMs delay between successive content chunks of a stream
 * @param content the assistant message
 * @param fault the fault injected into requests
 * @param faultRate probability, 0..1, that a request gets the fault
 * @param faultCount the fault applies to at most this many requests, then the scenario behaves normally;
 *     -1 is unlimited
 * @param errorStatus HTTP status of {@link Fault#ERROR}
 * @param retryAfterSeconds {@code Retry-After} header of {@link Fault#RATE_LIMIT}, none when null
 * @param retryAfterMs {@code retry-after-ms} header of {@link Fault#RATE_LIMIT}, none when null
 * @param cutAfterChunks {@link Fault#CUT_STREAM}: content chunks sent before the connection is closed
 * @param promptTokens the whole input of a request, cached or not (see "Usage" below)
 * @param completionTokens the whole output of a request, reasoning included (see "Usage" below)
 * @param omitUsage never report usage, even when the request asks for it (Anthropic: no {@code usage} objects)
 * @param ignoreEncodingFormat embeddings: answer JSON floats even when the request asks {@code encoding_format:
 *     "base64"}, as several OpenAI-compatible servers do
 * @param requireApiKey when set, OpenAI requests must carry {@code Authorization: Bearer <requireApiKey>} and
 *     Anthropic requests {@code x-api-key: <requireApiKey>}
 * @param cachedPromptTokens the part of promptTokens read from the provider's prompt cache
 * @param cacheCreationTokens Anthropic only: the part of promptTokens written to the prompt cache
 * @param reasoningTokens OpenAI only: the part of completionTokens spent on reasoning
 *
 * <p><b>Usage.</b> Each format reports the same totals its own way, so that the total input is promptTokens in
 * both. With P = promptTokens, C = completionTokens (or the request's max_tokens when that is smaller),
 * R = cachedPromptTokens, W = cacheCreationTokens, T = reasoningTokens:
 * <ul>
 *   <li>OpenAI: {@code {"prompt_tokens":P,"completion_tokens":C,"total_tokens":P+C}}, followed by
 *       {@code "prompt_tokens_details":{"cached_tokens":R}} only when R &gt; 0 and
 *       {@code "completion_tokens_details":{"reasoning_tokens":min(T,C)}} only when T &gt; 0. W is ignored.
 *       Embeddings report {@code {"prompt_tokens":P,"total_tokens":P}}.
 *   <li>Anthropic: {@code {"input_tokens":max(0,P-R-W),"output_tokens":C,"cache_creation_input_tokens":W,
 *       "cache_read_input_tokens":R}}, always all four; a stream's {@code message_start} carries the same
 *       object with {@code "output_tokens":1}, its {@code message_delta} {@code {"output_tokens":C}}. T is
 *       ignored. {@code count_tokens} answers {@code {"input_tokens":P}}.
 * </ul>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SimProfile(
    int latencyMs,
    int jitterMs,
    int ttftMs,
    int chunks,
    int chunkIntervalMs,
    String content,
    Fault fault,
    double faultRate,
    int faultCount,
    int errorStatus,
    Integer retryAfterSeconds,
    Integer retryAfterMs,
    int cutAfterChunks,
    int promptTokens,
    int completionTokens,
    boolean omitUsage,
    String requireApiKey,
    int cachedPromptTokens,
    int cacheCreationTokens,
    int reasoningTokens,
    boolean ignoreEncodingFormat) {

  private static final SimProfile DEFAULTS =
      new SimProfile(0, 0, 0, 5, 0, "Hello from the simulator.", Fault.NONE, 1.0, -1, 500, null, null, 2, 10, 20,
          false, null, 0, 0, 0, false);

  public SimProfile {
    requireNonNegative("latencyMs", latencyMs);
    requireNonNegative("jitterMs", jitterMs);
    requireNonNegative("ttftMs", ttftMs);
    requireNonNegative("chunkIntervalMs", chunkIntervalMs);
    requireNonNegative("cutAfterChunks", cutAfterChunks);
    requireNonNegative("promptTokens", promptTokens);
    requireNonNegative("completionTokens", completionTokens);
    requireNonNegative("cachedPromptTokens", cachedPromptTokens);
    requireNonNegative("cacheCreationTokens", cacheCreationTokens);
    requireNonNegative("reasoningTokens", reasoningTokens);
    if (chunks < 1) {
      throw new IllegalArgumentException("chunks must be at least 1, was " + chunks);
    }
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(fault, "fault");
    if (!(faultRate >= 0.0 && faultRate <= 1.0)) {
      throw new IllegalArgumentException("faultRate must be within 0..1, was " + faultRate);
    }
    if (faultCount < -1) {
      throw new IllegalArgumentException("faultCount must be -1 (unlimited) or more, was " + faultCount);
    }
    if (errorStatus < 400 || errorStatus > 599) {
      throw new IllegalArgumentException("errorStatus must be a 4xx or 5xx status, was " + errorStatus);
    }
    if (retryAfterSeconds != null) {
      requireNonNegative("retryAfterSeconds", retryAfterSeconds);
    }
    if (retryAfterMs != null) {
      requireNonNegative("retryAfterMs", retryAfterMs);
    }
  }

  /** A healthy provider: no latency, five chunks, fixed usage. */
  public static SimProfile defaults() {
    return DEFAULTS;
  }

  /**
   * Jackson's entry point. Boxed parameters tell a missing field (null) from a given one, so a partial JSON
   * profile keeps the defaults for what it leaves out.
   */
  @JsonCreator
  static SimProfile fromJson(
      @JsonProperty("latencyMs") Integer latencyMs,
      @JsonProperty("jitterMs") Integer jitterMs,
      @JsonProperty("ttftMs") Integer ttftMs,
      @JsonProperty("chunks") Integer chunks,
      @JsonProperty("chunkIntervalMs") Integer chunkIntervalMs,
      @JsonProperty("content") String content,
      @JsonProperty("fault") Fault fault,
      @JsonProperty("faultRate") Double faultRate,
      @JsonProperty("faultCount") Integer faultCount,
      @JsonProperty("errorStatus") Integer errorStatus,
      @JsonProperty("retryAfterSeconds") Integer retryAfterSeconds,
      @JsonProperty("retryAfterMs") Integer retryAfterMs,
      @JsonProperty("cutAfterChunks") Integer cutAfterChunks,
      @JsonProperty("promptTokens") Integer promptTokens,
      @JsonProperty("completionTokens") Integer completionTokens,
      @JsonProperty("omitUsage") Boolean omitUsage,
      @JsonProperty("requireApiKey") String requireApiKey,
      @JsonProperty("cachedPromptTokens") Integer cachedPromptTokens,
      @JsonProperty("cacheCreationTokens") Integer cacheCreationTokens,
      @JsonProperty("reasoningTokens") Integer reasoningTokens,
      @JsonProperty("ignoreEncodingFormat") Boolean ignoreEncodingFormat) {
    SimProfile d = DEFAULTS;
    return new SimProfile(
        or(latencyMs, d.latencyMs),
        or(jitterMs, d.jitterMs),
        or(ttftMs, d.ttftMs),
        or(chunks, d.chunks),
        or(chunkIntervalMs, d.chunkIntervalMs),
        or(content, d.content),
        or(fault, d.fault),
        or(faultRate, d.faultRate),
        or(faultCount, d.faultCount),
        or(errorStatus, d.errorStatus),
        retryAfterSeconds,
        retryAfterMs,
        or(cutAfterChunks, d.cutAfterChunks),
        or(promptTokens, d.promptTokens),
        or(completionTokens, d.completionTokens),
        or(omitUsage, d.omitUsage),
        requireApiKey,
        or(cachedPromptTokens, d.cachedPromptTokens),
        or(cacheCreationTokens, d.cacheCreationTokens),
        or(reasoningTokens, d.reasoningTokens),
        or(ignoreEncodingFormat, d.ignoreEncodingFormat));
  }

  public SimProfile withLatencyMs(int value) {
    return new SimProfile(value, jitterMs, ttftMs, chunks, chunkIntervalMs, content, fault, faultRate, faultCount,
        errorStatus, retryAfterSeconds, retryAfterMs, cutAfterChunks, promptTokens, completionTokens, omitUsage,
        requireApiKey, cachedPromptTokens, cacheCreationTokens, reasoningTokens, ignoreEncodingFormat);
  }

  public SimProfile withJitterMs(int value) {
    return new SimProfile(latencyMs, value, ttftMs, chunks, chunkIntervalMs, content, fault, faultRate, faultCount,
        errorStatus, retryAfterSeconds, retryAfterMs, cutAfterChunks, promptTokens, completionTokens, omitUsage,
        requireApiKey, cachedPromptTokens, cacheCreationTokens, reasoningTokens, ignoreEncodingFormat);
  }

  public SimProfile withTtftMs(int value) {
    return new SimProfile(latencyMs, jitterMs, value, chunks, chunkIntervalMs, content, fault, faultRate, faultCount,
        errorStatus, retryAfterSeconds, retryAfterMs, cutAfterChunks, promptTokens, completionTokens, omitUsage,
        requireApiKey, cachedPromptTokens, cacheCreationTokens, reasoningTokens, ignoreEncodingFormat);
  }

  public SimProfile withChunks(int value) {
    return new SimProfile(latencyMs, jitterMs, ttftMs, value, chunkIntervalMs, content, fault, faultRate, faultCount,
        errorStatus, retryAfterSeconds, retryAfterMs, cutAfterChunks, promptTokens, completionTokens, omitUsage,
        requireApiKey, cachedPromptTokens, cacheCreationTokens, reasoningTokens, ignoreEncodingFormat);
  }

  public SimProfile withChunkIntervalMs(int value) {
    return new SimProfile(latencyMs, jitterMs, ttftMs, chunks, value, content, fault, faultRate, faultCount,
        errorStatus, retryAfterSeconds, retryAfterMs, cutAfterChunks, promptTokens, completionTokens, omitUsage,
        requireApiKey, cachedPromptTokens, cacheCreationTokens, reasoningTokens, ignoreEncodingFormat);
  }

  public SimProfile withContent(String value) {
    return new SimProfile(latencyMs, jitterMs, ttftMs, chunks, chunkIntervalMs, value, fault, faultRate, faultCount,
        errorStatus, retryAfterSeconds, retryAfterMs, cutAfterChunks, promptTokens, completionTokens, omitUsage,
        requireApiKey, cachedPromptTokens, cacheCreationTokens, reasoningTokens, ignoreEncodingFormat);
  }

  public SimProfile withFault(Fault value) {
    return new SimProfile(latencyMs, jitterMs, ttftMs, chunks, chunkIntervalMs, content, value, faultRate, faultCount,
        errorStatus, retryAfterSeconds, retryAfterMs, cutAfterChunks, promptTokens, completionTokens, omitUsage,
        requireApiKey, cachedPromptTokens, cacheCreationTokens, reasoningTokens, ignoreEncodingFormat);
  }

  public SimProfile withFaultRate(double value) {
    return new SimProfile(latencyMs, jitterMs, ttftMs, chunks, chunkIntervalMs, content, fault, value, faultCount,
        errorStatus, retryAfterSeconds, retryAfterMs, cutAfterChunks, promptTokens, completionTokens, omitUsage,
        requireApiKey, cachedPromptTokens, cacheCreationTokens, reasoningTokens, ignoreEncodingFormat);
  }

  public SimProfile withFaultCount(int value) {
    return new SimProfile(latencyMs, jitterMs, ttftMs, chunks, chunkIntervalMs, content, fault, faultRate, value,
        errorStatus, retryAfterSeconds, retryAfterMs, cutAfterChunks, promptTokens, completionTokens, omitUsage,
        requireApiKey, cachedPromptTokens, cacheCreationTokens, reasoningTokens, ignoreEncodingFormat);
  }

  public SimProfile withErrorStatus(int value) {
    return new SimProfile(latencyMs, jitterMs, ttftMs, chunks, chunkIntervalMs, content, fault, faultRate, faultCount,
        value, retryAfterSeconds, retryAfterMs, cutAfterChunks, promptTokens, completionTokens, omitUsage,
        requireApiKey, cachedPromptTokens, cacheCreationTokens, reasoningTokens, ignoreEncodingFormat);
  }

  public SimProfile withRetryAfterSeconds(Integer value) {
    return new SimProfile(latencyMs, jitterMs, ttftMs, chunks, chunkIntervalMs, content, fault, faultRate, faultCount,
        errorStatus, value, retryAfterMs, cutAfterChunks, promptTokens, completionTokens, omitUsage, requireApiKey,
        cachedPromptTokens, cacheCreationTokens, reasoningTokens, ignoreEncodingFormat);
  }

  public SimProfile withRetryAfterMs(Integer value) {
    return new SimProfile(latencyMs, jitterMs, ttftMs, chunks, chunkIntervalMs, content, fault, faultRate, faultCount,
        errorStatus, retryAfterSeconds, value, cutAfterChunks, promptTokens, completionTokens, omitUsage,
        requireApiKey, cachedPromptTokens, cacheCreationTokens, reasoningTokens, ignoreEncodingFormat);
  }

  public SimProfile withCutAfterChunks(int value) {
    return new SimProfile(latencyMs, jitterMs, ttftMs, chunks, chunkIntervalMs, content, fault, faultRate, faultCount,
        errorStatus, retryAfterSeconds, retryAfterMs, value, promptTokens, completionTokens, omitUsage, requireApiKey,
        cachedPromptTokens, cacheCreationTokens, reasoningTokens, ignoreEncodingFormat);
  }

  public SimProfile withPromptTokens(int value) {
    return new SimProfile(latencyMs, jitterMs, ttftMs, chunks, chunkIntervalMs, content, fault, faultRate, faultCount,
        errorStatus, retryAfterSeconds, retryAfterMs, cutAfterChunks, value, completionTokens, omitUsage,
        requireApiKey, cachedPromptTokens, cacheCreationTokens, reasoningTokens, ignoreEncodingFormat);
  }

  public SimProfile withCompletionTokens(int value) {
    return new SimProfile(latencyMs, jitterMs, ttftMs, chunks, chunkIntervalMs, content, fault, faultRate, faultCount,
        errorStatus, retryAfterSeconds, retryAfterMs, cutAfterChunks, promptTokens, value, omitUsage, requireApiKey,
        cachedPromptTokens, cacheCreationTokens, reasoningTokens, ignoreEncodingFormat);
  }

  public SimProfile withOmitUsage(boolean value) {
    return new SimProfile(latencyMs, jitterMs, ttftMs, chunks, chunkIntervalMs, content, fault, faultRate, faultCount,
        errorStatus, retryAfterSeconds, retryAfterMs, cutAfterChunks, promptTokens, completionTokens, value,
        requireApiKey, cachedPromptTokens, cacheCreationTokens, reasoningTokens, ignoreEncodingFormat);
  }

  public SimProfile withRequireApiKey(String value) {
    return new SimProfile(latencyMs, jitterMs, ttftMs, chunks, chunkIntervalMs, content, fault, faultRate, faultCount,
        errorStatus, retryAfterSeconds, retryAfterMs, cutAfterChunks, promptTokens, completionTokens, omitUsage,
        value, cachedPromptTokens, cacheCreationTokens, reasoningTokens, ignoreEncodingFormat);
  }

  public SimProfile withCachedPromptTokens(int value) {
    return new SimProfile(latencyMs, jitterMs, ttftMs, chunks, chunkIntervalMs, content, fault, faultRate, faultCount,
        errorStatus, retryAfterSeconds, retryAfterMs, cutAfterChunks, promptTokens, completionTokens, omitUsage,
        requireApiKey, value, cacheCreationTokens, reasoningTokens, ignoreEncodingFormat);
  }

  public SimProfile withCacheCreationTokens(int value) {
    return new SimProfile(latencyMs, jitterMs, ttftMs, chunks, chunkIntervalMs, content, fault, faultRate, faultCount,
        errorStatus, retryAfterSeconds, retryAfterMs, cutAfterChunks, promptTokens, completionTokens, omitUsage,
        requireApiKey, cachedPromptTokens, value, reasoningTokens, ignoreEncodingFormat);
  }

  public SimProfile withReasoningTokens(int value) {
    return new SimProfile(latencyMs, jitterMs, ttftMs, chunks, chunkIntervalMs, content, fault, faultRate, faultCount,
        errorStatus, retryAfterSeconds, retryAfterMs, cutAfterChunks, promptTokens, completionTokens, omitUsage,
        requireApiKey, cachedPromptTokens, cacheCreationTokens, value, ignoreEncodingFormat);
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }

  private static void requireNonNegative(String field, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must not be negative, was " + value);
    }
  }
}
