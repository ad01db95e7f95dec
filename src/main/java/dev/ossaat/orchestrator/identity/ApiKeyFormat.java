package dev.ossaat.orchestrator.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * What a gateway key looks like: {@code ok_live_<id>_<secret>}, the id 12 hex digits (printable, safe
 * in logs, the ledger and the admin API) and the secret 32 random bytes in base64url. Only the key's
 * SHA-256 is stored; a fast hash is right for a 256-bit random secret (nothing to brute-force).
 */
public final class ApiKeyFormat {
  public static final String PREFIX = "ok_live_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeyFormat() {}

  public static String newId() {
    byte[] b = new byte[6];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  public static String newKey(String id) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    return PREFIX + id + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
  }

  /** The key id a presented key claims, or null when it is not one of ours. */
  public static String idOf(String key) {
    if (key == null || !key.startsWith(PREFIX) || key.length() < PREFIX.length() + 14) return null;
    String id = key.substring(PREFIX.length(), PREFIX.length() + 12);
    if (key.charAt(PREFIX.length() + 12) != '_') return null;
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return null;
    }
    return id;
  }

  public static boolean validId(String id) {
    return id != null && id.length() == 12 && idOf(PREFIX + id + "_x") != null;
  }

  public static String sha256(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time, so the comparison's timing tells nothing about the stored hash. */
  public static boolean sameHash(String a, String b) {
    return a != null && b != null
        && MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
  }
}
