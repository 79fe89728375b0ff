package dev.tenancy.jdbc.migration;

import dev.tenancy.core.data.TenantMigrationStatus;

/**
 * Follows a {@link MigrationWaves} run, e.g. to log progress or feed a dashboard. Called on the worker threads, so an
 * implementation must be thread-safe and quick; an exception it throws is logged and ignored.
 *
 * <pre>{@code
 * MigrationListener progress = new MigrationListener() {
 *   public void finished(TenantMigrationStatus status) {
 *     log.info("{} {} -> {}", status.location(), status.state(), status.versionAfter());
 *   }
 * };
 * }</pre>
 */
public interface MigrationListener {

  /**
   * A target was claimed and Flyway is about to migrate it.
   *
   * @param running its {@code RUNNING} record
   */
  default void started(TenantMigrationStatus running) {
  }

  /**
   * A target's migration ended and was recorded.
   *
   * @param status its {@code DONE} or {@code FAILED} record
   */
  default void finished(TenantMigrationStatus status) {
  }

  /**
   * A wave of non-canary targets ended.
   *
   * @param wave the wave's number, from 1
   * @param waves how many waves the run has
   */
  default void waveFinished(int wave, int waves) {
  }
}
