package dev.tenancy.core.quota;

import dev.tenancy.core.EffectiveConfiguration;
import dev.tenancy.core.StandardLimit;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.spi.UsageStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Test fixtures: tenants with limits, a clock the test moves, and a usage store in a map. */
final class QuotaFixtures {

  private QuotaFixtures() {
  }

  /** A tenant whose configuration carries the given standard limits (a missing one is unlimited). */
  static TenantInfo tenant(TenantId id, String slug, Map<StandardLimit, Long> limits) {
    Map<String, Long> byKey = new HashMap<>();
    limits.forEach((limit, value) -> byKey.put(limit.key(), value));
    return new TenantInfo(id, TenantSlug.of(slug), TenantStatus.ACTIVE,
        new EffectiveConfiguration("test", Map.of(), byKey, null, Map.of()));
  }

  static TenantInfo tenant(String slug, Map<StandardLimit, Long> limits) {
    return tenant(TenantId.random(), slug, limits);
  }

  /** The same tenant with other limits: what the next request sees after a tier or limit change. */
  static TenantInfo withLimits(TenantInfo tenant, Map<StandardLimit, Long> limits) {
    return tenant(tenant.id(), tenant.slug().value(), limits);
  }

  /** A clock that stands still until moved. */
  static final class TestClock extends Clock {
    private final AtomicReference<Instant> now;

    TestClock(String instant) {
      this.now = new AtomicReference<>(Instant.parse(instant));
    }

    void advance(Duration amount) {
      now.updateAndGet(instant -> instant.plus(amount));
    }

    void set(String instant) {
      now.set(Instant.parse(instant));
    }

    @Override
    public Instant instant() {
      return now.get();
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }
  }

  /** A usage store in memory that keeps the greater value, as the SPI demands; can be told to fail. */
  static final class MapUsageStore implements UsageStore {
    final Map<YearMonth, Map<String, Long>> periods = new ConcurrentHashMap<>();
    final AtomicInteger saves = new AtomicInteger();
    volatile boolean failing;

    @Override
    public Map<String, Long> load(YearMonth period) {
      if (failing) {
        throw new IllegalStateException("usage store down");
      }
      return Map.copyOf(periods.getOrDefault(period, Map.of()));
    }

    @Override
    public void save(Map<String, Long> counters, YearMonth period) {
      if (failing) {
        throw new IllegalStateException("usage store down");
      }
      saves.incrementAndGet();
      counters.forEach((name, value) ->
          periods.computeIfAbsent(period, p -> new ConcurrentHashMap<>()).merge(name, value, Math::max));
    }

    long saved(YearMonth period, String name) {
      return periods.getOrDefault(period, Map.of()).getOrDefault(name, 0L);
    }
  }
}
