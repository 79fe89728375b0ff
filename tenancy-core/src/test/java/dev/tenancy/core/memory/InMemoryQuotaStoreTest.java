package dev.tenancy.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenancy.core.spi.QuotaStore.CounterUpdate;
import dev.tenancy.core.spi.QuotaStore.RateDecision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the shared {@code QuotaStoreCompatibilityKit} cannot see of {@link InMemoryQuotaStore}: steps change counters
 * and buckets in place with a compare-and-set while the map replaces or removes them under a lock, and the system
 * clock is read through {@link System#nanoTime()}.
 */
class InMemoryQuotaStoreTest {

  private static final int THREADS = 8;

  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  /**
   * A step has read the bucket's TAT and pauses (on its clock reading) while another request, too big for the expiry
   * the cache was told, replaces the bucket with one carrying that TAT. The paused step must not land on the old
   * bucket, where nobody would see it again: it retries on the new one, and the burst of 50 stays 50.
   */
  @Test
  void acquire_stepPausedWhileTheBucketIsReplaced_countsOnTheNewBucket() throws Exception {
    TestClock clock = new TestClock();
    InMemoryQuotaStore store = InMemoryQuotaStore.builder().clock(clock).build();
    Duration interval = Duration.ofMillis(10);
    Duration tolerance = interval.multipliedBy(49);
    store.acquire("bucket", interval, tolerance, 1);
    // Full again, and one permit from the expiry the cache was told (the TAT then, plus a second).
    clock.advance(Duration.ofSeconds(1));

    Future<RateDecision> paused = clock.pauseNextReadOn(pool,
        () -> store.acquire("bucket", interval, tolerance, 1));
    assertThat(store.acquire("bucket", interval, tolerance, 2).allowed()).as("two permits: past the expiry").isTrue();
    clock.resume();

    assertThat(paused.get(10, TimeUnit.SECONDS).allowed()).isTrue();
    int more = 0;
    while (store.acquire("bucket", interval, tolerance, 1).allowed()) {
      more++;
    }
    assertThat(1 + 2 + more).as("admitted in all").isEqualTo(50);
  }

  /**
   * An add has read the counter's value and pauses (on its clock reading) while the counter is emptied, which removes
   * it, and counted again, which creates a new one. The paused add must not land on the removed counter.
   */
  @Test
  void addIfWithin_addPausedWhileTheCounterIsRemovedAndCreatedAgain_countsOnTheNewCounter() throws Exception {
    TestClock clock = new TestClock();
    InMemoryQuotaStore store = InMemoryQuotaStore.builder().clock(clock).build();
    Instant expiresAt = clock.instant().plus(Duration.ofDays(1));
    store.addIfWithin("counter", 1, 10, expiresAt);

    Future<CounterUpdate> paused = clock.pauseNextReadOn(pool, () -> store.addIfWithin("counter", 1, 10, expiresAt));
    assertThat(store.subtract("counter", 1)).isZero();
    assertThat(store.addIfWithin("counter", 1, 10, expiresAt).value()).isEqualTo(1);
    clock.resume();

    assertThat(paused.get(10, TimeUnit.SECONDS)).isEqualTo(new CounterUpdate(true, 2));
    assertThat(store.current("counter")).isEqualTo(2);
  }

  /**
   * A bucket's steps move its arrival time in place only up to the expiry the cache was told; the step that would
   * pass it replaces the bucket under the key's lock while other threads keep stepping the old one. Each round starts
   * with a full bucket (burst 50) and a different distance to that expiry, so the replacement falls somewhere inside
   * the race; a step counted on the old bucket after its TAT was carried over would admit a 51st request.
   */
  @Test
  void acquire_threadsRacingWhileTheBucketIsReplacedForALaterExpiry_admitExactlyTheBurstEachRound() throws Exception {
    TestClock clock = new TestClock();
    InMemoryQuotaStore store = InMemoryQuotaStore.builder().clock(clock).build();
    Duration interval = Duration.ofMillis(10);
    Duration tolerance = interval.multipliedBy(49);
    Random random = new Random(42);

    for (int round = 0; round < 60; round++) {
      // Longer than the tolerance (the bucket is full again), about as long as the bucket's room above its TAT.
      clock.advance(Duration.ofMillis(600 + random.nextInt(1000)));
      List<Integer> admitted = race(() -> {
        int passed = 0;
        for (int i = 0; i < 20; i++) {
          passed += store.acquire("bucket", interval, tolerance, 1).allowed() ? 1 : 0;
        }
        return passed;
      });

      assertThat(admitted.stream().mapToInt(Integer::intValue).sum()).as("round %d", round).isEqualTo(50);
    }
  }

  /**
   * A counter back at zero leaves the map, and an add racing with that removal must land on a counter the map holds:
   * each thread adds one unit, finds it counted, and takes it back, so the count never exceeds the threads and ends
   * at zero.
   */
  @Test
  void addIfWithin_racingWithSubtractsThatEmptyTheCounter_neverLosesNorInventsAUnit() throws Exception {
    InMemoryQuotaStore store = new InMemoryQuotaStore();
    Instant expiresAt = Instant.now().plus(Duration.ofHours(1));

    List<String> problems = race(() -> {
      for (int i = 0; i < 20_000; i++) {
        CounterUpdate added = store.addIfWithin("counter", 1, THREADS, expiresAt);
        if (!added.added() || added.value() < 1 || added.value() > THREADS) {
          return "add " + i + " answered " + added;
        }
        long current = store.current("counter");
        if (current < 1) {
          return "add " + i + " was not counted: current " + current;
        }
        store.subtract("counter", 1);
      }
      return "";
    });

    assertThat(problems).containsOnly("");
    assertThat(store.current("counter")).isZero();
  }

  /**
   * Steps on a live counter never write to the cache, so the size bound would see a counter used a million times as
   * used once, and evict it (a reset of the tenant's count) before keys touched twice. The store tells the cache of
   * an entry's use about once a second; here a counter in use outlives forty times the bound of keys used twice.
   */
  @Test
  void addIfWithin_counterInUseWhileManyKeysComeAndGo_survivesTheSizeBound() {
    TestClock clock = new TestClock();
    InMemoryQuotaStore store = InMemoryQuotaStore.builder().clock(clock).maximumSize(50).build();
    Instant expiresAt = clock.instant().plus(Duration.ofDays(30));

    for (int i = 0; i < 2_000; i++) {
      store.addIfWithin("hot", 1, Long.MAX_VALUE, expiresAt);
      store.addIfWithin("cold-" + i, 1, Long.MAX_VALUE, expiresAt);
      store.addIfWithin("cold-" + i, 1, Long.MAX_VALUE, expiresAt);
      clock.advance(Duration.ofMillis(300));
    }

    assertThat(store.current("hot")).isEqualTo(2_000);
  }

  @Test
  void acquire_onTheSystemClock_refillsAfterExactlyOneIntervalOfRealTime() {
    InMemoryQuotaStore store = new InMemoryQuotaStore();
    Duration interval = Duration.ofMillis(100);
    long start = System.nanoTime();

    assertThat(store.acquire("bucket", interval, Duration.ZERO, 1).allowed()).isTrue();
    RateDecision refused = store.acquire("bucket", interval, Duration.ZERO, 1);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(interval);

    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
        .until(() -> store.acquire("bucket", interval, Duration.ZERO, 1).allowed());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(interval);
  }

  @Test
  void addIfWithin_onTheSystemClock_counterExpiresAtItsWallClockInstant() {
    InMemoryQuotaStore store = new InMemoryQuotaStore();
    Instant expiresAt = Instant.now().plusMillis(300);

    store.addIfWithin("counter", 1, 10, expiresAt);
    assertThat(store.current("counter")).isEqualTo(1);

    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
        .until(() -> store.current("counter") == 0);
    assertThat(Instant.now()).isAfterOrEqualTo(expiresAt.minusMillis(20));
  }

  private <T> List<T> race(Callable<T> task) throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<T>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      futures.add(pool.submit(() -> {
        start.await(10, TimeUnit.SECONDS);
        return task.call();
      }));
    }
    List<T> results = new ArrayList<>();
    for (Future<T> future : futures) {
      results.add(future.get(30, TimeUnit.SECONDS));
    }
    return results;
  }

  /** A clock that stands still until moved, and can hold one thread inside its next reading. */
  private static final class TestClock extends Clock {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-03-14T09:26:53.589Z"));
    private final AtomicReference<@Nullable Thread> toPause = new AtomicReference<>();
    private final CountDownLatch pausedLatch = new CountDownLatch(1);
    private final CountDownLatch resumeLatch = new CountDownLatch(1);

    void advance(Duration amount) {
      now.updateAndGet(instant -> instant.plus(amount));
    }

    /** Runs the task on the pool and returns once the task's first clock reading holds it. */
    <T> Future<T> pauseNextReadOn(ExecutorService pool, Callable<T> task) throws InterruptedException {
      Future<T> future = pool.submit(() -> {
        toPause.set(Thread.currentThread());
        return task.call();
      });
      assertThat(pausedLatch.await(10, TimeUnit.SECONDS)).as("the task reached the clock").isTrue();
      return future;
    }

    void resume() {
      resumeLatch.countDown();
    }

    @Override
    public Instant instant() {
      Thread current = Thread.currentThread();
      if (toPause.compareAndSet(current, null)) {
        pausedLatch.countDown();
        try {
          if (!resumeLatch.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never resumed");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
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
}
