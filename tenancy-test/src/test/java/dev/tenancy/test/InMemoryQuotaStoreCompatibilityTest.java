package dev.tenancy.test;

import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.spi.QuotaStore;
import java.time.Duration;
import java.time.Instant;

/** Our in-memory quota store keeps every promise of {@link QuotaStoreCompatibilityKit}, on a clock the kit moves. */
class InMemoryQuotaStoreCompatibilityTest extends QuotaStoreCompatibilityKit {

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-14T09:26:53.589Z"));

  @Override
  protected QuotaStore newStore() {
    return InMemoryQuotaStore.builder().clock(clock).build();
  }

  @Override
  protected Instant now() {
    return clock.instant();
  }

  @Override
  protected boolean canTravelInTime() {
    return true;
  }

  @Override
  protected void advance(Duration amount) {
    clock.advance(amount);
  }
}
