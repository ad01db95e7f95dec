package dev.ossaat.orchestrator.sim;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The failure a simulated provider injects into a request. JSON names are lower case ("rate_limit"). */
public enum Fault {
  /** Answer normally. */
  NONE,
  /** Answer with {@link SimProfile#errorStatus()} and an OpenAI error body. */
  ERROR,
  /** Answer 429 with the optional {@code Retry-After} / {@code retry-after-ms} headers. */
  RATE_LIMIT,
  /** Accept the request and never answer, until the client gives up. */
  HANG,
  /** Close the connection without any HTTP response. */
  RESET,
  /** Start a successful response and close the connection before it is complete. */
  CUT_STREAM;

  @JsonValue
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Fault fromJsonName(String name) {
    for (Fault fault : values()) {
      if (fault.jsonName().equalsIgnoreCase(name)) {
        return fault;
      }
    }
    throw new IllegalArgumentException("unknown fault '" + name + "', expected one of "
        + Arrays.stream(values()).map(Fault::jsonName).collect(Collectors.joining(", ")));
  }
}
