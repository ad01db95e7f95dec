package dev.ossaat.orchestrator.config;

/**
 * TLS towards one provider ({@code providers.<name>.tls}).
 *
 * @param insecureSkipVerify accept any server certificate (a test endpoint with a self-signed
 *     certificate; never for a paid API, the credential would go to whoever answers)
 * @param caFile a PEM file of CA certificates to trust instead of the JVM's, or null for the JVM's
 */
public record TlsConfig(boolean insecureSkipVerify, String caFile) {
  public static final TlsConfig DEFAULTS = new TlsConfig(false, null);
}
