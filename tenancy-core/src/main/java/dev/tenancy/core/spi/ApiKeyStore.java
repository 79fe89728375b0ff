package dev.tenancy.core.spi;

import dev.tenancy.core.TenantId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where API keys are kept, as {@link ApiKeyRecord}s: metadata and a hash, never a key's secret.
 *
 * <p>{@code dev.tenancy.core.identity.ApiKeyService} reads the store on every authentication — there is no cache in
 * front of it, so a revocation written here refuses the key at once, on every instance sharing the store. Reads by id
 * must therefore be cheap (a primary-key lookup). Every implementation should pass
 * {@code dev.tenancy.test.ApiKeyStoreCompatibilityKit} from {@code tenancy-test}.
 *
 * @since 0.1.0
 */
public interface ApiKeyStore {

  /**
   * Stores a new key, unless its id is taken.
   *
   * @param record the key
   * @return {@code true} if stored, {@code false} if a key with that id exists (the caller picks another id)
   */
  boolean insert(ApiKeyRecord record);

  /**
   * @param id a key id
   * @return the key, revoked and expired ones included, or empty
   */
  Optional<ApiKeyRecord> findById(String id);

  /**
   * Lists a tenant's keys (or the platform keys), revoked and expired ones included.
   *
   * @param tenant a tenant, or {@code null} for the platform keys
   * @return the keys, oldest first (ties by id)
   */
  List<ApiKeyRecord> findByTenant(@Nullable TenantId tenant);

  /**
   * Revokes a key. Revoking a revoked key changes nothing: the first revocation time stays.
   *
   * @param id the key id
   * @param at when
   * @return the key as stored afterwards, or empty if there is no such key
   */
  Optional<ApiKeyRecord> revoke(String id, Instant at);

  /**
   * Makes a key expire no later than {@code at}: an earlier expiry stays.
   *
   * @param id the key id
   * @param at the latest expiry
   * @return the key as stored afterwards, or empty if there is no such key
   */
  Optional<ApiKeyRecord> expireBy(String id, Instant at);

  /**
   * Revokes every key of a tenant that is not revoked yet (when the tenant is deleted).
   *
   * @param tenant the tenant
   * @param at when
   * @return how many keys were revoked now
   */
  int revokeAll(TenantId tenant, Instant at);
}
