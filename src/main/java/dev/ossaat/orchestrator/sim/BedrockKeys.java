package dev.ossaat.orchestrator.sim;

import java.util.Map;

/**
 * The AWS key pairs the simulated Bedrock accepts (it verifies every SigV4 signature with them),
 * and the temporary pair its simulated STS hands out for a web-identity token. Test values only.
 */
public final class BedrockKeys {
  /** A long-term key pair, as in the environment or a shared credentials file. */
  public static final String ACCESS_KEY_ID = "AKIASIMULATOR0000001";
  public static final String SECRET_ACCESS_KEY = "simulatorSecretKey/0000000000000000000001";
  /** The temporary pair of {@code AssumeRoleWithWebIdentity}; it needs its session token. */
  public static final String STS_ACCESS_KEY_ID = "ASIASIMULATOR0000002";
  public static final String STS_SECRET_ACCESS_KEY = "simulatorStsSecret/00000000000000000000002";
  public static final String STS_SESSION_TOKEN = "simulatorSessionToken//00000000000000000000000000000000000000003";
  /** A pair allowed to invoke models but not to list them: the probe's ListFoundationModels gets AccessDeniedException. */
  public static final String INVOKE_ONLY_ACCESS_KEY_ID = "AKIASIMINVOKEONLY003";
  public static final String INVOKE_ONLY_SECRET_ACCESS_KEY = "simulatorInvokeOnly/000000000000000000003";
  /** A web-identity token STS refuses ({@code InvalidIdentityToken}). */
  public static final String BAD_WEB_IDENTITY_TOKEN = "expired-token";

  private BedrockKeys() {}

  /** A key pair: its secret and the session token it must come with (null for long-term keys). */
  record Pair(String secret, String sessionToken) {}

  static final Map<String, Pair> PAIRS = Map.of(
      ACCESS_KEY_ID, new Pair(SECRET_ACCESS_KEY, null),
      STS_ACCESS_KEY_ID, new Pair(STS_SECRET_ACCESS_KEY, STS_SESSION_TOKEN),
      INVOKE_ONLY_ACCESS_KEY_ID, new Pair(INVOKE_ONLY_SECRET_ACCESS_KEY, null));
}
