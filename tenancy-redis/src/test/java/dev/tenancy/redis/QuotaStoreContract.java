package dev.tenancy.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tenancy.core.spi.QuotaStore;
import dev.tenancy.core.spi.QuotaStore.CounterUpdate;
import dev.tenancy.core.spi.QuotaStore.RateDecision;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link QuotaStore} must have, written before {@code dev.tenancy.test.QuotaStoreCompatibilityKit}
 * existed: once the kit lands, {@link RedisQuotaStoreContractIT} extends the kit instead and this class goes.
 */
abstract class QuotaStoreContract {

  static final int THREADS = 16;
  static final Instant IN_AN_HOUR = Instant.now().plus(1, ChronoUnit.HOURS);

  /** The store under test, fresh for every test. */
  protected QuotaStore store;

  /** @return a new store that shares no keys with stores returned before */
  protected abstract QuotaStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  static String key(String name) {
    return name + ":" + UUID.randomUUID();
  }

  @Test
  void addIfWithin_withinLimit_addsAndReturnsTheNewValue() {
    String key = key("api-calls");
    assertThat(store.addIfWithin(key, 3, 10, IN_AN_HOUR)).isEqualTo(new CounterUpdate(true, 3));
    assertThat(store.addIfWithin(key, 7, 10, IN_AN_HOUR)).isEqualTo(new CounterUpdate(true, 10));
    assertThat(store.current(key)).isEqualTo(10);
  }

  @Test
  void addIfWithin_beyondLimit_refusesTheWholeAmountAndKeepsTheValue() {
    String key = key("storage");
    store.addIfWithin(key, 8, 10, IN_AN_HOUR);
    assertThat(store.addIfWithin(key, 3, 10, IN_AN_HOUR)).isEqualTo(new CounterUpdate(false, 8));
    assertThat(store.addIfWithin(key, 2, 10, IN_AN_HOUR)).isEqualTo(new CounterUpdate(true, 10));
    assertThat(store.addIfWithin(key, 1, 10, IN_AN_HOUR)).isEqualTo(new CounterUpdate(false, 10));
    assertThat(store.addIfWithin(key("zero"), 1, 0, IN_AN_HOUR)).isEqualTo(new CounterUpdate(false, 0));
  }

  @Test
  void addIfWithin_sixteenThreadsHammering_addsExactlyTheLimit() throws Exception {
    String key = key("exact");
    List<Boolean> results = hammer(THREADS, 150, i -> () -> store.addIfWithin(key, 1, 1000, IN_AN_HOUR).added());
    assertThat(results).hasSize(THREADS * 150).filteredOn(added -> added).hasSize(1000);
    assertThat(store.current(key)).isEqualTo(1000);
  }

  @Test
  void addIfWithin_periodOver_counterStartsAgain() {
    String key = key("period");
    store.addIfWithin(key, 5, 5, Instant.now().plusMillis(300));
    await().atMost(Duration.ofSeconds(5)).until(() -> store.current(key) == 0);
    assertThat(store.addIfWithin(key, 1, 5, IN_AN_HOUR)).isEqualTo(new CounterUpdate(true, 1));
  }

  @Test
  void subtract_takesBackButNeverBelowZero() {
    String key = key("refund");
    store.addIfWithin(key, 5, 10, IN_AN_HOUR);
    assertThat(store.subtract(key, 3)).isEqualTo(2);
    assertThat(store.subtract(key, 10)).isZero();
    assertThat(store.current(key)).isZero();
    assertThat(store.subtract(key("absent"), 4)).isZero();
    assertThat(store.current(key("absent"))).isZero();
  }

  @Test
  void acquire_fullBucket_admitsTheBurstThenRefusesWithRetryAfterOfAboutOneInterval() {
    String key = key("rate");
    Duration interval = Duration.ofSeconds(2);
    for (int i = 0; i < 5; i++) {
      assertThat(store.acquire(key, interval, interval.multipliedBy(4), 1).allowed()).as("permit %d", i).isTrue();
    }
    RateDecision refused = store.acquire(key, interval, interval.multipliedBy(4), 1);
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfter()).isBetween(interval.minusMillis(500), interval);
    assertThat(refused.resetAfter()).isBetween(interval.multipliedBy(5).minusMillis(500), interval.multipliedBy(5));
  }

  @Test
  void acquire_refusedRequests_consumeNothing() {
    String key = key("refusals");
    Duration interval = Duration.ofMillis(200);
    assertThat(store.acquire(key, interval, interval, 2).allowed()).isTrue();
    for (int i = 0; i < 20; i++) {
      assertThat(store.acquire(key, interval, interval, 1).allowed()).isFalse();
    }
    // Had the refusals pushed the bucket back, no permit would come within one interval or two.
    await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
        .until(() -> store.acquire(key, interval, interval, 1).allowed());
    RateDecision next = store.acquire(key, interval, interval, 1);
    assertThat(next.allowed()).isFalse();
    assertThat(next.retryAfter()).isLessThanOrEqualTo(interval);
  }

  @Test
  void acquire_severalPermits_takesThemAtOnceOrNotAtAll() {
    String key = key("bulk");
    Duration interval = Duration.ofSeconds(10);
    Duration tolerance = interval.multipliedBy(9);
    assertThat(store.acquire(key, interval, tolerance, 4).allowed()).isTrue();
    assertThat(store.acquire(key, interval, tolerance, 7).allowed()).isFalse();
    assertThat(store.acquire(key, interval, tolerance, 6).allowed()).isTrue();
    assertThat(store.acquire(key, interval, tolerance, 1).allowed()).isFalse();
  }

  @Test
  void acquire_afterIdling_refillsToTheBurstAndNeverBeyond() {
    String key = key("refill");
    Duration interval = Duration.ofMillis(50);
    Duration tolerance = interval.multipliedBy(2);
    assertThat(store.acquire(key, interval, tolerance, 3).allowed()).isTrue();
    long idleSince = System.nanoTime();
    // Idle for eight intervals: a bucket that kept filling past its burst would now admit more than three.
    await().atMost(Duration.ofSeconds(2)).until(() -> System.nanoTime() - idleSince > interval.toNanos() * 8);
    assertThat(store.acquire(key, interval, tolerance, 3).allowed()).isTrue();
    assertThat(store.acquire(key, interval, tolerance, 1).allowed()).isFalse();
  }

  @Test
  void acquire_sixteenThreadsOnOneBucket_admitExactlyTheBurst() throws Exception {
    String key = key("burst");
    Duration interval = Duration.ofHours(1);
    List<Boolean> results = hammer(THREADS, 20,
        i -> () -> store.acquire(key, interval, interval.multipliedBy(99), 1).allowed());
    assertThat(results).filteredOn(allowed -> allowed).hasSize(100);
  }

  @Test
  void acquireLease_limitReached_refusesNewHoldersButRenewsExistingOnes() {
    String key = key("users");
    Duration ttl = Duration.ofMinutes(1);
    assertThat(store.acquireLease(key, "alice", 2, ttl)).isTrue();
    assertThat(store.acquireLease(key, "bob", 2, ttl)).isTrue();
    assertThat(store.acquireLease(key, "carol", 2, ttl)).isFalse();
    assertThat(store.acquireLease(key, "alice", 2, ttl)).isTrue();
    assertThat(store.activeLeases(key)).isEqualTo(2);
  }

  @Test
  void releaseLease_freesTheSlotForAnotherHolder() {
    String key = key("seats");
    store.acquireLease(key, "alice", 1, Duration.ofMinutes(1));
    store.releaseLease(key, "alice");
    assertThat(store.activeLeases(key)).isZero();
    assertThat(store.acquireLease(key, "bob", 1, Duration.ofMinutes(1))).isTrue();
  }

  @Test
  void acquireLease_notRenewed_expiresAndFreesTheSlot() {
    String key = key("expiry");
    store.acquireLease(key, "alice", 1, Duration.ofMillis(300));
    assertThat(store.acquireLease(key, "bob", 1, Duration.ofMinutes(1))).isFalse();
    await().atMost(Duration.ofSeconds(5)).until(() -> store.activeLeases(key) == 0);
    assertThat(store.acquireLease(key, "bob", 1, Duration.ofMinutes(1))).isTrue();
  }

  @Test
  void acquireLease_renewed_outlivesItsFirstTimeToLive() {
    String key = key("renew");
    store.acquireLease(key, "alice", 1, Duration.ofMillis(200));
    store.acquireLease(key, "alice", 1, Duration.ofMinutes(1));
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(3)).until(() -> store.activeLeases(key) == 1);
  }

  @Test
  void acquireLease_sixteenThreadsWithDistinctHolders_grantExactlyTheLimit() throws Exception {
    String key = key("concurrent-users");
    List<Boolean> results = hammer(THREADS, 1,
        i -> () -> store.acquireLease(key, "user-" + i, 5, Duration.ofMinutes(1)));
    assertThat(results).filteredOn(granted -> granted).hasSize(5);
    assertThat(store.activeLeases(key)).isEqualTo(5);
  }

  @Test
  void operations_invalidArguments_areRejected() {
    assertThatThrownBy(() -> store.addIfWithin("k", 0, 10, IN_AN_HOUR)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.addIfWithin("k", 1, -1, IN_AN_HOUR)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.acquire("k", Duration.ZERO, Duration.ZERO, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.acquire("k", Duration.ofSeconds(1), Duration.ZERO, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.acquireLease("k", "h", 1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Runs {@code perThread} calls on each of {@code threads} threads, all released at once; returns every result. */
  static <T> List<T> hammer(int threads, int perThread, IntFunction<Callable<T>> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<List<T>>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Callable<T> task = call.apply(t);
        futures.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          List<T> mine = new ArrayList<>();
          for (int i = 0; i < perThread; i++) {
            mine.add(task.call());
          }
          return mine;
        }));
      }
      List<T> all = new ArrayList<>();
      for (Future<List<T>> future : futures) {
        all.addAll(future.get(60, TimeUnit.SECONDS));
      }
      return all;
    } finally {
      pool.shutdownNow();
    }
  }
}
