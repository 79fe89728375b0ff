package dev.tenancy.redis;

import dev.tenancy.core.spi.QuotaStore.Admission;
import dev.tenancy.core.spi.QuotaStore.CounterUpdate;
import dev.tenancy.core.spi.QuotaStore.RateDecision;
import dev.tenancy.core.spi.QuotaStore;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * Each {@link QuotaStore} operation as a {@link GuardedRedis.Op}: its arguments checked, the one command (script) that
 * runs it on Redis and turns the reply into the SPI's result, and the same call on the fallback store. One command per
 * operation, so each operation is one round trip.
 *
 * <p>Keys are {@code <prefix>c:<key>} for counters, {@code <prefix>b:<key>} for rate buckets and
 * {@code <prefix>l:<key>} for lease sets, so that one SPI key used for two kinds never collides in Redis.
 */
final class RedisQuotaCommands {

  private static final LuaScript ADD_IF_WITHIN = LuaScript.load("add_if_within.lua");
  private static final LuaScript SUBTRACT = LuaScript.load("subtract.lua");
  private static final LuaScript GCRA = LuaScript.load("gcra.lua");
  private static final LuaScript ADMIT = LuaScript.load("admit.lua");
  private static final LuaScript ACQUIRE_LEASE = LuaScript.load("acquire_lease.lua");
  private static final LuaScript ACTIVE_LEASES = LuaScript.load("active_leases.lua");

  /** Every script, to load when a connection opens. */
  static final List<LuaScript> SCRIPTS = List.of(ADD_IF_WITHIN, SUBTRACT, GCRA, ADMIT, ACQUIRE_LEASE,
      ACTIVE_LEASES);

  private final String counterPrefix;
  private final String bucketPrefix;
  private final String leasePrefix;

  RedisQuotaCommands(String keyPrefix) {
    this.counterPrefix = keyPrefix + "c:";
    this.bucketPrefix = keyPrefix + "b:";
    this.leasePrefix = keyPrefix + "l:";
  }

  GuardedRedis.Op<CounterUpdate> addIfWithin(String key, long amount, long limit, Instant expiresAt) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(expiresAt, "expiresAt");
    positive(amount, "amount");
    notNegative(limit, "limit");
    return new GuardedRedis.Op<>(r -> sendAddIfWithin(r, key, amount, limit, expiresAt),
        f -> f.addIfWithin(key, amount, limit, expiresAt));
  }

  GuardedRedis.Op<Long> subtract(String key, long amount) {
    Objects.requireNonNull(key, "key");
    positive(amount, "amount");
    return new GuardedRedis.Op<>(r -> sendSubtract(r, key, amount), f -> f.subtract(key, amount));
  }

  GuardedRedis.Op<Long> current(String key) {
    Objects.requireNonNull(key, "key");
    return new GuardedRedis.Op<>(r -> sendCurrent(r, key), f -> f.current(key));
  }

  GuardedRedis.Op<RateDecision> acquire(String key, Duration emissionInterval, Duration burstTolerance,
      int permits) {
    checkRate(key, emissionInterval, burstTolerance, permits);
    return new GuardedRedis.Op<>(r -> sendAcquire(r, key, emissionInterval, burstTolerance, permits),
        f -> f.acquire(key, emissionInterval, burstTolerance, permits));
  }

  GuardedRedis.Op<Admission> admit(String bucketKey, Duration emissionInterval, Duration burstTolerance,
      String counterKey, long limit, Instant expiresAt) {
    checkRate(bucketKey, emissionInterval, burstTolerance, 1);
    Objects.requireNonNull(counterKey, "counterKey");
    Objects.requireNonNull(expiresAt, "expiresAt");
    notNegative(limit, "limit");
    return new GuardedRedis.Op<>(
        r -> sendAdmit(r, bucketKey, emissionInterval, burstTolerance, counterKey, limit, expiresAt),
        f -> f.admit(bucketKey, emissionInterval, burstTolerance, counterKey, limit, expiresAt));
  }

  GuardedRedis.Op<Boolean> acquireLease(String key, String holder, long limit, Duration timeToLive) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(holder, "holder");
    notNegative(limit, "limit");
    positive(timeToLive, "timeToLive");
    return new GuardedRedis.Op<>(r -> sendAcquireLease(r, key, holder, limit, timeToLive),
        f -> f.acquireLease(key, holder, limit, timeToLive));
  }

  GuardedRedis.Op<Void> releaseLease(String key, String holder) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(holder, "holder");
    return new GuardedRedis.Op<>(r -> sendReleaseLease(r, key, holder), f -> {
      f.releaseLease(key, holder);
      return null;
    });
  }

  GuardedRedis.Op<Long> activeLeases(String key) {
    Objects.requireNonNull(key, "key");
    return new GuardedRedis.Op<>(r -> sendActiveLeases(r, key), f -> f.activeLeases(key));
  }

  private static void checkRate(String key, Duration emissionInterval, Duration burstTolerance, int permits) {
    Objects.requireNonNull(key, "key");
    positive(emissionInterval, "emissionInterval");
    if (Objects.requireNonNull(burstTolerance, "burstTolerance").isNegative()) {
      throw new IllegalArgumentException("burstTolerance must not be negative, was " + burstTolerance);
    }
    positive(permits, "permits");
  }

  static void positive(long value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
  }

  static void notNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value);
    }
  }

  static void positive(Duration value, String name) {
    if (Objects.requireNonNull(value, name).isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  private CompletionStage<CounterUpdate> sendAddIfWithin(RedisAsyncCommands<String, String> redis, String key, long amount,
      long limit, Instant expiresAt) {
    return ADD_IF_WITHIN.<List<Object>>run(redis, ScriptOutputType.MULTI, counterPrefix + key,
            Long.toString(amount), Long.toString(limit), Long.toString(expiresAt.toEpochMilli()))
        .thenApply(reply -> new CounterUpdate(number(reply, 0) == 1, number(reply, 1)));
  }

  private CompletionStage<Long> sendSubtract(RedisAsyncCommands<String, String> redis, String key, long amount) {
    return SUBTRACT.run(redis, ScriptOutputType.INTEGER, counterPrefix + key, Long.toString(amount));
  }

  private CompletionStage<Long> sendCurrent(RedisAsyncCommands<String, String> redis, String key) {
    return redis.get(counterPrefix + key).thenApply(value -> value == null ? 0L : Long.parseLong(value));
  }

  private CompletionStage<RateDecision> sendAcquire(RedisAsyncCommands<String, String> redis, String key,
      Duration emissionInterval, Duration burstTolerance, int permits) {
    long interval = emissionMicros(emissionInterval);
    long tolerance = toleranceMicros(emissionInterval, burstTolerance, interval);
    return GCRA.<List<Object>>run(redis, ScriptOutputType.MULTI, bucketPrefix + key,
            Long.toString(interval), Long.toString(tolerance), Integer.toString(permits))
        .thenApply(reply -> new RateDecision(number(reply, 0) == 1,
            Duration.of(number(reply, 1), ChronoUnit.MICROS), Duration.of(number(reply, 2), ChronoUnit.MICROS)));
  }

  private CompletionStage<Admission> sendAdmit(RedisAsyncCommands<String, String> redis, String bucketKey,
      Duration emissionInterval, Duration burstTolerance, String counterKey, long limit, Instant expiresAt) {
    long interval = emissionMicros(emissionInterval);
    long tolerance = toleranceMicros(emissionInterval, burstTolerance, interval);
    String[] keys = {bucketPrefix + bucketKey, counterPrefix + counterKey};
    return ADMIT.<List<Object>>runOn(redis, ScriptOutputType.MULTI, keys, Long.toString(interval),
            Long.toString(tolerance), Long.toString(limit), Long.toString(expiresAt.toEpochMilli()))
        .thenApply(reply -> {
          RateDecision rate = new RateDecision(number(reply, 0) == 1,
              Duration.of(number(reply, 1), ChronoUnit.MICROS), Duration.of(number(reply, 2), ChronoUnit.MICROS));
          long added = number(reply, 3);
          return new Admission(rate, added < 0 ? null : new CounterUpdate(added == 1, number(reply, 4)));
        });
  }

  private CompletionStage<Boolean> sendAcquireLease(RedisAsyncCommands<String, String> redis, String key, String holder,
      long limit, Duration timeToLive) {
    long ttlMillis = Math.max(1, TimeUnit.MILLISECONDS.convert(timeToLive));
    return ACQUIRE_LEASE.<Long>run(redis, ScriptOutputType.INTEGER, leasePrefix + key,
            holder, Long.toString(limit), Long.toString(ttlMillis))
        .thenApply(granted -> granted == 1L);
  }

  private CompletionStage<Void> sendReleaseLease(RedisAsyncCommands<String, String> redis, String key, String holder) {
    return redis.zrem(leasePrefix + key, holder).thenApply(removed -> null);
  }

  private CompletionStage<Long> sendActiveLeases(RedisAsyncCommands<String, String> redis, String key) {
    return ACTIVE_LEASES.run(redis, ScriptOutputType.INTEGER, leasePrefix + key);
  }

  /** The emission interval in whole microseconds (the TAT's unit), rounded to the nearest, at least 1. */
  static long emissionMicros(Duration emissionInterval) {
    long nanos = saturatedNanos(emissionInterval);
    return Math.max(1, (nanos + 500) / 1000);
  }

  /**
   * The burst tolerance in microseconds, chosen so that a full bucket admits exactly as many permits at once as the
   * exact durations do ({@code floor(tolerance / interval) + 1}) although the interval was rounded to microseconds.
   */
  static long toleranceMicros(Duration emissionInterval, Duration burstTolerance, long intervalMicros) {
    long burstMinusOne = saturatedNanos(burstTolerance) / saturatedNanos(emissionInterval);
    long rounded = (saturatedNanos(burstTolerance) + 500) / 1000;
    long atLeast = saturatedMultiply(burstMinusOne, intervalMicros);
    long below = saturatedMultiply(burstMinusOne + 1, intervalMicros) - 1;
    return Math.min(Math.max(rounded, atLeast), below);
  }

  private static long saturatedNanos(Duration duration) {
    return TimeUnit.NANOSECONDS.convert(duration);
  }

  private static long saturatedMultiply(long a, long b) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    return (high == 0 && low >= 0) ? low : Long.MAX_VALUE;
  }

  private static long number(List<Object> reply, int index) {
    return ((Number) reply.get(index)).longValue();
  }
}
