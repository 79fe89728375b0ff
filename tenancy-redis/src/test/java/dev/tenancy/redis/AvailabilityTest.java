package dev.tenancy.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AvailabilityTest {

  private final AtomicLong nanos = new AtomicLong(1_000);
  private final RecordingListener listener = new RecordingListener();
  private final Availability availability =
      new Availability("redis://test", Duration.ofMillis(100), nanos::get, listener);

  private void advance(Duration duration) {
    nanos.addAndGet(duration.toNanos());
  }

  @Test
  void mayTry_whileAvailable_letsEveryCallThrough() {
    for (int i = 0; i < 10; i++) {
      assertThat(availability.mayTry(availability.now())).isTrue();
    }
  }

  @Test
  void failed_manyTimes_notifiesTheListenerOnce() {
    for (int i = 0; i < 10; i++) {
      availability.failed(new IOException("connection refused"));
    }
    assertThat(listener.unavailable).hasValue(1);
    assertThat(availability.isAvailable()).isFalse();
  }

  @Test
  void mayTry_duringAnOutage_letsOneProbeThroughPerRetryInterval() {
    availability.failed(new IOException("connection refused"));
    assertThat(availability.mayTry(availability.now())).isFalse();
    advance(Duration.ofMillis(100));
    assertThat(availability.mayTry(availability.now())).isTrue();
    assertThat(availability.mayTry(availability.now())).isFalse();
    advance(Duration.ofMillis(99));
    assertThat(availability.mayTry(availability.now())).isFalse();
    advance(Duration.ofMillis(1));
    assertThat(availability.mayTry(availability.now())).isTrue();
  }

  @Test
  void succeeded_probeDuringAnOutage_recoversAndNotifiesOnce() {
    availability.failed(new IOException("connection refused"));
    advance(Duration.ofMillis(150));
    long probe = availability.now();
    assertThat(availability.mayTry(probe)).isTrue();
    availability.succeeded(probe);
    availability.succeeded(probe);
    assertThat(availability.isAvailable()).isTrue();
    assertThat(listener.recovered).hasValue(1);
    assertThat(availability.mayTry(availability.now())).isTrue();
  }

  /**
   * A slow answer to a request sent before Redis went away says nothing about Redis now; it must not end the outage
   * (and flap the listener).
   */
  @Test
  void succeeded_callStartedBeforeTheOutage_doesNotEndIt() {
    long before = availability.now();
    advance(Duration.ofMillis(10));
    availability.failed(new IOException("connection reset"));
    availability.succeeded(before);
    assertThat(availability.isAvailable()).isFalse();
    assertThat(listener.recovered).hasValue(0);
  }

  @Test
  void failed_afterRecovery_isANewOutageAndNotifiedAgain() {
    availability.failed(new IOException("first"));
    advance(Duration.ofMillis(100));
    availability.succeeded(availability.now());
    availability.failed(new IOException("second"));
    assertThat(listener.unavailable).hasValue(2);
    assertThat(listener.recovered).hasValue(1);
  }

  @Test
  void listenerThatThrows_isIgnored() {
    Availability withBadListener = new Availability("redis://test", Duration.ofMillis(100), nanos::get,
        new RedisAvailabilityListener() {
          @Override
          public void onRecovered(String target, Duration downtime) {
            throw new IllegalStateException("boom");
          }
        });
    withBadListener.failed(new IOException("down"));
    advance(Duration.ofMillis(100));
    withBadListener.succeeded(withBadListener.now());
    assertThat(withBadListener.isAvailable()).isTrue();
  }
}
