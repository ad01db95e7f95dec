package dev.ossaat.orchestrator.provider.auth;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The AWS shared files' INI format: {@code [name]} sections in the credentials file,
 * {@code [profile name]} (and {@code [default]}) in the config file, {@code key = value} lines,
 * {@code #} and {@code ;} comments. Only what credentials need is read.
 */
final class AwsProfileFiles {
  private AwsProfileFiles() {}

  /**
   * The settings of {@code profile}: the config file's, overlaid with the credentials file's (which
   * wins, as in the AWS SDKs). Either text may be null (file absent).
   */
  static Map<String, String> profile(String credentialsText, String configText, String profile) {
    Map<String, String> out = new LinkedHashMap<>();
    if (configText != null) {
      Map<String, Map<String, String>> config = parse(configText);
      Map<String, String> section = config.get(profile.equals("default") ? "default" : "profile " + profile);
      if (section == null && profile.equals("default")) section = config.get("profile default");
      if (section != null) out.putAll(section);
    }
    if (credentialsText != null) {
      Map<String, String> section = parse(credentialsText).get(profile);
      if (section != null) out.putAll(section);
    }
    return out;
  }

  static Map<String, Map<String, String>> parse(String text) {
    Map<String, Map<String, String>> sections = new HashMap<>();
    Map<String, String> current = null;
    for (String raw : text.split("\\R")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
      if (line.startsWith("[") && line.endsWith("]")) {
        String name = line.substring(1, line.length() - 1).strip().replaceAll("\\s+", " ");
        current = sections.computeIfAbsent(name, k -> new LinkedHashMap<>());
        continue;
      }
      int eq = line.indexOf('=');
      if (current == null || eq <= 0) continue;
      String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(eq + 1).strip();
      int comment = value.indexOf(" #");
      if (comment >= 0) value = value.substring(0, comment).strip();
      current.put(key, value);
    }
    return sections;
  }
}
