package dev.tenancy.crypto.memory;

import dev.tenancy.core.TenantId;
import dev.tenancy.crypto.DataKeyConflictException;
import dev.tenancy.crypto.spi.TenantKeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link TenantKeyStore} in memory: for tests, demos and a single instance. Nothing survives a restart, which makes
 * it the natural partner of {@link dev.tenancy.crypto.DevelopmentKekProvider}.
 *
 * @since 0.1.0
 */
public final class InMemoryTenantKeyStore implements TenantKeyStore {

  // Per tenant a sorted map guarded by the map's compute lock: add/rewrap/destroy of one tenant are atomic.
  private final ConcurrentMap<TenantId, TreeMap<Integer, TenantDataKey>> keys = new ConcurrentHashMap<>();

  /** Creates an empty store. */
  public InMemoryTenantKeyStore() {}

  @Override
  public void add(TenantDataKey key) {
    Objects.requireNonNull(key, "key");
    keys.compute(key.tenant(), (tenant, versions) -> {
      TreeMap<Integer, TenantDataKey> next = versions == null ? new TreeMap<>() : new TreeMap<>(versions);
      if (next.putIfAbsent(key.version(), key) != null) {
        throw new DataKeyConflictException(tenant, key.version(), "Tenant " + tenant + " already has key version "
            + key.version() + "; another instance rotated at the same time, reload the versions and retry");
      }
      return next;
    });
  }

  @Override
  public Optional<TenantDataKey> find(TenantId tenant, int version) {
    Map<Integer, TenantDataKey> versions = keys.get(Objects.requireNonNull(tenant, "tenant"));
    return versions == null ? Optional.empty() : Optional.ofNullable(versions.get(version));
  }

  @Override
  public List<TenantDataKey> versions(TenantId tenant) {
    Map<Integer, TenantDataKey> versions = keys.get(Objects.requireNonNull(tenant, "tenant"));
    return versions == null ? List.of() : List.copyOf(versions.values());
  }

  @Override
  public void rewrap(TenantDataKey key) {
    Objects.requireNonNull(key, "key");
    keys.compute(key.tenant(), (tenant, versions) -> {
      if (versions == null || !versions.containsKey(key.version())) {
        throw new DataKeyConflictException(tenant, key.version(), "Tenant " + tenant + " has no key version "
            + key.version() + " to re-wrap; it was destroyed meanwhile");
      }
      TreeMap<Integer, TenantDataKey> next = new TreeMap<>(versions);
      next.put(key.version(), key);
      return next;
    });
  }

  @Override
  public int destroy(TenantId tenant) {
    Map<Integer, TenantDataKey> removed = keys.remove(Objects.requireNonNull(tenant, "tenant"));
    return removed == null ? 0 : removed.size();
  }

  @Override
  public int retire(TenantId tenant, int version) {
    Objects.requireNonNull(tenant, "tenant");
    int[] removed = {0};
    keys.computeIfPresent(tenant, (id, versions) -> {
      if (!versions.containsKey(version)) {
        return versions;
      }
      removed[0] = 1;
      TreeMap<Integer, TenantDataKey> next = new TreeMap<>(versions);
      next.remove(version);
      return next.isEmpty() ? null : next;
    });
    return removed[0];
  }

  @Override
  public List<TenantId> tenants() {
    return new ArrayList<>(keys.keySet());
  }

  @Override
  public String toString() {
    return "InMemoryTenantKeyStore[" + keys.size() + " tenants]";
  }
}
