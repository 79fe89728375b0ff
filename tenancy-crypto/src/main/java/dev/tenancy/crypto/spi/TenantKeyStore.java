package dev.tenancy.crypto.spi;

import dev.tenancy.core.TenantId;
import dev.tenancy.crypto.spi.KeyEncryptionKeyProvider.WrappedKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps tenants' wrapped data keys, one row per tenant and key version. Only wrapped keys are stored: a copy of this
 * store without the KEK decrypts nothing. Implementations: in memory ({@code InMemoryTenantKeyStore}) and JDBC
 * ({@code JdbcTenantKeyStore}).
 *
 * @since 0.1.0
 */
public interface TenantKeyStore {

  /**
   * Stores a new key version.
   *
   * @param key the wrapped key
   * @throws dev.tenancy.core.TenancyException (a typed subclass) if that tenant already has that version
   */
  void add(TenantDataKey key);

  /**
   * @param tenant the tenant
   * @param version the key version
   * @return that version of the tenant's key
   */
  Optional<TenantDataKey> find(TenantId tenant, int version);

  /**
   * @param tenant the tenant
   * @return every key version of the tenant, ascending; empty after {@link #destroy}
   */
  List<TenantDataKey> versions(TenantId tenant);

  /**
   * Replaces the wrapping of an existing version (KEK rotation re-wraps keys without touching data).
   *
   * @param key the same tenant and version, wrapped anew
   * @throws dev.tenancy.core.TenancyException (a typed subclass) if that version does not exist
   */
  void rewrap(TenantDataKey key);

  /**
   * Destroys every key version of a tenant (crypto-shredding): afterwards nothing encrypted for it can be decrypted,
   * in this database or in any backup of the data.
   *
   * @param tenant the tenant
   * @return how many key versions were destroyed
   */
  int destroy(TenantId tenant);

  /**
   * Destroys one key version of a tenant: a retired version whose data was re-encrypted under a newer one. Values
   * still encrypted under it can never be decrypted again.
   *
   * @param tenant the tenant
   * @param version the version to destroy
   * @return 1 if it was destroyed, 0 if the tenant had no such version
   * @throws UnsupportedOperationException if the store cannot remove a single version (the default)
   * @since 0.1.0
   */
  default int retire(TenantId tenant, int version) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot destroy a single key version; "
        + "implement TenantKeyStore.retire(tenant, version)");
  }

  /**
   * @return every tenant that has at least one key, for KEK rotation
   */
  List<TenantId> tenants();

  /**
   * One version of a tenant's data key, wrapped.
   *
   * @param tenant the tenant
   * @param version the key version, from 1
   * @param wrapped the data key wrapped by the KEK
   * @param createdAt when this version was created
   */
  record TenantDataKey(TenantId tenant, int version, WrappedKey wrapped, Instant createdAt) {

    /** Checks the parts. */
    public TenantDataKey {
      Objects.requireNonNull(tenant, "tenant");
      Objects.requireNonNull(wrapped, "wrapped");
      Objects.requireNonNull(createdAt, "createdAt");
      if (version < 1) {
        throw new IllegalArgumentException("key versions start at 1, was " + version);
      }
    }
  }
}
