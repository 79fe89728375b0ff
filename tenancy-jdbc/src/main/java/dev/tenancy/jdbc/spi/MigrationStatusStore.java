package dev.tenancy.jdbc.spi;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.data.MigrationStatusView;
import dev.tenancy.core.data.TenantMigrationStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * Where migration runs keep one {@link TenantMigrationStatus} per target (tenant schema or database, or shared schema),
 * so that a run can be resumed after a crash and several app instances never migrate one target at the same time.
 *
 * <p>Stores supply only atomic primitives — read, insert-if-absent and compare-and-set on {@link
 * TenantMigrationStatus#revision()} — and the migration runner keeps the state machine (claims, leases, retries), as
 * the quota stores do for rate limits. A shared store (the JDBC one) is what makes claims exclusive across instances;
 * an in-memory store protects only the runs of one process.
 *
 * <p>The admin API reads the same records through {@link MigrationStatusView}.
 */
public interface MigrationStatusStore extends MigrationStatusView {

  /**
   * @param target a target key ({@link TenantMigrationStatus#target()})
   * @return its record, or empty
   */
  Optional<TenantMigrationStatus> find(String target);

  /**
   * Stores a record for a target that has none.
   *
   * @param status the first record of its target
   * @return {@code true} if stored; {@code false} if the target already has a record (nothing changed)
   */
  boolean insert(TenantMigrationStatus status);

  /**
   * Replaces a record only if it is still the one the caller read.
   *
   * @param expected the record as read, whose revision must still be stored
   * @param next the new record: same target, revision {@code expected.revision() + 1}
   * @return {@code true} if replaced; {@code false} if the stored revision differs or the record is gone (nothing
   *     changed)
   * @throws IllegalArgumentException if {@code next} has another target or not the next revision
   */
  boolean replace(TenantMigrationStatus expected, TenantMigrationStatus next);

  /**
   * {@inheritDoc}
   *
   * <p>The default looks the tenant's id up with {@link #find(String)}.
   */
  @Override
  default Optional<TenantMigrationStatus> statusOf(TenantId tenant) {
    return find(Objects.requireNonNull(tenant, "tenant").toString());
  }

  /**
   * Checks the arguments of {@link #replace} as every store must.
   *
   * @param expected the record as read
   * @param next the new record
   * @throws IllegalArgumentException if {@code next} has another target or not the next revision
   */
  static void checkReplacement(TenantMigrationStatus expected, TenantMigrationStatus next) {
    Objects.requireNonNull(expected, "expected");
    Objects.requireNonNull(next, "next");
    if (!expected.target().equals(next.target()) || next.revision() != expected.revision() + 1) {
      throw new IllegalArgumentException("A replacement keeps the target and takes the next revision; expected "
          + expected.target() + "@" + (expected.revision() + 1) + ", was " + next.target() + "@" + next.revision());
    }
  }
}
