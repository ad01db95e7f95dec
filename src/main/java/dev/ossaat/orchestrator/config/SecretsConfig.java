package dev.ossaat.orchestrator.config;

import java.nio.file.Path;

/** Where mounted secret files live: one file per credential, named like its environment variable. */
public record SecretsConfig(Path dir) {
  public static final Path DEFAULT_DIR = Path.of("/etc/orchestrator/secrets");
}
