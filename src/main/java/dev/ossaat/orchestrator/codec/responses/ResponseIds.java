package dev.ossaat.orchestrator.codec.responses;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Ids of responses and their output items, in OpenAI's shape ({@code resp_}, {@code msg_}, {@code fc_},
 * {@code rs_} and 48 hex digits). Random, not counted: a response id is what a caller presents to read
 * a stored conversation back, so it must not be guessable (the store is also scoped by tenant).
 *
 * <p>Reasoning items orchestrator writes for a translated provider are {@code rs_orc_...}: their
 * {@code encrypted_content} is another provider's signature (Anthropic's), which only that provider can
 * verify, so they are told apart from a Responses provider's own reasoning items wherever they come back.
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

  static final String OUR_REASONING = "rs_orc_";

  static String reasoning() {
    return OUR_REASONING + random();
  }

  /** Whether a reasoning item's id is one orchestrator gave it (its encrypted_content is a translated signature). */
  public static boolean ourReasoning(String id) {
    return id != null && id.startsWith(OUR_REASONING);
  }

  private static String random() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return HEX.formatHex(bytes);
  }
}
