package dev.tenancy.jdbc.migration;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.data.MigrationState;
import dev.tenancy.core.data.TenantMigrationStatus;
import dev.tenancy.jdbc.spi.MigrationStatusStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one run over a {@link MigrationStatusStore}: claiming targets with a lease, renewing the
 * leases of the targets it holds, and recording how each ended — every write a compare-and-set on the record's
 * revision, so that of two runs only one holds a target, and a run that lost its claim cannot overwrite the record of
 * the run that took over.
 */
final class Claims {

  private static final Logger LOG = LoggerFactory.getLogger(MigrationWaves.class);
  /** Lost compare-and-sets in a row before a claim gives up; each loss means another run wrote the record. */
  private static final int MAX_RACES = 8;

  private final MigrationStatusStore store;
  private final Clock clock;
  private final Duration lease;
  private final String runId;
  private final Instant runStarted;
  /** The records this run holds, at their latest revision; guarded by {@code this}. */
  private final Map<String, TenantMigrationStatus> held = new HashMap<>();

  Claims(MigrationStatusStore store, Clock clock, Duration lease, String runId) {
    this.store = store;
    this.clock = clock;
    this.lease = lease;
    this.runId = runId;
    this.runStarted = now();
  }

  String runId() {
    return runId;
  }

  /** How a claim ended. */
  enum Outcome {
    /** This run holds the target now. */
    CLAIMED,
    /** Another run holds the target under a lease that has not run out. */
    HELD_ELSEWHERE,
    /** Another run finished the target at the latest version after this run started. */
    DONE_ELSEWHERE
  }

  /**
   * The result of a claim.
   *
   * @param outcome how it ended
   * @param status the record as stored now (the running one if claimed)
   * @param previous the state the target was in before this run claimed it, or {@code null} if it had no record
   */
  record Claim(Outcome outcome, @Nullable TenantMigrationStatus status, @Nullable MigrationState previous) {
  }

  /**
   * Claims a target for this run.
   *
   * @param target the target
   * @param versionBefore its applied version as last checked
   * @param latestVersion the latest version the locations hold, or {@code null} if unknown
   * @return the outcome
   */
  Claim claim(Target target, @Nullable String versionBefore, @Nullable String latestVersion) {
    for (int race = 0; race < MAX_RACES; race++) {
      Optional<TenantMigrationStatus> found = store.find(target.key());
      Instant now = now();
      TenantMigrationStatus running;
      if (found.isPresent()) {
        TenantMigrationStatus stored = found.get();
        if (stored.heldAt(now)) {
          return new Claim(Outcome.HELD_ELSEWHERE, stored, stored.state());
        }
        if (stored.state() == MigrationState.DONE && stored.finishedAt() != null
            && !stored.finishedAt().isBefore(runStarted) && latestVersion != null
            && latestVersion.equals(stored.versionAfter())) {
          return new Claim(Outcome.DONE_ELSEWHERE, stored, stored.state());
        }
        if (stored.state() == MigrationState.RUNNING) {
          LOG.warn("Migration of {} was left RUNNING by run {} whose lease ran out at {}; taking it over",
              target, stored.runId(), stored.leaseUntil());
        }
        int attempts = stored.state() == MigrationState.DONE ? 1 : stored.attempts() + 1;
        running = running(target, versionBefore, attempts, now, stored.revision() + 1);
        if (store.replace(stored, running)) {
          return hold(running, stored.state());
        }
      } else {
        running = running(target, versionBefore, 1, now, 0L);
        if (store.insert(running)) {
          return hold(running, null);
        }
      }
    }
    return new Claim(Outcome.HELD_ELSEWHERE, store.find(target.key()).orElse(null), null);
  }

  private synchronized Claim hold(TenantMigrationStatus running, @Nullable MigrationState previous) {
    held.put(running.target(), running);
    return new Claim(Outcome.CLAIMED, running, previous);
  }

  /**
   * Records the end of an attempt this run holds.
   *
   * @param target the target
   * @param state {@link MigrationState#DONE} or {@link MigrationState#FAILED}
   * @param versionBefore the version when the attempt started
   * @param versionAfter the version when it ended
   * @param error why it failed, or {@code null}
   * @return the record as written, or empty if another run took the target over meanwhile (nothing written)
   */
  synchronized Optional<TenantMigrationStatus> finish(Target target, MigrationState state,
      @Nullable String versionBefore, @Nullable String versionAfter, @Nullable String error) {
    TenantMigrationStatus holding = held.remove(target.key());
    if (holding == null) {
      LOG.warn("Run {} lost its claim on {} while migrating it (its lease was not renewed in time); the outcome {} is"
          + " not recorded", runId, target, state);
      return Optional.empty();
    }
    Instant now = now();
    TenantMigrationStatus finished = new TenantMigrationStatus(holding.target(), holding.tenant(), holding.location(),
        state, versionBefore, versionAfter, error, holding.attempts(), runId, holding.startedAt(), now, null, now,
        holding.revision() + 1);
    if (!store.replace(holding, finished)) {
      LOG.warn("Run {} lost its claim on {} while migrating it (another run took it over after the lease ran out);"
          + " the outcome {} is not recorded", runId, target, state);
      return Optional.empty();
    }
    return Optional.of(finished);
  }

  /** Extends the lease of every target this run holds; a lease that cannot be extended is given up. */
  synchronized void renew() {
    Instant now = now();
    for (TenantMigrationStatus holding : List.copyOf(held.values())) {
      TenantMigrationStatus renewed = new TenantMigrationStatus(holding.target(), holding.tenant(),
          holding.location(), holding.state(), holding.versionBefore(), holding.versionAfter(), holding.error(),
          holding.attempts(), runId, holding.startedAt(), holding.finishedAt(), now.plus(lease), now,
          holding.revision() + 1);
      if (store.replace(holding, renewed)) {
        held.put(holding.target(), renewed);
      } else {
        held.remove(holding.target());
        LOG.warn("Run {} could not renew its lease on {}: another run changed the record", runId, holding.location());
      }
    }
  }

  /** @return how many targets this run holds now */
  synchronized int holding() {
    return held.size();
  }

  /**
   * Records that a target needs migrating, unless its record says more than that already: a failure stays visible
   * until retried, and a running target stays with its run.
   *
   * @param target the target
   * @param known its record when the run started, or {@code null}
   */
  void markPending(Target target, @Nullable TenantMigrationStatus known) {
    Instant now = now();
    if (known == null) {
      store.insert(target.pendingStatus(now));
    } else if (known.state() == MigrationState.DONE) {
      store.replace(known, new TenantMigrationStatus(known.target(), known.tenant(), known.location(),
          MigrationState.PENDING, null, known.versionAfter(), null, 0, null, known.startedAt(), known.finishedAt(),
          null, now, known.revision() + 1));
    }
  }

  /**
   * Records a target found current without migrating it, unless its record says so already.
   *
   * @param target the target
   * @param version its applied version
   * @param known its record when the run started, or {@code null}
   * @return {@code true} if a record was written
   */
  boolean recordCurrent(Target target, @Nullable String version, @Nullable TenantMigrationStatus known) {
    Instant now = now();
    if (known != null && (known.heldAt(now) || known.state() == MigrationState.DONE
        && Objects.equals(known.versionAfter(), version) && known.error() == null)) {
      return false;
    }
    TenantId tenant = target.tenant() == null ? null : target.tenant().id();
    long revision = known == null ? 0L : known.revision() + 1;
    TenantMigrationStatus done = new TenantMigrationStatus(target.key(), tenant, target.location(),
        MigrationState.DONE, version, version, null, 0, runId, now, now, null, now, revision);
    return known == null ? store.insert(done) : store.replace(known, done);
  }

  private TenantMigrationStatus running(Target target, @Nullable String versionBefore, int attempts, Instant now,
      long revision) {
    TenantId tenant = target.tenant() == null ? null : target.tenant().id();
    return new TenantMigrationStatus(target.key(), tenant, target.location(), MigrationState.RUNNING, versionBefore,
        null, null, attempts, runId, now, null, now.plus(lease), now, revision);
  }

  /** Microseconds: what the databases keep, so a record reads back as it was written. */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }
}
