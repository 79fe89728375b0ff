package dev.tenancy.core.memory;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.identity.ApiKey;
import dev.tenancy.core.spi.ApiKeyRecord;
import dev.tenancy.core.spi.ApiKeyStore;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * An {@link ApiKeyStore} in memory: for tests, demos and embedded single-instance use. Nothing survives a restart, so
 * every key issued is lost with the process.
 *
 * <p>Thread-safe: records live in a concurrent map by id; inserts are {@code putIfAbsent} and changes are atomic
 * {@code computeIfPresent} calls, so a revocation is visible to the next authentication on any thread.
 *
 * <pre>{@code
 * ApiKeyService keys = ApiKeyService.builder()
 *     .store(new InMemoryApiKeyStore())
 *     .tenants(tenantService)
 *     .build();
 * }</pre>
 *
 * @since 0.1.0
 */
public final class InMemoryApiKeyStore implements ApiKeyStore {

  private static final Comparator<ApiKeyRecord> OLDEST_FIRST =
      Comparator.comparing((ApiKeyRecord r) -> r.key().createdAt()).thenComparing(ApiKeyRecord::id);

  private final ConcurrentMap<String, ApiKeyRecord> keys = new ConcurrentHashMap<>();

  /** Creates an empty store. */
  public InMemoryApiKeyStore() {
  }

  @Override
  public boolean insert(ApiKeyRecord record) {
    Objects.requireNonNull(record, "record");
    return keys.putIfAbsent(record.id(), record) == null;
  }

  @Override
  public Optional<ApiKeyRecord> findById(String id) {
    return Optional.ofNullable(keys.get(Objects.requireNonNull(id, "id")));
  }

  @Override
  public List<ApiKeyRecord> findByTenant(@Nullable TenantId tenant) {
    return keys.values().stream()
        .filter(r -> Objects.equals(r.key().tenant(), tenant))
        .sorted(OLDEST_FIRST)
        .toList();
  }

  @Override
  public Optional<ApiKeyRecord> revoke(String id, Instant at) {
    Objects.requireNonNull(at, "at");
    return Optional.ofNullable(keys.computeIfPresent(Objects.requireNonNull(id, "id"),
        (k, r) -> r.key().revokedAt() != null ? r : r.withKey(r.key().withRevokedAt(at))));
  }

  @Override
  public Optional<ApiKeyRecord> expireBy(String id, Instant at) {
    Objects.requireNonNull(at, "at");
    return Optional.ofNullable(keys.computeIfPresent(Objects.requireNonNull(id, "id"), (k, r) -> {
      ApiKey key = r.key();
      return key.expiresAt() != null && !key.expiresAt().isAfter(at) ? r : r.withKey(key.withExpiresAt(at));
    }));
  }

  @Override
  public int revokeAll(TenantId tenant, Instant at) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(at, "at");
    AtomicInteger revoked = new AtomicInteger();
    for (String id : keys.keySet()) {
      keys.computeIfPresent(id, (k, r) -> {
        if (!tenant.equals(r.key().tenant()) || r.key().revokedAt() != null) {
          return r;
        }
        revoked.incrementAndGet();
        return r.withKey(r.key().withRevokedAt(at));
      });
    }
    return revoked.get();
  }

  @Override
  public String toString() {
    return "InMemoryApiKeyStore[" + keys.size() + " keys]";
  }
}
