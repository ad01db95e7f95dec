package dev.ossaat.orchestrator.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** The simulator's one ObjectMapper and the JSON helpers shared by its handlers. */
final class SimJson {
  static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private SimJson() {}

  /** {@code value} as a JSON string literal, quotes included. */
  static String quote(String value) {
    return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + '"';
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Parses a possibly partial profile: the fields it gives override {@code base}, the others keep base's values.
   *
   * @throws BadRequestException when the body is not a JSON object or a value is invalid
   */
  static SimProfile readProfile(byte[] json, SimProfile base) {
    JsonNode partial = readObject(json);
    ObjectNode merged = MAPPER.valueToTree(base);
    merged.setAll((ObjectNode) partial);
    try {
      return MAPPER.treeToValue(merged, SimProfile.class);
    } catch (JsonProcessingException e) {
      // The profile's own validation message says more than Jackson's wrapper around it.
      String reason = e.getCause() instanceof IllegalArgumentException ? e.getCause().getMessage()
          : e.getOriginalMessage();
      throw new BadRequestException("Invalid simulator profile: " + reason);
    }
  }

  /** @throws BadRequestException when the body is not a JSON object */
  static JsonNode readObject(byte[] json) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw new BadRequestException("We could not parse the JSON body of your request.");
    }
    if (root == null || !root.isObject()) {
      throw new BadRequestException("The request body must be a JSON object.");
    }
    return root;
  }
}
