package dev.tenancy.core.data;

/**
 * Where one tenant's schema migration stands, as recorded by a migration run.
 *
 * <pre>
 *   PENDING ──claim──▶ RUNNING ──▶ DONE
 *      ▲                  │  └────▶ FAILED ──claim (retry)──▶ RUNNING
 *      └── new release ───┘ (a lease that ran out: the next run claims it again)
 * </pre>
 */
public enum MigrationState {
  /** Known to need migrating and not yet started (or a run stopped before reaching it). */
  PENDING,
  /** Claimed by a run whose lease has not run out; no other run migrates it meanwhile. */
  RUNNING,
  /** Migrated to the latest version the run knew of, or found already current. */
  DONE,
  /** The last attempt failed; {@link TenantMigrationStatus#error()} says why. The next run retries it. */
  FAILED
}
