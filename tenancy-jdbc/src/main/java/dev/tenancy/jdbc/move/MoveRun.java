package dev.tenancy.jdbc.move;

import dev.tenancy.core.ConcurrentTenantModificationException;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.lifecycle.TenantUpdate;
import dev.tenancy.jdbc.backup.TenantDataCopy;
import dev.tenancy.jdbc.backup.TenantDataDigest;
import dev.tenancy.jdbc.move.MoveEvent.Kind;
import dev.tenancy.jdbc.move.StepHook.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One move of one tenant: runs the steps, journals them, and undoes the done ones in reverse when a step fails
 * before the move commits. What each step leaves behind is kept in fields, so the undo knows exactly what to undo.
 */
final class MoveRun {

  private static final Logger LOG = LoggerFactory.getLogger(TenantMover.class);

  private final TenantMover mover;
  private final Tenant tenant;
  private final TenantId id;
  private final TenantInfo info;
  private final Shard source;
  private final Shard target;
  private final List<MoveEvent> journal = new ArrayList<>();
  private final List<String> leftovers = new ArrayList<>();

  private final TenantStatus originalStatus;
  /** The tenant's version after SUSPEND: a different one later means somebody else changed it meanwhile. */
  private long ourVersion;
  private boolean weSuspended;
  private boolean madeTarget;
  private boolean copied;
  private boolean switchAttempted;
  private boolean switched;
  private @Nullable Instant switchedAt;
  private @Nullable TenantDataDigest verified;
  private Map<String, Long> rows = Map.of();
  private Place.@Nullable Retirement retirement;
  private boolean interrupted;

  MoveRun(TenantMover mover, Tenant tenant, Shard source, Shard target) {
    this.mover = mover;
    this.tenant = tenant;
    this.id = tenant.id();
    this.info = mover.tenants.info(tenant);
    this.source = source;
    this.target = target;
    this.originalStatus = tenant.status();
    this.ourVersion = tenant.version();
  }

  /** What a step does; returns the journal detail. */
  @FunctionalInterface
  private interface Action {
    String run() throws Exception;
  }

  TenantMove run() {
    Instant started = mover.clock.instant();
    LOG.info("Moving tenant {} ({}) from shard {} to shard {}", id, tenant.slug(), source, target);
    MoveStep step = MoveStep.SUSPEND;
    try {
      step = MoveStep.SUSPEND;
      step(step, this::suspend);
      step = MoveStep.PREPARE;
      step(step, this::prepare);
      step = MoveStep.COPY;
      step(step, this::copy);
      step = MoveStep.VERIFY;
      step(step, this::verify);
      step = MoveStep.SWITCH;
      step(step, this::switchDirectory);
      step = MoveStep.PURGE;
      step(step, this::purge);
      step = MoveStep.RESTORE;
      step(step, this::restore);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        interrupted = true;
      }
      TenantMoveException failure = undo(step, e);
      reinterrupt();
      throw failure;
    }
    reinterrupt();
    return new TenantMove(id, source.name(), target.name(), rows, Duration.between(started, mover.clock.instant()),
        journal, leftovers);
  }

  private void step(MoveStep step, Action action) throws Exception {
    record(step, Kind.STARTED, "");
    mover.hook.reached(step, Phase.BEFORE);
    String detail = action.run();
    if (step != MoveStep.RESTORE) {
      mover.hook.reached(step, Phase.AFTER);
    }
    record(step, Kind.DONE, detail);
  }

  // ------------------------------------------------------------------ steps

  private String suspend() throws InterruptedException {
    String detail;
    if (originalStatus.isServing()) {
      Tenant suspended = mover.tenants.suspend(id);
      ourVersion = suspended.version();
      weSuspended = true;
      detail = "suspended (was " + originalStatus + ")";
    } else {
      detail = "not serving (" + originalStatus + "), status left as it is";
    }
    if (!mover.drainPeriod.isZero()) {
      mover.sleeper.sleep(mover.drainPeriod);
      detail += "; waited the drain period of " + mover.drainPeriod;
    }
    return detail;
  }

  private String prepare() throws Exception {
    Optional<String> existing = target.place().existing(target, tenant, info, mover.tenantColumn);
    if (existing.isPresent()) {
      throw new IllegalStateException("The target already holds " + existing.get() + " — a leftover of an earlier"
          + " move? It was left untouched; remove it by hand and move again");
    }
    if (!target.place().makesPlace()) {
      return "nothing to make: " + target.place().kind() + " exist for all tenants";
    }
    // Set before making it: a place half made by a failing migration is ours to remove as well.
    madeTarget = true;
    target.place().prepare(target, tenant);
    return target.place().kind() + " made and migrated on shard '" + target.name() + "'";
  }

  private String copy() {
    rows = TenantDataCopy.copy(info, source.dataSource(), target.dataSource(), mover.tenantColumn);
    copied = true;
    return "copied " + total(rows) + " rows in " + rows.size() + " tables " + rows;
  }

  private String verify() {
    TenantDataDigest atSource = TenantDataDigest.of(source.dataSource(), info, mover.tenantColumn);
    TenantDataDigest atTarget = TenantDataDigest.of(target.dataSource(), info, mover.tenantColumn);
    if (!atTarget.equals(atSource)) {
      throw new IllegalStateException("The copy differs from the source: " + atTarget.differences(atSource));
    }
    verified = atSource;
    return "digests equal: " + atSource.tables().size() + " tables, " + atSource.rows() + " rows";
  }

  private String switchDirectory() {
    Tenant now = mover.tenants.find(id).orElseThrow(() -> new IllegalStateException("The tenant disappeared"));
    if (now.version() != ourVersion) {
      throw new IllegalStateException("The tenant was changed by someone else during the move (now " + now.status()
          + ", version " + now.version() + " instead of " + ourVersion + "); its data may have changed too. Move"
          + " it again");
    }
    switchAttempted = true;
    if (!mover.directory.move(id, source.name(), target.name())) {
      switchAttempted = false; // a clean "no": the directory was not changed by us
      throw new IllegalStateException("The directory no longer has the tenant on shard '" + source.name()
          + "' (it says " + mover.directory.shardOf(id).orElse("nothing") + "): someone else moved it");
    }
    switched = true;
    switchedAt = mover.clock.instant();
    return "directory switched: '" + source.name() + "' → '" + target.name() + "'";
  }

  private String purge() throws Exception {
    Duration waited = waitForPropagation(switchedAt, false);
    TenantDataDigest again = TenantDataDigest.of(source.dataSource(), info, mover.tenantColumn);
    TenantDataDigest expected = verified;
    if (expected == null || !again.equals(expected)) {
      throw new IllegalStateException("The source changed after it was verified — something still writes to it: "
          + (expected == null ? "not verified" : again.differences(expected)));
    }
    retirement = source.place().retire(source, tenant, info, mover.tenantColumn, expected.rows());
    return (waited.isZero() ? "" : "waited " + waited + " for every instance to see the switch; ")
        + retirement.describe();
  }

  private String restore() {
    String detail;
    if (!weSuspended) {
      detail = "status " + originalStatus + " kept";
    } else {
      detail = restoreStatus();
    }
    // The move is committed: from here on nothing is undone. Erase the old copy.
    Place.Retirement old = retirement;
    if (old != null) {
      try {
        old.finish();
        detail += "; old copy erased";
      } catch (Exception e) {
        leftovers.add(old.leftover());
        LOG.error("Tenant {} moved to shard '{}', but erasing its old copy failed; erase it by hand: {}", id,
            target.name(), old.leftover(), e);
        detail += "; erasing the old copy FAILED (" + e.getMessage() + "): left " + old.leftover();
      }
    }
    return detail;
  }

  private String restoreStatus() {
    try {
      mover.tenants.update(id, TenantUpdate.none().withStatus(originalStatus).expectingVersion(ourVersion));
      return "status restored to " + originalStatus;
    } catch (ConcurrentTenantModificationException e) {
      // Someone changed the tenant after the switch: it may be serving from the target already, so the move stands.
      Tenant now = mover.tenants.find(id).orElseThrow(() -> e);
      if (now.status() == TenantStatus.SUSPENDED) {
        mover.tenants.update(id, TenantUpdate.none().withStatus(originalStatus).expectingVersion(now.version()));
        return "status restored to " + originalStatus + " (the tenant was edited meanwhile)";
      }
      return "status left at " + now.status() + ", as someone else set it during the move";
    }
  }

  // ------------------------------------------------------------------ undo

  private TenantMoveException undo(MoveStep failed, Exception cause) {
    record(failed, Kind.FAILED, String.valueOf(cause.getMessage() == null ? cause.getClass().getName()
        : cause.getMessage()));
    LOG.warn("Moving tenant {} failed at step {}; undoing the steps done", id, failed, cause);

    if (failed == MoveStep.RESTORE && weSuspended && !stillOurs()) {
      // The status write may have gone through: the tenant may serve from the target already, and undoing the switch
      // would lose what it wrote there. Leave the verified copy serving and keep the old one aside.
      undoRetirement();
      leftovers.add("the tenant's status could not be confirmed: check it is " + originalStatus + " and serving from"
          + " shard '" + target.name() + "'; its old copy on shard '" + source.name() + "' is unused, erase it");
      return failure(failed, false, cause);
    }
    if (!undoRetirement()) {
      // The source is not usable: keep serving from the verified copy at the target, suspended, for an operator.
      leftovers.add("the tenant stays on shard '" + target.name() + "' (a verified copy), " + currentStatus()
          + "; set its status when satisfied");
      return failure(failed, false, cause);
    }
    if (!switched && switchAttempted) {
      // The compare-and-set may have committed although it reported an error (or lost a race): switching back tells.
      switched = true;
    }
    if (switched) {
      if (!undoSwitch()) {
        leftovers.add("the directory still sends the tenant to shard '" + target.name() + "' (a verified copy), "
            + currentStatus() + "; its data on shard '" + source.name() + "' is intact");
        return failure(failed, false, cause);
      }
      waitForPropagation(mover.clock.instant(), true);
    }
    if (madeTarget || copied) {
      undoTarget();
    }
    boolean statusBack = !weSuspended || undoSuspend();
    return failure(failed, statusBack, cause);
  }

  /** @return whether the old copy is back in place (or was never touched) */
  private boolean undoRetirement() {
    Place.Retirement old = retirement;
    if (old == null) {
      return true;
    }
    try {
      old.undo();
      retirement = null;
      record(MoveStep.PURGE, Kind.UNDONE, "old copy back in place");
      return true;
    } catch (Exception e) {
      record(MoveStep.PURGE, Kind.UNDO_FAILED, "could not bring the old copy back (" + e.getMessage() + "): "
          + old.describe());
      leftovers.add("the old copy, still put aside: " + old.describe());
      LOG.error("Undoing the purge of tenant {} failed: {}", id, old.describe(), e);
      return false;
    }
  }

  private boolean undoSwitch() {
    try {
      if (!mover.directory.move(id, target.name(), source.name())) {
        Optional<String> now = mover.directory.shardOf(id);
        if (!now.equals(Optional.of(source.name()))) {
          throw new IllegalStateException("the directory says " + now.orElse("nothing"));
        }
        // The failed switch never reached the directory: nothing to switch back.
      }
      switched = false;
      record(MoveStep.SWITCH, Kind.UNDONE, "directory on '" + source.name() + "' again");
      return true;
    } catch (RuntimeException e) {
      record(MoveStep.SWITCH, Kind.UNDO_FAILED, "could not switch the directory back: " + e.getMessage());
      LOG.error("Switching tenant {} back to shard '{}' failed", id, source.name(), e);
      return false;
    }
  }

  private void undoTarget() {
    MoveStep step = madeTarget ? MoveStep.PREPARE : MoveStep.COPY;
    try {
      target.place().discard(target, tenant, info, mover.tenantColumn);
      record(step, Kind.UNDONE, madeTarget ? target.place().kind() + " removed from shard '" + target.name() + "'"
          : "copied rows deleted from shard '" + target.name() + "'");
    } catch (Exception e) {
      String what = madeTarget ? "the half-made " + target.place().kind() + " of the tenant on shard '"
          + target.name() + "'" : "the tenant's copied rows in the shared tables of shard '" + target.name() + "'";
      record(step, Kind.UNDO_FAILED, "could not remove " + what + ": " + e.getMessage());
      leftovers.add(what + " (the tenant does not use it; remove it before moving it there again)");
      LOG.error("Removing {} failed", what, e);
    }
  }

  /** @return whether the tenant has its original status again */
  private boolean undoSuspend() {
    try {
      mover.tenants.update(id, TenantUpdate.none().withStatus(originalStatus).expectingVersion(ourVersion));
      record(MoveStep.SUSPEND, Kind.UNDONE, "status restored to " + originalStatus);
      return true;
    } catch (ConcurrentTenantModificationException e) {
      record(MoveStep.SUSPEND, Kind.UNDONE, "status left as someone else set it during the move: " + currentStatus());
      return true;
    } catch (RuntimeException e) {
      record(MoveStep.SUSPEND, Kind.UNDO_FAILED, "could not restore the status " + originalStatus + ": "
          + e.getMessage());
      leftovers.add("the tenant is still suspended: set its status back to " + originalStatus);
      LOG.error("Restoring the status of tenant {} to {} failed", id, originalStatus, e);
      return false;
    }
  }

  /** @return whether the tenant is still exactly as this move left it (so nobody could have made it serve) */
  private boolean stillOurs() {
    try {
      return mover.tenants.find(id).map(now -> now.version() == ourVersion).orElse(false);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private String currentStatus() {
    try {
      return mover.tenants.find(id).map(now -> now.status().toString()).orElse("gone");
    } catch (RuntimeException e) {
      return "status unknown";
    }
  }

  private TenantMoveException failure(MoveStep failed, boolean rolledBack, Exception cause) {
    if (rolledBack) {
      LOG.warn("Move of tenant {} undone: it serves from shard '{}' with status {}{}", id, source.name(),
          originalStatus, leftovers.isEmpty() ? "" : "; left to clean up: " + leftovers);
    } else {
      LOG.error("Move of tenant {} could NOT be fully undone; left: {}", id, leftovers);
    }
    return new TenantMoveException(id, source.name(), target.name(), failed, rolledBack, leftovers, journal, cause);
  }

  // ------------------------------------------------------------------ helpers

  /**
   * Waits until the directory's propagation delay has passed since {@code since}, so no instance routes the tenant by
   * an older answer. Interruptible in the steps; not while undoing, where skipping it could let an instance write to
   * a place being removed.
   */
  private Duration waitForPropagation(@Nullable Instant since, boolean uninterruptibly) {
    Duration delay = mover.directory.propagationDelay();
    if (since == null || delay.isZero()) {
      return Duration.ZERO;
    }
    Duration remaining = Duration.between(mover.clock.instant(), since.plus(delay));
    Duration waited = Duration.ZERO;
    while (remaining.compareTo(Duration.ZERO) > 0) {
      try {
        mover.sleeper.sleep(remaining);
        waited = waited.plus(remaining);
      } catch (InterruptedException e) {
        interrupted = true;
        if (!uninterruptibly) {
          throw new IllegalStateException("Interrupted while waiting for the directory switch to reach every"
              + " instance", e);
        }
      }
      remaining = Duration.between(mover.clock.instant(), since.plus(delay));
    }
    return waited;
  }

  private void reinterrupt() {
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void record(MoveStep step, Kind kind, String detail) {
    MoveEvent event = new MoveEvent(id, source.name(), target.name(), step, kind, mover.clock.instant(), detail);
    journal.add(event);
    switch (kind) {
      case STARTED, DONE, UNDONE -> LOG.info("Tenant {} move '{}' → '{}': {} {}: {}", id, source.name(),
          target.name(), step, kind, detail);
      case FAILED -> LOG.warn("Tenant {} move '{}' → '{}': {} FAILED: {}", id, source.name(), target.name(), step,
          detail);
      case UNDO_FAILED -> LOG.error("Tenant {} move '{}' → '{}': undoing {} FAILED: {}", id, source.name(),
          target.name(), step, detail);
    }
    for (MoveListener listener : mover.listeners) {
      try {
        listener.onEvent(event);
      } catch (RuntimeException e) {
        LOG.warn("A MoveListener failed on {}; ignored", event, e);
      }
    }
  }

  private static long total(Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
