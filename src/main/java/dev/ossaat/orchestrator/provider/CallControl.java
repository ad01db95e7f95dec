package dev.ossaat.orchestrator.provider;

import java.util.ArrayList;
import java.util.List;

/**
 * Lets the caller abort an attempt (client gone, deadline reached) and lets the adapter register
 * what aborting means for it (reset the upstream request). Used on one event loop only.
 */
public final class CallControl {
  private final List<Runnable> onCancel = new ArrayList<>(2);
  private ProviderException reason;

  public void onCancel(Runnable action) {
    if (reason != null) {
      action.run();
    } else {
      onCancel.add(action);
    }
  }

  /** Aborts the attempt; the first reason wins. */
  public void cancel(ProviderException why) {
    if (reason != null) return;
    reason = why;
    for (Runnable r : onCancel) r.run();
    onCancel.clear();
  }

  public boolean cancelled() {
    return reason != null;
  }

  /** The reason given to {@link #cancel}, or null. */
  public ProviderException reason() {
    return reason;
  }
}
