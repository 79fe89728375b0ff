package dev.tenancy.redis;

import dev.tenancy.core.spi.QuotaStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A deliberately simple local store that counts its calls: the fallback in fail-open tests, standing in for core's
 * in-memory store until that lands. Counters and leases are exact (one lock); rate buckets always admit and leases
 * never expire, which is enough to tell its answers from Redis's.
 */
final class CountingQuotaStore implements QuotaStore {

  private final Map<String, Long> counters = new HashMap<>();
  private final Map<String, Set<String>> leases = new HashMap<>();
  private final AtomicInteger calls = new AtomicInteger();

  /** @return how many operations this store has answered */
  int calls() {
    return calls.get();
  }

  @Override
  public synchronized CounterUpdate addIfWithin(String key, long amount, long limit, Instant expiresAt) {
    calls.incrementAndGet();
    long value = counters.getOrDefault(key, 0L);
    if (value + amount > limit) {
      return new CounterUpdate(false, value);
    }
    counters.put(key, value + amount);
    return new CounterUpdate(true, value + amount);
  }

  @Override
  public synchronized long subtract(String key, long amount) {
    calls.incrementAndGet();
    long value = Math.max(0, counters.getOrDefault(key, 0L) - amount);
    counters.put(key, value);
    return value;
  }

  @Override
  public synchronized long current(String key) {
    calls.incrementAndGet();
    return counters.getOrDefault(key, 0L);
  }

  @Override
  public RateDecision acquire(String key, Duration emissionInterval, Duration burstTolerance, int permits) {
    calls.incrementAndGet();
    return new RateDecision(true, Duration.ZERO, Duration.ZERO);
  }

  @Override
  public synchronized boolean acquireLease(String key, String holder, long limit, Duration timeToLive) {
    calls.incrementAndGet();
    Set<String> holders = leases.computeIfAbsent(key, k -> new HashSet<>());
    if (holders.contains(holder) || holders.size() < limit) {
      holders.add(holder);
      return true;
    }
    return false;
  }

  @Override
  public synchronized void releaseLease(String key, String holder) {
    calls.incrementAndGet();
    leases.getOrDefault(key, new HashSet<>()).remove(holder);
  }

  @Override
  public synchronized long activeLeases(String key) {
    calls.incrementAndGet();
    return leases.getOrDefault(key, Set.of()).size();
  }
}
