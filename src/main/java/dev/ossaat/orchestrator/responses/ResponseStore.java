package dev.ossaat.orchestrator.responses;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Where responses are kept for {@code GET /v1/responses/{id}} and {@code previous_response_id},
 * scoped by tenant: a tenant never reads, continues or deletes another's response, whatever id it
 * presents. Operations fail (rather than hang) when the store cannot answer; callers decide what that
 * means for the request.
 */
public interface ResponseStore {
  Future<Optional<StoredResponse>> get(String tenant, String id);

  Future<Void> put(String tenant, StoredResponse response);

  /** @return whether there was such a response */
  Future<Boolean> delete(String tenant, String id);
}
