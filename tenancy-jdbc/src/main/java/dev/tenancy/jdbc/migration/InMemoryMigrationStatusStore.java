package dev.tenancy.jdbc.migration;

import dev.tenancy.core.data.TenantMigrationStatus;
import dev.tenancy.jdbc.spi.MigrationStatusStore;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link MigrationStatusStore} in a map: for tests, and for a single app instance that does not need statuses to
 * survive a restart. Claims are exclusive only among runs in this process; use {@link JdbcMigrationStatusStore} when
 * several instances may start migrations.
 */
public final class InMemoryMigrationStatusStore implements MigrationStatusStore {

  private static final Comparator<TenantMigrationStatus> BY_LOCATION =
      Comparator.comparing(TenantMigrationStatus::location).thenComparing(TenantMigrationStatus::target);

  private final ConcurrentMap<String, TenantMigrationStatus> records = new ConcurrentHashMap<>();

  /** Creates an empty store. */
  public InMemoryMigrationStatusStore() {
  }

  @Override
  public Optional<TenantMigrationStatus> find(String target) {
    return Optional.ofNullable(records.get(Objects.requireNonNull(target, "target")));
  }

  @Override
  public boolean insert(TenantMigrationStatus status) {
    Objects.requireNonNull(status, "status");
    return records.putIfAbsent(status.target(), status) == null;
  }

  @Override
  public boolean replace(TenantMigrationStatus expected, TenantMigrationStatus next) {
    MigrationStatusStore.checkReplacement(expected, next);
    boolean[] replaced = {false};
    records.computeIfPresent(expected.target(), (target, stored) -> {
      if (stored.revision() != expected.revision()) {
        return stored;
      }
      replaced[0] = true;
      return next;
    });
    return replaced[0];
  }

  @Override
  public List<TenantMigrationStatus> statuses() {
    return records.values().stream().sorted(BY_LOCATION).toList();
  }

  @Override
  public String toString() {
    return "InMemoryMigrationStatusStore[" + records.size() + " targets]";
  }
}
