package dev.tenancy.core.cache;

import dev.tenancy.core.TenantId;
import java.util.Objects;

/**
 * A cache key qualified by the tenant it belongs to, so that equal user keys of two tenants are different entries.
 *
 * @param tenant the owning tenant
 * @param key the user's key
 * @param <K> the user's key type
 */
record TenantKey<K>(TenantId tenant, K key) {

  TenantKey {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(key, "key");
  }
}
