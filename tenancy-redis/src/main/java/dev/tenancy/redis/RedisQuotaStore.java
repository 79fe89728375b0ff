package dev.tenancy.redis;

import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.quota.QuotaStoreUnavailableException;
import dev.tenancy.core.spi.QuotaStore.Admission;
import dev.tenancy.core.spi.QuotaStore;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A {@link QuotaStore} on Redis, so that any number of app instances enforce one exact limit per tenant.
 *
 * <p>Every operation is one round trip: a Lua script (sent by its digest, EVALSHA, and in full only when the server
 * answers NOSCRIPT) that checks and updates atomically and gives every key it creates an expiry in the same step.
 * Rate buckets (GCRA) and leases run on the Redis server's clock ({@code TIME}), so clock skew between app instances
 * cannot change a rate or a lease.
 *
 * <p><b>At most once.</b> Lettuce normally re-sends commands that were in flight when a connection dropped; this store
 * configures its client to fail them instead, so an increment is applied once or reported as failed, never twice.
 * A call that failed or timed out may still have been applied on Redis; it then counts against the limit (the error
 * is on the safe side: a tenant may be refused a little early, never admitted twice).
 *
 * <p><b>When Redis is unavailable</b> (unreachable, slower than {@code commandTimeout}, or refusing all work: loading,
 * read-only, out of memory) the store answers by its {@link FailurePolicy}, tells the {@link RedisAvailabilityListener}
 * once, and sends one probe per {@code recoveryInterval} until Redis answers again; every other call is answered at
 * once without waiting. An error about one key (a key of the wrong type under the prefix) fails only that call, by the
 * same policy.
 *
 * <p><b>Throughput.</b> All callers share one connection, which Lettuce pipelines: many requests are in flight at
 * once, so throughput is bounded by Redis (one core runs roughly 100k scripts/s), not by the round-trip time. Use the
 * {@code *Async} methods from non-blocking code, or many threads on the blocking ones; the JMH benchmark under
 * {@code benchmarks/} measures both.
 *
 * <p>Works with a standalone Redis 6 or newer (or a Sentinel URI); each script touches a single key, except
 * {@link #admit}'s, whose two keys share the tenant's hash tag.
 */
public final class RedisQuotaStore implements QuotaStore, AutoCloseable {

  private final GuardedRedis redis;
  private final RedisQuotaCommands commands;

  private RedisQuotaStore(Builder builder, RedisConnector connector) {
    Availability availability = new Availability(connector.target(), builder.recoveryInterval, System::nanoTime,
        builder.listener);
    this.redis = new GuardedRedis(connector, availability, builder.failurePolicy, builder.fallback,
        builder.commandTimeout.toNanos(), builder.recoveryInterval.toMillis());
    this.commands = new RedisQuotaCommands(builder.keyPrefix);
  }

  /** @return a builder; set at least {@link Builder#uri(String)} or {@link Builder#client(RedisClient)} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * {@inheritDoc}
   *
   * @throws QuotaStoreUnavailableException if Redis cannot answer and the policy is {@link FailurePolicy#FAIL_CLOSED}
   */
  @Override
  public CounterUpdate addIfWithin(String key, long amount, long limit, Instant expiresAt) {
    return redis.call(commands.addIfWithin(key, amount, limit, expiresAt));
  }

  /**
   * {@link #addIfWithin} without blocking.
   *
   * @param key the counter's key
   * @param amount how much to add, at least 1
   * @param limit the highest value the counter may reach
   * @param expiresAt when a counter created by this call expires
   * @return the update; completes exceptionally with {@link QuotaStoreUnavailableException} as the blocking call throws
   */
  public CompletionStage<CounterUpdate> addIfWithinAsync(String key, long amount, long limit, Instant expiresAt) {
    return redis.submit(commands.addIfWithin(key, amount, limit, expiresAt));
  }

  /**
   * {@inheritDoc}
   *
   * @throws QuotaStoreUnavailableException if Redis cannot answer and the policy is {@link FailurePolicy#FAIL_CLOSED}
   */
  @Override
  public long subtract(String key, long amount) {
    return redis.call(commands.subtract(key, amount));
  }

  /**
   * {@link #subtract} without blocking.
   *
   * @param key the counter's key
   * @param amount how much to take back, at least 1
   * @return the counter's value afterwards
   */
  public CompletionStage<Long> subtractAsync(String key, long amount) {
    return redis.submit(commands.subtract(key, amount));
  }

  /**
   * {@inheritDoc}
   *
   * @throws QuotaStoreUnavailableException if Redis cannot answer and the policy is {@link FailurePolicy#FAIL_CLOSED}
   */
  @Override
  public long current(String key) {
    return redis.call(commands.current(key));
  }

  /**
   * {@link #current} without blocking.
   *
   * @param key the counter's key
   * @return the counter's value, 0 if absent or expired
   */
  public CompletionStage<Long> currentAsync(String key) {
    return redis.submit(commands.current(key));
  }

  /**
   * {@inheritDoc} A full bucket admits {@code burstTolerance / emissionInterval + 1} permits at once (the burst), and a
   * refusal's {@code retryAfter} is when the request would conform. The emission interval is rounded to whole
   * microseconds (at least 1 µs, so at most a million permits per second per key) while keeping the burst exact.
   *
   * @throws QuotaStoreUnavailableException if Redis cannot answer and the policy is {@link FailurePolicy#FAIL_CLOSED}
   */
  @Override
  public RateDecision acquire(String key, Duration emissionInterval, Duration burstTolerance, int permits) {
    return redis.call(commands.acquire(key, emissionInterval, burstTolerance, permits));
  }

  /**
   * {@link #acquire} without blocking.
   *
   * @param key the bucket's key
   * @param emissionInterval the time one permit represents (1 s / rate), positive
   * @param burstTolerance how far ahead of now the TAT may run ((burst - 1) × emissionInterval), not negative
   * @param permits how many permits this request takes, at least 1
   * @return the decision
   */
  public CompletionStage<RateDecision> acquireAsync(String key, Duration emissionInterval, Duration burstTolerance,
      int permits) {
    return redis.submit(commands.acquire(key, emissionInterval, burstTolerance, permits));
  }

  /**
   * {@inheritDoc} Here one Lua script decides both atomically, in one round trip, and a request the counter refuses
   * leaves the bucket untouched. The counter's key and the bucket's key must hash to one cluster slot (Tenancy's keys
   * share the tenant's hash tag).
   *
   * @throws QuotaStoreUnavailableException if Redis cannot answer and the policy is {@link FailurePolicy#FAIL_CLOSED}
   */
  @Override
  public Admission admit(String bucketKey, Duration emissionInterval, Duration burstTolerance, String counterKey,
      long limit, Instant expiresAt) {
    return redis.call(commands.admit(bucketKey, emissionInterval, burstTolerance, counterKey, limit, expiresAt));
  }

  /**
   * {@link #admit} without blocking; many calls in flight share the one pipelined connection.
   *
   * @param bucketKey the rate bucket's key
   * @param emissionInterval the time one permit represents (1 s / rate), positive
   * @param burstTolerance how far ahead of now the TAT may run, not negative
   * @param counterKey the counter's key, on the bucket's cluster slot
   * @param limit the highest value the counter may reach
   * @param expiresAt when a counter created by this call expires
   * @return the admission; completes exceptionally with {@link QuotaStoreUnavailableException} as the blocking call
   *     throws
   */
  public CompletionStage<Admission> admitAsync(String bucketKey, Duration emissionInterval, Duration burstTolerance,
      String counterKey, long limit, Instant expiresAt) {
    return redis.submit(commands.admit(bucketKey, emissionInterval, burstTolerance, counterKey, limit, expiresAt));
  }

  /**
   * {@inheritDoc} Lease times are whole milliseconds on the Redis server's clock.
   *
   * @throws QuotaStoreUnavailableException if Redis cannot answer and the policy is {@link FailurePolicy#FAIL_CLOSED}
   */
  @Override
  public boolean acquireLease(String key, String holder, long limit, Duration timeToLive) {
    return redis.call(commands.acquireLease(key, holder, limit, timeToLive));
  }

  /**
   * {@link #acquireLease} without blocking.
   *
   * @param key the lease set's key
   * @param holder who holds the slot
   * @param limit how many holders may have a lease at once, not negative
   * @param timeToLive how long the lease lives unless renewed, positive
   * @return whether the holder now has a live lease
   */
  public CompletionStage<Boolean> acquireLeaseAsync(String key, String holder, long limit, Duration timeToLive) {
    return redis.submit(commands.acquireLease(key, holder, limit, timeToLive));
  }

  /**
   * {@inheritDoc}
   *
   * @throws QuotaStoreUnavailableException if Redis cannot answer and the policy is {@link FailurePolicy#FAIL_CLOSED}
   */
  @Override
  public void releaseLease(String key, String holder) {
    redis.call(commands.releaseLease(key, holder));
  }

  /**
   * {@link #releaseLease} without blocking.
   *
   * @param key the lease set's key
   * @param holder the holder
   * @return completes when the lease is gone
   */
  public CompletionStage<Void> releaseLeaseAsync(String key, String holder) {
    return redis.submit(commands.releaseLease(key, holder));
  }

  /**
   * {@inheritDoc}
   *
   * @throws QuotaStoreUnavailableException if Redis cannot answer and the policy is {@link FailurePolicy#FAIL_CLOSED}
   */
  @Override
  public long activeLeases(String key) {
    return redis.call(commands.activeLeases(key));
  }

  /**
   * {@link #activeLeases} without blocking.
   *
   * @param key the lease set's key
   * @return how many holders have a live lease
   */
  public CompletionStage<Long> activeLeasesAsync(String key) {
    return redis.submit(commands.activeLeases(key));
  }

  /**
   * Whether Redis is in use: false from the first failure of an outage until a probe gets an answer again. Suits a
   * health indicator; a store on a Redis that was never reached reports true until its first call.
   *
   * @return whether the store currently answers from Redis rather than by its failure policy
   */
  public boolean isAvailable() {
    return redis.isAvailable();
  }

  /** Closes the connection, and the client too if the store created it; idempotent. Calls after it throw. */
  @Override
  public void close() {
    redis.close();
  }

  /**
   * Configures a {@link RedisQuotaStore}; each option has a safe default except where Redis is.
   */
  public static final class Builder {

    private @Nullable RedisURI uri;
    private @Nullable RedisClient client;
    private String keyPrefix = "tenancy:";
    private Duration commandTimeout = Duration.ofMillis(500);
    private Duration recoveryInterval = Duration.ofSeconds(1);
    private FailurePolicy failurePolicy = FailurePolicy.FAIL_CLOSED;
    private @Nullable QuotaStore fallback;
    private RedisAvailabilityListener listener = new RedisAvailabilityListener() { };

    private Builder() {
    }

    /**
     * Where Redis is; the store then creates (and on {@link #close()} shuts down) its own client.
     *
     * @param uri e.g. {@code redis://127.0.0.1:6379/0} or {@code rediss://:password@redis.internal:6380}
     * @return this builder
     * @throws IllegalArgumentException if the URI does not parse
     */
    public Builder uri(String uri) {
      return uri(RedisURI.create(Objects.requireNonNull(uri, "uri")));
    }

    /**
     * Where Redis is, as a Lettuce {@link RedisURI}.
     *
     * @param uri where Redis is
     * @return this builder
     */
    public Builder uri(RedisURI uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
      return this;
    }

    /**
     * Uses an existing client (and its threads) instead of creating one; it stays yours to shut down. It must be
     * configured with {@code ClientOptions.builder().disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)} so
     * that no increment is ever replayed after a reconnect. The store connects to {@link #uri(RedisURI)} if set,
     * otherwise to the URI the client was created with.
     *
     * @param client a Lettuce client
     * @return this builder
     */
    public Builder client(RedisClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * Prefixes every key the store writes, so that several applications (or environments) can share one Redis.
     *
     * @param keyPrefix e.g. {@code "tenancy:"} (the default) or {@code "billing-prod:"}; not blank
     * @return this builder
     */
    public Builder keyPrefix(String keyPrefix) {
      if (Objects.requireNonNull(keyPrefix, "keyPrefix").isBlank()) {
        throw new IllegalArgumentException("keyPrefix must not be blank; use e.g. \"tenancy:\"");
      }
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * How long a call waits for Redis before the failure policy answers instead; default 500 ms.
     *
     * @param commandTimeout positive
     * @return this builder
     */
    public Builder commandTimeout(Duration commandTimeout) {
      RedisQuotaCommands.positive(commandTimeout, "commandTimeout");
      this.commandTimeout = commandTimeout;
      return this;
    }

    /**
     * How long after a failure the store waits before it tries Redis again (one probe per interval); default 1 s.
     *
     * @param recoveryInterval positive
     * @return this builder
     */
    public Builder recoveryInterval(Duration recoveryInterval) {
      RedisQuotaCommands.positive(recoveryInterval, "recoveryInterval");
      this.recoveryInterval = recoveryInterval;
      return this;
    }

    /**
     * What to answer while Redis is unavailable; default {@link FailurePolicy#FAIL_CLOSED}.
     *
     * @param failurePolicy the policy; {@link FailurePolicy#FAIL_OPEN} needs a {@link #fallback(QuotaStore)}
     * @return this builder
     */
    public Builder failurePolicy(FailurePolicy failurePolicy) {
      this.failurePolicy = Objects.requireNonNull(failurePolicy, "failurePolicy");
      return this;
    }

    /**
     * The local store that answers while Redis is unavailable under {@link FailurePolicy#FAIL_OPEN}, typically an
     * in-memory store; it only sees the calls made during outages.
     *
     * @param fallback a store local to this app instance
     * @return this builder
     */
    public Builder fallback(QuotaStore fallback) {
      this.fallback = Objects.requireNonNull(fallback, "fallback");
      return this;
    }

    /**
     * Hears when Redis becomes unavailable and when it recovers (once each per outage).
     *
     * @param listener the listener; one that throws is logged and ignored
     * @return this builder
     */
    public Builder listener(RedisAvailabilityListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Creates the store. It does not connect yet and never blocks: a store built while Redis is down starts working
     * when Redis comes up.
     *
     * @return the store
     * @throws TenancyConfigurationException if Redis's address is missing, a given client could replay commands,
     *     or the failure policy and the fallback contradict each other
     */
    public RedisQuotaStore build() {
      if (uri == null && client == null) {
        throw new TenancyConfigurationException(
            "RedisQuotaStore needs to know where Redis is: set uri(\"redis://host:6379\") or client(RedisClient)");
      }
      if (failurePolicy == FailurePolicy.FAIL_OPEN && fallback == null) {
        throw new TenancyConfigurationException("FailurePolicy.FAIL_OPEN answers from a local store while Redis is "
            + "unavailable: set fallback(QuotaStore), e.g. an in-memory quota store");
      }
      if (failurePolicy == FailurePolicy.FAIL_CLOSED && fallback != null) {
        throw new TenancyConfigurationException("A fallback store is only used with FailurePolicy.FAIL_OPEN: set "
            + "failurePolicy(FAIL_OPEN) or remove fallback(...)");
      }
      RedisConnector connector;
      if (client == null) {
        connector = RedisConnector.owning(Objects.requireNonNull(uri), recoveryInterval,
            RedisQuotaCommands.SCRIPTS);
      } else {
        requireAtMostOnce(client.getOptions());
        connector = RedisConnector.sharing(client, uri, RedisQuotaCommands.SCRIPTS);
      }
      return new RedisQuotaStore(this, connector);
    }

    private static void requireAtMostOnce(ClientOptions options) {
      if (options.getDisconnectedBehavior() != ClientOptions.DisconnectedBehavior.REJECT_COMMANDS
          || !options.isAutoReconnect()) {
        throw new TenancyConfigurationException("The RedisClient given to RedisQuotaStore could replay an increment "
            + "after a reconnect (or never reconnect): configure it with ClientOptions.builder().autoReconnect(true)"
            + ".disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS), or give uri(...) instead "
            + "and let the store create its own client");
      }
    }
  }
}
