package dev.ossaat.orchestrator.batching;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The inputs of one embeddings request as a list OpenAI's API accepts combined with others': texts
 * ({@code "input": "a"} or {@code ["a", "b"]}) or token arrays ({@code [1, 2]} or {@code [[1, 2], [3]]}).
 * Texts and token arrays are never mixed in one call. {@link #weight} apportions the combined call's
 * token count: characters of a text, tokens of a token array.
 */
record EmbeddingInputs(boolean tokens, List<JsonNode> items, long[] weights) {
  /** Null when the input has no batchable form (absent, empty, mixed): such a request goes alone. */
  static EmbeddingInputs of(JsonNode input) {
    if (input == null) return null;
    if (input.isTextual()) return new EmbeddingInputs(false, List.of(input), new long[] {Math.max(1, input.textValue().length())});
    if (!input.isArray() || input.isEmpty()) return null;
    if (input.get(0).isNumber()) {
      for (JsonNode n : input) if (!n.isNumber()) return null;
      return new EmbeddingInputs(true, List.of(input), new long[] {input.size()});
    }
    boolean tokens = input.get(0).isArray();
    List<JsonNode> items = new ArrayList<>(input.size());
    long[] weights = new long[input.size()];
    int i = 0;
    for (JsonNode item : input) {
      if (tokens ? !item.isArray() : !item.isTextual()) return null;
      items.add(item);
      weights[i++] = Math.max(1, tokens ? item.size() : item.textValue().length());
    }
    return new EmbeddingInputs(tokens, items, weights);
  }

  int size() {
    return items.size();
  }

  long weight() {
    long w = 0;
    for (long x : weights) w += x;
    return w;
  }
}
