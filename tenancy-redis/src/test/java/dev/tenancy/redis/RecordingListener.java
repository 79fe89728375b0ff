package dev.tenancy.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts what a {@link RedisAvailabilityListener} hears. */
final class RecordingListener implements RedisAvailabilityListener {

  final AtomicInteger unavailable = new AtomicInteger();
  final AtomicInteger recovered = new AtomicInteger();

  @Override
  public void onUnavailable(String target, Throwable cause) {
    unavailable.incrementAndGet();
  }

  @Override
  public void onRecovered(String target, Duration downtime) {
    recovered.incrementAndGet();
  }
}
