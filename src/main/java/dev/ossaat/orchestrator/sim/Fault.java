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
  /** Answer with {@link SimProfile#errorStatus()} and an error body in the request's format. */
  ERROR,
  /** Answer 429 with the optional {@code Retry-After} / {@code retry-after-ms} headers. */
  RATE_LIMIT,
  /** Accept the request and never answer, until the client gives up. */
  HANG,
  /** Close the connection without any HTTP response. */
  RESET,
  /** Start a successful response and close the connection before it is complete. */
  CUT_STREAM,
  /**
   * Streams: after {@link SimProfile#cutAfterChunks()} content chunks, send the format's in-stream error event
   * and end the stream (OpenAI {@code data: {"error":{..."type":"server_error"...}}}, Anthropic
   * {@code event: error} with an {@code overloaded_error}). A request that does not stream gets that error
   * as its HTTP answer instead: 500 (OpenAI) or 529 (Anthropic).
   */
  STREAM_ERROR,
  /**
   * Answer {@link SimProfile#errorStatus()} with an error whose message echoes the credential the
   * request carried ("Incorrect API key provided: ..."), as some providers do: what a gateway must
   * never hand on to its client.
   */
  ECHO_CREDENTIAL;

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
