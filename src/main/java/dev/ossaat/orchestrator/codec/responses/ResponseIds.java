package dev.ossaat.orchestrator.codec.responses;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Ids of responses and their output items, in OpenAI's shape ({@code resp_}, {@code msg_}, {@code fc_},
 * {@code rs_} and 48 hex digits). Random, not counted: a response id is what a caller presents to read
 * a stored conversation back, so it must not be guessable (the store is also scoped by tenant).
 */
public final class ResponseIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private ResponseIds() {}

  public static String response() {
    return "resp_" + random();
  }

  static String message() {
    return "msg_" + random();
  }

  static String functionCall() {
    return "fc_" + random();
  }

  static String reasoning() {
    return "rs_" + random();
  }

  private static String random() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return HEX.formatHex(bytes);
  }
}
