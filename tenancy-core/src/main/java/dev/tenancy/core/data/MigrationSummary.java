package dev.tenancy.core.data;

import java.util.Collection;
import java.util.Objects;

/**
 * How many migration targets (tenants, and shared schemas) are in each {@link MigrationState}.
 *
 * @param pending targets waiting to be migrated
 * @param running targets a run holds now
 * @param done targets that are current
 * @param failed targets whose last attempt failed
 */
public record MigrationSummary(long pending, long running, long done, long failed) {

  /**
   * Checks the counts.
   *
   * @throws IllegalArgumentException if a count is negative
   */
  public MigrationSummary {
    if (pending < 0 || running < 0 || done < 0 || failed < 0) {
      throw new IllegalArgumentException("counts must not be negative: pending=" + pending + ", running=" + running
          + ", done=" + done + ", failed=" + failed);
    }
  }

  /**
   * Counts statuses by state.
   *
   * @param statuses the statuses
   * @return the counts
   */
  public static MigrationSummary of(Collection<TenantMigrationStatus> statuses) {
    long[] counts = new long[MigrationState.values().length];
    for (TenantMigrationStatus status : statuses) {
      counts[status.state().ordinal()]++;
    }
    return new MigrationSummary(counts[MigrationState.PENDING.ordinal()], counts[MigrationState.RUNNING.ordinal()],
        counts[MigrationState.DONE.ordinal()], counts[MigrationState.FAILED.ordinal()]);
  }

  /**
   * @param state a state
   * @return how many targets are in it
   */
  public long count(MigrationState state) {
    switch (Objects.requireNonNull(state, "state")) {
      case PENDING:
        return pending;
      case RUNNING:
        return running;
      case DONE:
        return done;
      case FAILED:
        return failed;
      default:
        throw new IllegalArgumentException("Unknown migration state " + state);
    }
  }

  /** @return all targets */
  public long total() {
    return pending + running + done + failed;
  }
}
