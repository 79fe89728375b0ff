package dev.tenancy.core.quota;

import dev.tenancy.core.EffectiveConfiguration;
import dev.tenancy.core.StandardLimit;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.spi.QuotaStore;
import dev.tenancy.core.spi.UsageStore;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Decides, before any work is done, whether a tenant's request may run: per-tenant concurrency bulkhead, rate limit,
 * monthly API-call quota; plus the storage and concurrent-user gauges and the threshold alerts.
 *
 * <p><b>Limits</b> come from {@link TenantInfo#configuration()} ({@link StandardLimit} keys); a missing limit means
 * unlimited. Because the tenant info is resolved per request, a limit or tier change applies to the very next call.
 * The rate limit is GCRA on the store's clock with a burst of twice the rate, so it never admits a double burst
 * across a window boundary; the monthly quota is a counter per tenant and calendar month ({@link Builder#zone},
 * UTC by default), exact under concurrency; API calls are counted also for tenants without a quota, for metering.
 *
 * <p><b>Authenticate first.</b> Call {@link #check} only for a request whose credentials were verified to belong to
 * the tenant: a check consumes the tenant's quota and rate, so checking a forged or unverified claim would let anyone
 * drain a victim's allowance. {@code TenantFilter} checks after authentication.
 *
 * <p><b>A denial consumes nothing</b> that can be given back. The bulkhead slot (local and cheap) is taken first and
 * returned on any denial; then the rate limit, which a refusal leaves untouched; then the monthly counter, which a
 * refusal leaves untouched too. Taking the slot first means no counter is ever incremented and decremented again, so
 * a concurrent request never sees a count inflated by a request that is about to be refused, and a tenant flooding
 * past its bulkhead never reaches the (possibly remote) store. The rate limit and the monthly counter are decided in one store
 * call ({@link QuotaStore#admit}), one round trip to Redis, where a monthly-quota denial leaves the bucket untouched;
 * with the in-memory store it consumes the rate permit it passed, harmless as that tenant is refused until the period
 * ends anyway.
 *
 * <p><b>Instances.</b> Counters, buckets, leases and alert markers live in the {@link QuotaStore}: an in-memory store
 * serves one instance, a shared store (Redis) makes every limit exact across instances. The concurrency bulkhead is
 * per instance by design (it protects this instance's threads). With a {@link UsageStore} the monthly counters
 * survive restarts; a shared Redis either persists its data itself or is backed the same way.
 *
 * <pre>{@code
 * QuotaManager quotas = QuotaManager.builder()
 *     .store(new InMemoryQuotaStore())
 *     .usageStore(JdbcUsageStore.builder().dataSource(adminDataSource).build())
 *     .listener(alert -> mailer.tellOwner(alert))
 *     .build();
 * QuotaDecision decision = quotas.check(tenant);    // after authentication
 * try (QuotaPermit permit = decision.permit()) {    // throws QuotaExceededException when denied
 *   handle(request);
 * }
 * }</pre>
 */
public final class QuotaManager implements AutoCloseable {

  /** Counters outlive their period by this much, so that the last flush and the admin API can still read them. */
  static final Duration COUNTER_SLACK = Duration.ofDays(2);

  private final QuotaStore store;
  private final Clock clock;
  private final QuotaPeriod.Calendar calendar;
  private final double softThreshold;
  private final RequestAdmission admission;
  private final QuotaGauges gauges;
  private final @Nullable UsagePersister persister;
  private final AtomicBoolean closed = new AtomicBoolean();

  private QuotaManager(Builder builder, QuotaStore store) {
    this.store = store;
    this.clock = builder.clock;
    this.calendar = new QuotaPeriod.Calendar(builder.zone);
    this.softThreshold = builder.softThreshold;
    QuotaKeys keys = new QuotaKeys(builder.keyPrefix);
    UsageStore usageStore = builder.usageStore;
    this.persister = usageStore == null ? null : new UsagePersister(usageStore, store, keys, COUNTER_SLACK);
    AlertGate alerts = new AlertGate(store, keys, COUNTER_SLACK, builder.listeners, persister);
    this.admission = new RequestAdmission(store, clock, calendar, keys, alerts, persister, softThreshold,
        COUNTER_SLACK);
    this.gauges = new QuotaGauges(store, clock, calendar, keys, alerts, softThreshold);
  }

  /** @return a builder; only {@link Builder#store} is required */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Decides whether one request of an authenticated tenant may run, and if so counts it and takes its concurrency
   * slot. Close the decision's {@link QuotaDecision#permit() permit} when the work ends.
   *
   * @param tenant the tenant, resolved for this request (its limits are the ones in effect)
   * @return allow, allow with warning, or deny with the resource, the limit and {@code retryAfter}
   * @throws QuotaStoreUnavailableException when a fail-closed store cannot decide (deny the request, e.g. with 503);
   *     nothing is then held or counted
   */
  public QuotaDecision check(TenantInfo tenant) {
    return admission.check(Objects.requireNonNull(tenant, "tenant"));
  }

  /**
   * Records the storage the application measured for a tenant (the latest report wins; report from one place, e.g.
   * a periodic job, since concurrent reports of one tenant may interleave). Raises storage alerts. A report applies
   * until the next one, also across a month boundary.
   *
   * @param tenant the tenant
   * @param bytes the bytes it stores now
   * @return deny {@link QuotaResource#STORAGE} when over the limit (refuse writes that add data until it is back
   *     under), a warning above the soft threshold, else allow
   * @throws IllegalArgumentException if {@code bytes} is negative
   */
  public QuotaDecision reportStorage(TenantInfo tenant, long bytes) {
    Objects.requireNonNull(tenant, "tenant");
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative, was " + bytes);
    }
    return gauges.reportStorage(tenant, bytes);
  }

  /**
   * Tells whether a tenant may add data, from its last storage report. Consumes nothing.
   *
   * @param tenant the tenant
   * @param additionalBytes how much the write would add
   * @return deny {@link QuotaResource#STORAGE} if the result would exceed the limit, a warning above the soft
   *     threshold, else allow
   * @throws IllegalArgumentException if {@code additionalBytes} is negative
   */
  public QuotaDecision checkStorage(TenantInfo tenant, long additionalBytes) {
    Objects.requireNonNull(tenant, "tenant");
    if (additionalBytes < 0) {
      throw new IllegalArgumentException("additionalBytes must not be negative, was " + additionalBytes);
    }
    return gauges.checkStorage(tenant, additionalBytes);
  }

  /**
   * Takes or renews a user's session lease; a tenant may have at most its {@code concurrentUsers} users with a live
   * lease. Renew it (call again) well within {@code ttl}; it ends by itself after {@code ttl} without renewal.
   *
   * @param tenant the tenant
   * @param userId the user (or session) holding the lease
   * @param ttl how long the lease lives without renewal
   * @return deny {@link QuotaResource#CONCURRENT_USERS} (retry after {@code ttl} at the latest) when all slots are
   *     held by other users, a warning above the soft threshold, else allow
   * @throws IllegalArgumentException if {@code ttl} is not positive
   */
  public QuotaDecision acquireUser(TenantInfo tenant, String userId, Duration ttl) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, was " + ttl);
    }
    return gauges.acquireUser(tenant, userId, ttl);
  }

  /**
   * Ends a user's session lease, e.g. on logout, freeing the slot at once.
   *
   * @param tenant the tenant
   * @param userId the user (or session) given to {@link #acquireUser}
   */
  public void releaseUser(TenantInfo tenant, String userId) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(userId, "userId");
    gauges.releaseUser(tenant, userId);
  }

  /**
   * Reads a tenant's usage against its current limits. Consumes nothing.
   *
   * @param tenant the tenant, with the limits to report against
   * @return API calls this period, storage, concurrent users and requests, and the rate limiter's state
   */
  public QuotaUsage usage(TenantInfo tenant) {
    Objects.requireNonNull(tenant, "tenant");
    TenantId id = tenant.id();
    EffectiveConfiguration config = tenant.configuration();
    QuotaPeriod period = calendar.at(clock.instant());
    QuotaUsage.Meter apiCalls = new QuotaUsage.Meter(admission.apiCalls(id, period),
        limitOrNull(config, StandardLimit.API_CALLS_PER_MONTH));
    QuotaUsage.Meter storage = new QuotaUsage.Meter(gauges.storedBytes(id, period),
        limitOrNull(config, StandardLimit.STORAGE_BYTES));
    QuotaUsage.Meter users = new QuotaUsage.Meter(gauges.activeUsers(id),
        limitOrNull(config, StandardLimit.CONCURRENT_USERS));
    QuotaUsage.Meter requests = new QuotaUsage.Meter(admission.inFlight(id),
        limitOrNull(config, StandardLimit.MAX_CONCURRENT_REQUESTS));
    return new QuotaUsage(id, period.month(), period.end(), apiCalls, storage, users, requests,
        admission.rate(id, config));
  }

  /**
   * Saves the changed usage counters to the {@link UsageStore} now (they are also saved periodically and on
   * {@link #close()}). Does nothing without a usage store.
   *
   * @throws dev.tenancy.core.TenancyException what the usage store throws; the counters stay marked and are saved
   *     with the next flush
   */
  public void flush() {
    if (persister != null) {
      persister.flush();
    }
  }

  /**
   * Stops the periodic save and saves the changed counters one last time (a failure is logged). Idempotent. The
   * manager keeps deciding afterwards, but no longer saves usage.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && persister != null) {
      persister.close();
    }
  }

  @Override
  public String toString() {
    return "QuotaManager[store=" + store + ", zone=" + calendar.zone() + ", softThreshold=" + softThreshold
        + ", persisted=" + (persister != null) + "]";
  }

  private static @Nullable Long limitOrNull(EffectiveConfiguration config, StandardLimit limit) {
    OptionalLong value = config.limit(limit);
    return value.isPresent() ? Math.max(0, value.getAsLong()) : null;
  }

  /** Restores the current month's counters, then starts the periodic save. */
  private void start(Duration flushInterval) {
    if (persister != null) {
      persister.restore(calendar.at(clock.instant()));
      persister.start(flushInterval);
    }
  }

  /** Configures a {@link QuotaManager}; {@link #build()} checks the options. */
  public static final class Builder {

    private @Nullable QuotaStore store;
    private Clock clock = Clock.systemUTC();
    private ZoneId zone = ZoneOffset.UTC;
    private double softThreshold = 0.8;
    private final List<QuotaAlertListener> listeners = new ArrayList<>();
    private @Nullable UsageStore usageStore;
    private Duration flushInterval = Duration.ofSeconds(10);
    private String keyPrefix = "tenancy:quota:";

    private Builder() {
    }

    /**
     * Where counters, rate-limit buckets, leases and alert markers live: an in-memory store for one instance, a
     * shared store (Redis) for many.
     *
     * @param store the store
     * @return this builder
     */
    public Builder store(QuotaStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * The clock that places requests in periods (rate limits run on the store's own clock).
     *
     * @param clock default {@link Clock#systemUTC()}
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The zone whose calendar months are the quota periods, whatever the clock's zone.
     *
     * @param zone default UTC
     * @return this builder
     */
    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /**
     * The share of a limit from which decisions are {@link QuotaDecision.Outcome#ALLOW_WITH_WARNING}.
     *
     * @param threshold above 0 and at most 1; default 0.8
     * @return this builder
     */
    public Builder softThreshold(double threshold) {
      this.softThreshold = threshold;
      return this;
    }

    /**
     * Adds a listener for threshold alerts (80, 90, 100 %); may be called several times.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(QuotaAlertListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * Persists the monthly counters: loaded when the manager is built, saved periodically and on close, so that a
     * restart does not hand a tenant a fresh month.
     *
     * @param usageStore the usage store; default none
     * @return this builder
     */
    public Builder usageStore(UsageStore usageStore) {
      this.usageStore = Objects.requireNonNull(usageStore, "usageStore");
      return this;
    }

    /**
     * How often changed counters are saved to the {@link #usageStore usage store}: at most this much usage is lost
     * if the process dies without closing the manager.
     *
     * @param interval positive; default 10 seconds
     * @return this builder
     */
    public Builder flushInterval(Duration interval) {
      this.flushInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * The prefix of every key in the quota store, to let several applications share one Redis.
     *
     * @param prefix default {@code tenancy:quota:}
     * @return this builder
     */
    public Builder keyPrefix(String prefix) {
      this.keyPrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /**
     * Checks the options, restores the current month's usage from the usage store (if any) and starts saving it.
     *
     * @return the manager; close it on shutdown to save the last usage
     * @throws IllegalStateException if no store was given
     * @throws IllegalArgumentException if an option is out of range
     * @throws dev.tenancy.core.TenancyException if the usage store cannot be read: starting without the month's usage
     *     would hand every tenant a fresh month
     */
    public QuotaManager build() {
      QuotaStore quotaStore = store;
      if (quotaStore == null) {
        throw new IllegalStateException("QuotaManager needs a QuotaStore: call store(new InMemoryQuotaStore()) for one"
            + " instance, or a shared store such as RedisQuotaStore for several");
      }
      if (!(softThreshold > 0 && softThreshold <= 1)) {
        throw new IllegalArgumentException("softThreshold must be above 0 and at most 1, was " + softThreshold);
      }
      if (flushInterval.isNegative() || flushInterval.isZero()) {
        throw new IllegalArgumentException("flushInterval must be positive, was " + flushInterval);
      }
      QuotaManager manager = new QuotaManager(this, quotaStore);
      manager.start(flushInterval);
      return manager;
    }
  }
}
