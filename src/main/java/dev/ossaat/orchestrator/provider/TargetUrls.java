package dev.ossaat.orchestrator.provider;

import java.net.MalformedURLException;
import java.net.URL;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The parsed form of a provider's request URLs, kept once parsed: the same few URLs (base URL plus an
 * endpoint, or a model's path) are sent on every request, and parsing one with {@link URL} each time
 * showed up in the profile. Bounded, because a path may carry the model a client named.
 */
final class TargetUrls {
  private static final int MAX = 512;
  private final ConcurrentHashMap<String, URL> parsed = new ConcurrentHashMap<>();

  @SuppressWarnings("deprecation") // new URL is what RequestOptions.setAbsoluteURI(String) itself uses
  URL parse(String url) {
    URL known = parsed.get(url);
    if (known != null) return known;
    URL fresh;
    try {
      fresh = new URL(url);
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("not a URL: " + e.getMessage(), e);
    }
    if (parsed.size() < MAX) parsed.putIfAbsent(url, fresh);
    return fresh;
  }
}
