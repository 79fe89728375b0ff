package dev.tenancy.jdbc.migration;

import dev.tenancy.core.data.MigrationState;
import dev.tenancy.core.data.TenantMigrationStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one {@link MigrationWaves#run()} did, target by target counted once.
 *
 * @param runId the run's id, as written into the status records it claimed
 * @param startedAt when the run started
 * @param duration how long it took
 * @param targets the targets it considered: tenants with their own schema or database, plus shared schemas
 * @param upToDate targets found current: by the fast check, by Flyway (which then applied nothing), or because another
 *     run finished them meanwhile
 * @param migrated targets to which this run applied at least one migration
 * @param failed targets whose migration failed in this run
 * @param pending targets left waiting because the run stopped early
 * @param heldElsewhere targets another run held (a live lease), or took over while this run migrated them
 * @param failures the failed targets' records, with their errors
 * @param stoppedBecause why the run stopped before the end (a canary or a shared schema failed, too many failures),
 *     or {@code null} if it went through
 */
public record MigrationReport(
    String runId,
    Instant startedAt,
    Duration duration,
    int targets,
    int upToDate,
    int migrated,
    int failed,
    int pending,
    int heldElsewhere,
    List<TenantMigrationStatus> failures,
    @Nullable String stoppedBecause) {

  /**
   * Checks and copies.
   *
   * @throws IllegalArgumentException if a count is negative
   */
  public MigrationReport {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(duration, "duration");
    failures = List.copyOf(failures);
    if (targets < 0 || upToDate < 0 || migrated < 0 || failed < 0 || pending < 0 || heldElsewhere < 0) {
      throw new IllegalArgumentException("counts must not be negative");
    }
  }

  /**
   * How many targets the run left in a state.
   *
   * @param state a state
   * @return {@link MigrationState#DONE}: up to date plus migrated; {@link MigrationState#FAILED}: failed;
   *     {@link MigrationState#PENDING}: pending; {@link MigrationState#RUNNING}: held by other runs
   */
  public int count(MigrationState state) {
    switch (Objects.requireNonNull(state, "state")) {
      case DONE:
        return upToDate + migrated;
      case FAILED:
        return failed;
      case PENDING:
        return pending;
      case RUNNING:
        return heldElsewhere;
      default:
        throw new IllegalArgumentException("Unknown migration state " + state);
    }
  }

  /** @return {@code true} if every target is current: nothing failed, waits, or is held by another run */
  public boolean complete() {
    return failed == 0 && pending == 0 && heldElsewhere == 0 && stoppedBecause == null;
  }

  /** @return why the run stopped early, or empty */
  public Optional<String> findStopReason() {
    return Optional.ofNullable(stoppedBecause);
  }

  /** @return the targets checked per second over the whole run */
  public double targetsPerSecond() {
    double seconds = duration.toNanos() / 1e9;
    return seconds <= 0 ? targets : targets / seconds;
  }
}
