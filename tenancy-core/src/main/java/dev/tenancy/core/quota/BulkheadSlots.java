package dev.tenancy.core.quota;

import dev.tenancy.core.TenantId;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-tenant counts of requests in flight on this instance, each bounded by the tenant's limit at the moment of the
 * request (so a limit change bites on the next request, which a fixed-size {@link java.util.concurrent.Semaphore}
 * could not do).
 *
 * <p>Every change is one {@link ConcurrentHashMap#compute} on the tenant's entry: tenants never wait for each other.
 * An entry exists only while its tenant has requests in flight — it is removed when its count returns to zero — so
 * the map is bounded by the number of requests in flight. A size-bounded cache would be worse here: evicting a tenant
 * with requests in flight would forget them and let it exceed its limit.
 */
final class BulkheadSlots {

  private final ConcurrentHashMap<TenantId, Slot> slots = new ConcurrentHashMap<>();

  /**
   * Takes a slot if the tenant has fewer than {@code limit} in flight.
   *
   * @return whether a slot was taken; if so, {@link #release} must follow exactly once
   */
  boolean tryAcquire(TenantId tenant, long limit) {
    boolean[] taken = new boolean[1];
    slots.compute(tenant, (id, slot) -> {
      int inFlight = slot == null ? 0 : slot.inFlight;
      if (inFlight >= limit) {
        return slot;
      }
      taken[0] = true;
      Slot next = slot == null ? new Slot() : slot;
      next.inFlight = inFlight + 1;
      return next;
    });
    return taken[0];
  }

  /** Gives back a slot taken by {@link #tryAcquire}. */
  void release(TenantId tenant) {
    slots.computeIfPresent(tenant, (id, slot) -> {
      slot.inFlight--;
      return slot.inFlight <= 0 ? null : slot;
    });
  }

  /** @return the tenant's requests in flight that hold a slot */
  int inFlight(TenantId tenant) {
    Slot slot = slots.get(tenant);
    return slot == null ? 0 : slot.inFlight;
  }

  /** Written only inside {@code compute} (which orders the writes); volatile for {@link #inFlight}'s plain reads. */
  private static final class Slot {
    volatile int inFlight;
  }
}
