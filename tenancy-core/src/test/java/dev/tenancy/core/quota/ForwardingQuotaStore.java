package dev.tenancy.core.quota;

import dev.tenancy.core.spi.QuotaStore;
import java.time.Duration;
import java.time.Instant;

/** A quota store that passes every call on; tests override what they want to break or observe. */
abstract class ForwardingQuotaStore implements QuotaStore {

  private final QuotaStore delegate;

  ForwardingQuotaStore(QuotaStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public CounterUpdate addIfWithin(String key, long amount, long limit, Instant expiresAt) {
    return delegate.addIfWithin(key, amount, limit, expiresAt);
  }

  @Override
  public long subtract(String key, long amount) {
    return delegate.subtract(key, amount);
  }

  @Override
  public long current(String key) {
    return delegate.current(key);
  }

  @Override
  public RateDecision acquire(String key, Duration emissionInterval, Duration burstTolerance, int permits) {
    return delegate.acquire(key, emissionInterval, burstTolerance, permits);
  }

  @Override
  public boolean acquireLease(String key, String holder, long limit, Duration timeToLive) {
    return delegate.acquireLease(key, holder, limit, timeToLive);
  }

  @Override
  public void releaseLease(String key, String holder) {
    delegate.releaseLease(key, holder);
  }

  @Override
  public long activeLeases(String key) {
    return delegate.activeLeases(key);
  }
}
