package dev.tenancy.core.lifecycle;

import dev.tenancy.core.ConcurrentTenantModificationException;
import dev.tenancy.core.PlatformAccess;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConflictException;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantNotFoundException;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.spi.TenantEvent;
import dev.tenancy.core.spi.TenantStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Applies a {@link TenantUpdate}: optimistic locking, the transition table, and the events that follow. */
final class TenantChanges {

  /** Without an expected version a change is re-read and re-applied this often before the conflict is reported. */
  private static final int ATTEMPTS = 5;

  private final TenantStore store;
  private final TierCatalog catalog;
  private final Clock clock;
  private final Duration retention;
  private final LifecycleEvents events;

  TenantChanges(TenantStore store, TierCatalog catalog, Clock clock, Duration retention, LifecycleEvents events) {
    this.store = store;
    this.catalog = catalog;
    this.clock = clock;
    this.retention = retention;
    this.events = events;
  }

  /**
   * @param strictStatus whether a status equal to the current one is a (refused) transition, as for
   *     {@code changeStatus}; an update treats it as no change
   */
  Tenant apply(TenantId id, TenantUpdate update, boolean strictStatus, @Nullable PlatformAccess access) {
    Long expected = update.expectedVersion();
    ConcurrentTenantModificationException lost = null;
    for (int attempt = 0; attempt < (expected == null ? ATTEMPTS : 1); attempt++) {
      Tenant current = store.findById(id).orElseThrow(() -> new TenantNotFoundException(id.toString()));
      if (expected != null && current.version() != expected) {
        throw new ConcurrentTenantModificationException(id, expected, current.version());
      }
      TenantStatus target = update.status();
      // The table is checked first, so a refused transition is always reported as one.
      if (target != null && (strictStatus || target != current.status())) {
        current.status().requireTransitionTo(id, target);
      }
      requireChangeable(current);
      Tenant changed = update.applyTo(current, catalog, clock.instant(), retention);
      if (changed == current) {
        return current;
      }
      Tenant stored;
      try {
        stored = store.update(changed);
      } catch (ConcurrentTenantModificationException e) {
        if (expected != null) {
          throw e;
        }
        lost = e;
        continue;
      }
      publish(current, stored, access);
      return stored;
    }
    throw Objects.requireNonNull(lost, "lost");
  }

  private static void requireChangeable(Tenant current) {
    if (current.status() == TenantStatus.PROVISIONING) {
      throw new TenantConflictException("Tenant " + current.id() + " is still being provisioned; wait until "
          + "create returns, or end a stuck run with TenantService.resumeProvisioning");
    }
    if (current.status() == TenantStatus.DELETED) {
      throw new TenantConflictException("Tenant " + current.id() + " was purged; its DELETED record is a tombstone "
          + "that cannot change");
    }
  }

  private void publish(Tenant previous, Tenant stored, @Nullable PlatformAccess access) {
    if (!previous.displayName().equals(stored.displayName())
        || !previous.configuration().equals(stored.configuration())) {
      events.publish(TenantEvent.Type.UPDATED, stored, previous, null, access);
    }
    if (previous.status() != stored.status()) {
      events.publish(TenantEvent.Type.STATUS_CHANGED, stored, previous,
          previous.status() + " -> " + stored.status(), access);
    }
  }
}
