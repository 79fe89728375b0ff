package dev.tenancy.core.quota;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tenancy.core.TenantId;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The quota store keys of a tenant's counters, buckets and leases. The tenant id sits in braces — a Redis Cluster hash
 * tag — so that all keys of one tenant live on one shard.
 *
 * <p>Period counters have a <em>name</em> (tenant and resource, what {@link dev.tenancy.core.spi.UsageStore} persists)
 * and a <em>key</em> (prefix, name and period, what the quota store holds).
 *
 * <p>Every request needs its tenant's rate-limit and API-call keys. Spelling them out allocated about 300 bytes per
 * check, and the store then hashed each new string (60 to 70 characters) again: with the rate parameters derived per
 * call ({@link RateLimit#of}), some 85 of 224 ns per check (docs/performance.md).
 * The keys of recently seen tenants are therefore kept, as the same string instances (whose hash the JDK caches), in
 * two small caches bounded by {@link #CACHED_TENANTS} — one per tenant (with its current month's API-call key, so a
 * request looks up one entry), one per other counter name — and a tenant beyond that has its keys spelled out again,
 * nothing more. Lookups are quiet (not recorded for the eviction policy, whose shared bookkeeping would cost more than they
 * save); a tenant whose keys were evicted is put back, and tenants put back often are the ones the policy keeps.
 */
final class QuotaKeys {

  /** How many tenants' keys are kept ready; the least used beyond that are spelled out again when needed. */
  static final int CACHED_TENANTS = 10_000;

  private final String prefix;
  private final Cache<TenantId, TenantKeys> tenants = cache();
  /** The latest period key of each counter name: the month changes once a month. */
  private final Cache<String, PeriodKey> counters = cache();

  QuotaKeys(String prefix) {
    this.prefix = prefix;
  }

  String apiCallsName(TenantId tenant) {
    return of(tenant).apiCallsName();
  }

  /**
   * The key of a tenant's API-call counter in a period, from the tenant's own keys: the key of its current month is
   * kept with them, so that a request looks up one entry, not two (at 10,000 tenants each entry a request reads is
   * a cache miss).
   */
  String apiCallsCounter(TenantKeys tenant, QuotaPeriod period) {
    PeriodKey known = tenant.apiCalls;
    if (known != null && (known.period() == period || known.period().label().equals(period.label()))) {
      return known.key();
    }
    String key = prefix + tenant.apiCallsName() + ":" + period.label();
    tenant.apiCalls = new PeriodKey(period, key);
    return key;
  }

  String alertName(TenantId tenant, QuotaResource resource, int thresholdPercent) {
    return "{" + tenant + "}:alert:" + resource.name().toLowerCase(Locale.ROOT) + ":" + thresholdPercent;
  }

  String counter(String name, QuotaPeriod period) {
    PeriodKey known = counters.policy().getIfPresentQuietly(name);
    if (known != null && known.period().label().equals(period.label())) {
      return known.key();
    }
    String key = prefix + name + ":" + period.label();
    counters.put(name, new PeriodKey(period, key));
    return key;
  }

  String storage(TenantId tenant, QuotaPeriod period) {
    return prefix + "{" + tenant + "}:storage:" + period.label();
  }

  String rate(TenantId tenant) {
    return of(tenant).rate();
  }

  String users(TenantId tenant) {
    return of(tenant).users();
  }

  /** @return the tenant's keys, kept or spelled out */
  TenantKeys of(TenantId tenant) {
    TenantKeys keys = tenants.policy().getIfPresentQuietly(tenant);
    if (keys == null) {
      keys = new TenantKeys("{" + tenant + "}:apiCalls", prefix + "{" + tenant + "}:rate",
          prefix + "{" + tenant + "}:users");
      tenants.put(tenant, keys);
    }
    return keys;
  }

  private static <K, V> Cache<K, V> cache() {
    // Maintenance on the calling thread: handing it to the common pool costs a thread wake-up, more than the work.
    return Caffeine.newBuilder().maximumSize(CACHED_TENANTS).executor(Runnable::run).build();
  }

  /** A tenant's keys; {@link #apiCallsCounter} keeps the latest month's API-call counter key here. */
  static final class TenantKeys {
    private final String apiCallsName;
    private final String rate;
    private final String users;
    /** Written without a lock: racing writers store equal keys, and a stale one is recognised by its period. */
    private volatile @Nullable PeriodKey apiCalls;

    TenantKeys(String apiCallsName, String rate, String users) {
      this.apiCallsName = apiCallsName;
      this.rate = rate;
      this.users = users;
    }

    String apiCallsName() {
      return apiCallsName;
    }

    String rate() {
      return rate;
    }

    String users() {
      return users;
    }
  }

  private record PeriodKey(QuotaPeriod period, String key) {
  }
}
