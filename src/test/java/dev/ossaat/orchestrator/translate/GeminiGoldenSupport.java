package dev.ossaat.orchestrator.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/** What the Gemini golden tests share: the model, the provider headers kept, the simulator's numbered ids. */
final class GeminiGoldenSupport {
  static final String MODEL = "gemini-2.5-flash";
  private static final Pattern SIM_IDS = Pattern.compile("gemini_sim_\\d+");

  private GeminiGoldenSupport() {}

  /** The Gemini credential header (redacted by the simulator) beside the ones the base keeps. */
  static ObjectNode withGoogleKey(ObjectNode part, ObjectNode last) {
    JsonNode key = last.path("headers").get("x-goog-api-key");
    if (key != null) ((ObjectNode) part.get("headers")).set("x-goog-api-key", key);
    return part;
  }

  static JsonNode normalise(JsonNode actual) {
    return GoldenTestBase.parse(SIM_IDS.matcher(actual.toString()).replaceAll("gemini_sim_N"));
  }
}
