package dev.tenancy.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.spi.QuotaStore.Admission;
import dev.tenancy.core.spi.QuotaStore.CounterUpdate;
import dev.tenancy.core.spi.QuotaStore.RateDecision;
import dev.tenancy.core.spi.QuotaStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link QuotaStore} must have. Extend it and return a store:
 *
 * <pre>{@code
 * class RedisQuotaStoreCompatibilityIT extends QuotaStoreCompatibilityKit {
 *   @Override
 *   protected QuotaStore newStore() {
 *     return RedisQuotaStore.builder().client(redis).build();
 *   }
 *
 *   @Override
 *   protected boolean canInspectTimeToLive() {
 *     return true;
 *   }
 *
 *   @Override
 *   protected Optional<Duration> timeToLive(String key) {
 *     long millis = redis.connect().sync().pttl(key);
 *     return millis < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(millis));
 *   }
 * }
 * }</pre>
 *
 * <p><b>Keys.</b> Every test uses keys with a random part ({@link #key}), so a store may be shared by all tests (a
 * Redis server) and nothing needs cleaning between them.
 *
 * <p><b>Time.</b> A store on an injectable clock overrides {@link #canTravelInTime()}, {@link #advance} and
 * {@link #now()}; a store on a server's clock (Redis {@code TIME}) cannot, and the tests that need time to pass are
 * then skipped — except the expiry tests, which such a store passes by reporting its keys' time to live
 * ({@link #canInspectTimeToLive()}, {@link #timeToLive}). Rate-limit tests without time travel use an emission
 * interval of ten seconds, so the milliseconds a round trip takes do not change their outcome.
 *
 * <p><b>GCRA semantics</b> (what {@link QuotaStore#acquire} must compute, on the store's clock): with TAT the key's
 * theoretical arrival time (now, for an absent key), a request for {@code n} permits is admitted iff
 * {@code max(TAT, now) + (n - 1) × interval - now <= tolerance}, and then TAT becomes {@code max(TAT, now) + n ×
 * interval}. So a full bucket admits {@code tolerance / interval + 1} permits at once — the burst — and a refusal
 * reports {@code retryAfter = max(TAT, now) + (n - 1) × interval - tolerance - now} and changes nothing.
 * {@code resetAfter} is {@code TAT - now} after the call (at least zero).
 */
public abstract class QuotaStoreCompatibilityKit {

  private static final int THREADS = 16;
  /** Long enough that a real clock moving during a test never refills a permit. */
  private static final Duration SLOW = Duration.ofSeconds(10);
  /** How much a real clock may move during one test. */
  private static final Duration DRIFT = Duration.ofSeconds(2);

  /** The store under test, fresh for every test. */
  protected QuotaStore store;

  private String prefix;

  /** For subclasses. */
  protected QuotaStoreCompatibilityKit() {
  }

  /**
   * Creates the store to test.
   *
   * @return a store; it may share data with stores returned before, since every test uses its own keys
   */
  protected abstract QuotaStore newStore();

  /**
   * The store's current time, which counter expiries are computed from.
   *
   * @return now on the store's clock; by default {@link Instant#now()}
   */
  protected Instant now() {
    return Instant.now();
  }

  /** @return whether {@link #advance} can move the store's clock; {@code false} by default */
  protected boolean canTravelInTime() {
    return false;
  }

  /**
   * Moves the store's clock forward; only called when {@link #canTravelInTime()}.
   *
   * @param amount how far
   */
  protected void advance(Duration amount) {
    throw new UnsupportedOperationException("override advance(Duration) together with canTravelInTime()");
  }

  /** @return whether {@link #timeToLive} can report a key's remaining lifetime; {@code false} by default */
  protected boolean canInspectTimeToLive() {
    return false;
  }

  /**
   * A key's remaining lifetime as the store holds it; only called when {@link #canInspectTimeToLive()}.
   *
   * @param key a key that exists
   * @return its time to live, or empty if it never expires
   */
  protected Optional<Duration> timeToLive(String key) {
    throw new UnsupportedOperationException("override timeToLive(String) together with canInspectTimeToLive()");
  }

  /**
   * A key unique to the running test.
   *
   * @param name a readable suffix
   * @return the key
   */
  protected final String key(String name) {
    return prefix + name;
  }

  @BeforeEach
  void createStore() {
    store = newStore();
    prefix = "kit:" + UUID.randomUUID() + ":";
  }

  // ------------------------------------------------------------------ counters

  @Test
  void addIfWithin_sixteenThreadsRacingForALimitOf1000_exactly1000Applied() throws Exception {
    String key = key("race");
    Instant expiry = now().plus(Duration.ofHours(1));
    List<Integer> applied = race(thread -> () -> {
      int count = 0;
      for (int i = 0; i < 100; i++) {
        if (store.addIfWithin(key, 1, 1000, expiry).added()) {
          count++;
        }
      }
      return count;
    });

    assertThat(applied.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
    assertThat(store.current(key)).isEqualTo(1000);
  }

  @Test
  void addIfWithin_amountThatWouldPassTheLimit_refusedWholeAndValueUnchanged() {
    String key = key("partial");
    Instant expiry = now().plus(Duration.ofHours(1));

    assertThat(store.addIfWithin(key, 7, 10, expiry)).isEqualTo(new CounterUpdate(true, 7));
    assertThat(store.addIfWithin(key, 4, 10, expiry)).isEqualTo(new CounterUpdate(false, 7));
    assertThat(store.addIfWithin(key, 3, 10, expiry)).isEqualTo(new CounterUpdate(true, 10));
    assertThat(store.addIfWithin(key, 1, 10, expiry)).isEqualTo(new CounterUpdate(false, 10));
    assertThat(store.current(key)).isEqualTo(10);
  }

  @Test
  void addIfWithin_limitZeroOnAnAbsentKey_refusedAndNothingCreated() {
    String key = key("zero");
    assertThat(store.current(key)).isZero();

    assertThat(store.addIfWithin(key, 1, 0, now().plus(Duration.ofHours(1)))).isEqualTo(new CounterUpdate(false, 0));
    assertThat(store.current(key)).isZero();
  }

  @Test
  void subtract_moreThanTheValue_floorsAtZero() {
    String key = key("floor");
    store.addIfWithin(key, 5, 100, now().plus(Duration.ofHours(1)));

    assertThat(store.subtract(key, 2)).isEqualTo(3);
    assertThat(store.subtract(key, 10)).isZero();
    assertThat(store.current(key)).isZero();
    assertThat(store.subtract(key("absent"), 1)).isZero();
  }

  @Test
  void subtract_thenAdd_countsFromTheLowerValue() {
    String key = key("giveBack");
    Instant expiry = now().plus(Duration.ofHours(1));
    store.addIfWithin(key, 10, 10, expiry);
    store.subtract(key, 1);

    assertThat(store.addIfWithin(key, 1, 10, expiry)).isEqualTo(new CounterUpdate(true, 10));
  }

  // ------------------------------------------------------------------ GCRA

  @Test
  void acquire_fullBucket_admitsTheBurstThenRefusesForAboutOneInterval() {
    String key = key("burst");
    Duration tolerance = SLOW.multipliedBy(4); // burst of 5

    for (int i = 0; i < 5; i++) {
      assertThat(store.acquire(key, SLOW, tolerance, 1).allowed()).as("permit %d of the burst", i + 1).isTrue();
    }
    RateDecision refused = store.acquire(key, SLOW, tolerance, 1);

    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(SLOW).isGreaterThan(SLOW.minus(DRIFT));
    assertThat(refused.resetAfter()).isLessThanOrEqualTo(SLOW.multipliedBy(5)).isGreaterThan(SLOW.multipliedBy(4));
  }

  @Test
  void acquire_allowed_reportsZeroRetryAndTimeUntilFull() {
    String key = key("reset");
    RateDecision first = store.acquire(key, SLOW, SLOW.multipliedBy(9), 1);
    RateDecision second = store.acquire(key, SLOW, SLOW.multipliedBy(9), 2);

    assertThat(first.retryAfter()).isZero();
    assertThat(first.resetAfter()).isLessThanOrEqualTo(SLOW).isGreaterThan(SLOW.minus(DRIFT));
    assertThat(second.resetAfter())
        .isLessThanOrEqualTo(SLOW.multipliedBy(3)).isGreaterThan(SLOW.multipliedBy(3).minus(DRIFT));
  }

  @Test
  void acquire_refusedAgainAndAgain_changesNothing() {
    String key = key("refusals");
    Duration tolerance = SLOW; // burst of 2
    store.acquire(key, SLOW, tolerance, 2);

    RateDecision first = store.acquire(key, SLOW, tolerance, 1);
    for (int i = 0; i < 20; i++) {
      store.acquire(key, SLOW, tolerance, 1);
    }
    RateDecision last = store.acquire(key, SLOW, tolerance, 1);

    assertThat(first.allowed()).isFalse();
    assertThat(last.allowed()).isFalse();
    assertThat(last.retryAfter()).as("refusals must not push the arrival time further")
        .isLessThanOrEqualTo(first.retryAfter());
    assertThat(last.resetAfter()).isLessThanOrEqualTo(first.resetAfter());
  }

  @Test
  void acquire_morePermitsThanTheBurst_refusedEvenWhenFullAndNothingTaken() {
    String key = key("tooMany");
    Duration tolerance = SLOW.multipliedBy(2); // burst of 3

    RateDecision refused = store.acquire(key, SLOW, tolerance, 4);

    assertThat(refused.allowed()).isFalse();
    assertThat(refused.resetAfter()).isZero();
    assertThat(store.acquire(key, SLOW, tolerance, 3).allowed()).isTrue();
  }

  @Test
  void acquire_severalPermits_countAsMany() {
    String key = key("permits");
    Duration tolerance = SLOW.multipliedBy(4); // burst of 5

    assertThat(store.acquire(key, SLOW, tolerance, 3).allowed()).isTrue();
    assertThat(store.acquire(key, SLOW, tolerance, 3).allowed()).isFalse();
    assertThat(store.acquire(key, SLOW, tolerance, 2).allowed()).isTrue();
    assertThat(store.acquire(key, SLOW, tolerance, 1).allowed()).isFalse();
  }

  @Test
  void acquire_sixteenThreadsRacingForABurstOf50_exactly50Admitted() throws Exception {
    String key = key("burstRace");
    Duration tolerance = SLOW.multipliedBy(49);
    List<Integer> admitted = race(thread -> () -> {
      int count = 0;
      for (int i = 0; i < 10; i++) {
        if (store.acquire(key, SLOW, tolerance, 1).allowed()) {
          count++;
        }
      }
      return count;
    });

    assertThat(admitted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(50);
  }

  @Test
  void acquire_afterRetryAfter_admitsExactlyOneMore() {
    travelAssumed();
    String key = key("refill");
    Duration interval = Duration.ofMillis(100);
    Duration tolerance = interval.multipliedBy(2);
    store.acquire(key, interval, tolerance, 3);
    RateDecision refused = store.acquire(key, interval, tolerance, 1);

    advance(refused.retryAfter());

    assertThat(store.acquire(key, interval, tolerance, 1).allowed()).isTrue();
    assertThat(store.acquire(key, interval, tolerance, 1).allowed()).isFalse();
  }

  @Test
  void acquire_longIdle_refillsToTheBurstAndNoFurther() {
    travelAssumed();
    String key = key("idle");
    Duration interval = Duration.ofMillis(100);
    Duration tolerance = interval.multipliedBy(4); // burst of 5
    store.acquire(key, interval, tolerance, 5);

    advance(Duration.ofHours(1));

    assertThat(store.acquire(key, interval, tolerance, 5).allowed()).isTrue();
    assertThat(store.acquire(key, interval, tolerance, 1).allowed()).as("idle time must not bank a second burst")
        .isFalse();
  }

  // ------------------------------------------------------------------ admit (rate and counter together)

  @Test
  void admit_bothWithin_takesOnePermitAndCountsOne() {
    String bucket = key("admit:rate");
    String counter = key("admit:count");
    Instant expiry = now().plus(Duration.ofHours(1));

    Admission first = store.admit(bucket, SLOW, SLOW, counter, 10, expiry); // burst of 2
    Admission second = store.admit(bucket, SLOW, SLOW, counter, 10, expiry);

    assertThat(first.allowed()).isTrue();
    assertThat(first.counter()).isEqualTo(new CounterUpdate(true, 1));
    assertThat(second.counter()).isEqualTo(new CounterUpdate(true, 2));
    assertThat(second.rate().resetAfter()).isGreaterThan(SLOW.multipliedBy(2).minus(DRIFT));
    assertThat(store.current(counter)).isEqualTo(2);
    assertThat(store.acquire(bucket, SLOW, SLOW, 1).allowed()).as("both permits of the burst are taken").isFalse();
  }

  @Test
  void admit_rateRefuses_counterNotTouched() {
    String bucket = key("admit:rateRefuses");
    String counter = key("admit:notCounted");
    Instant expiry = now().plus(Duration.ofHours(1));
    store.acquire(bucket, SLOW, Duration.ZERO, 1); // burst of 1, now empty

    Admission refused = store.admit(bucket, SLOW, Duration.ZERO, counter, 10, expiry);

    assertThat(refused.allowed()).isFalse();
    assertThat(refused.rate().allowed()).isFalse();
    assertThat(refused.rate().retryAfter()).isPositive().isGreaterThan(SLOW.minus(DRIFT));
    assertThat(refused.counter()).isNull();
    assertThat(store.current(counter)).isZero();
  }

  @Test
  void admit_counterAtItsLimit_refusedWithTheValueAndNothingCounted() {
    String bucket = key("admit:limitRate");
    String counter = key("admit:limit");
    Instant expiry = now().plus(Duration.ofHours(1));
    Duration tolerance = SLOW.multipliedBy(9); // burst of 10

    assertThat(store.admit(bucket, SLOW, tolerance, counter, 1, expiry).allowed()).isTrue();
    Admission refused = store.admit(bucket, SLOW, tolerance, counter, 1, expiry);

    assertThat(refused.allowed()).isFalse();
    assertThat(refused.rate().allowed()).as("the rate itself admitted; the counter refused").isTrue();
    assertThat(refused.counter()).isEqualTo(new CounterUpdate(false, 1));
    assertThat(store.current(counter)).isEqualTo(1);
  }

  @Test
  void admit_sixteenThreadsRacingForALimitOf1000_exactly1000Counted() throws Exception {
    String bucket = key("admit:raceRate");
    String counter = key("admit:race");
    Instant expiry = now().plus(Duration.ofHours(1));
    Duration interval = Duration.ofNanos(1_000); // a million per second: the counter is the limit here
    Duration tolerance = interval.multipliedBy(1_000_000);
    List<Integer> counted = race(thread -> () -> {
      int count = 0;
      for (int i = 0; i < 100; i++) {
        if (store.admit(bucket, interval, tolerance, counter, 1000, expiry).allowed()) {
          count++;
        }
      }
      return count;
    });

    assertThat(counted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
    assertThat(store.current(counter)).isEqualTo(1000);
  }

  // ------------------------------------------------------------------ leases

  @Test
  void acquireLease_beyondTheLimit_refusedButHoldersRenew() {
    String key = key("leases");
    Duration ttl = Duration.ofMinutes(5);

    assertThat(store.acquireLease(key, "ann", 2, ttl)).isTrue();
    assertThat(store.acquireLease(key, "bob", 2, ttl)).isTrue();
    assertThat(store.acquireLease(key, "cyd", 2, ttl)).isFalse();
    assertThat(store.acquireLease(key, "ann", 2, ttl)).as("a holder renews its own lease").isTrue();
    assertThat(store.activeLeases(key)).isEqualTo(2);
  }

  @Test
  void releaseLease_freesTheSlotForAnotherHolder() {
    String key = key("release");
    Duration ttl = Duration.ofMinutes(5);
    store.acquireLease(key, "ann", 1, ttl);

    store.releaseLease(key, "ann");
    store.releaseLease(key, "ann");
    store.releaseLease(key("absent"), "ann");

    assertThat(store.activeLeases(key)).isZero();
    assertThat(store.acquireLease(key, "bob", 1, ttl)).isTrue();
  }

  @Test
  void acquireLease_sixteenHoldersRacingForFiveSlots_exactlyFiveHold() throws Exception {
    String key = key("leaseRace");
    List<Integer> holders = race(thread -> () -> store.acquireLease(key, "user-" + thread, 5, Duration.ofMinutes(5))
        ? 1 : 0);

    assertThat(holders.stream().mapToInt(Integer::intValue).sum()).isEqualTo(5);
    assertThat(store.activeLeases(key)).isEqualTo(5);
  }

  @Test
  void acquireLease_notRenewedWithinItsTtl_expiresAndFreesTheSlot() {
    travelAssumed();
    String key = key("expiry");
    Duration ttl = Duration.ofSeconds(30);
    store.acquireLease(key, "ann", 2, ttl);
    store.acquireLease(key, "bob", 2, ttl);

    advance(Duration.ofSeconds(20));
    store.acquireLease(key, "ann", 2, ttl);
    advance(Duration.ofSeconds(20));

    assertThat(store.activeLeases(key)).as("bob expired, ann renewed").isEqualTo(1);
    assertThat(store.acquireLease(key, "cyd", 2, ttl)).isTrue();
  }

  // ------------------------------------------------------------------ expiry

  @Test
  void addIfWithin_newCounter_expiresAtItsExpiresAt() {
    String key = key("counterExpiry");
    store.addIfWithin(key, 3, 10, now().plus(Duration.ofMinutes(10)));

    if (expiryVisibleInTtl()) {
      assertThat(timeToLive(key)).hasValueSatisfying(ttl -> assertThat(ttl)
          .isPositive().isLessThanOrEqualTo(Duration.ofMinutes(10)));
    } else {
      advance(Duration.ofMinutes(10).plusSeconds(1));
      assertThat(store.current(key)).isZero();
      assertThat(store.addIfWithin(key, 1, 10, now().plus(Duration.ofMinutes(10))).value()).isEqualTo(1);
    }
  }

  @Test
  void addIfWithin_existingCounter_keepsItsFirstExpiry() {
    String key = key("keepExpiry");
    store.addIfWithin(key, 1, 10, now().plus(Duration.ofMinutes(10)));
    store.addIfWithin(key, 1, 10, now().plus(Duration.ofDays(10)));

    if (expiryVisibleInTtl()) {
      assertThat(timeToLive(key))
          .hasValueSatisfying(ttl -> assertThat(ttl).isLessThanOrEqualTo(Duration.ofMinutes(10)));
    } else {
      advance(Duration.ofMinutes(10).plusSeconds(1));
      assertThat(store.current(key)).isZero();
    }
  }

  @Test
  void acquire_bucket_expiresOnceFullAgain() {
    String key = key("bucketExpiry");
    Duration interval = Duration.ofSeconds(30);
    store.acquire(key, interval, interval.multipliedBy(3), 2);

    if (expiryVisibleInTtl()) {
      assertThat(timeToLive(key)).hasValueSatisfying(ttl -> assertThat(ttl)
          .isPositive().isLessThanOrEqualTo(interval.multipliedBy(2).plus(DRIFT)));
    } else {
      advance(interval.multipliedBy(2));
      assertThat(store.acquire(key, interval, interval.multipliedBy(3), 4).allowed()).isTrue();
    }
  }

  @Test
  void acquireLease_leaseSet_expiresWithItsLastLease() {
    String key = key("leaseExpiry");
    store.acquireLease(key, "ann", 3, Duration.ofSeconds(30));
    store.acquireLease(key, "bob", 3, Duration.ofSeconds(60));

    if (expiryVisibleInTtl()) {
      assertThat(timeToLive(key)).hasValueSatisfying(ttl -> assertThat(ttl)
          .isGreaterThan(Duration.ofSeconds(30)).isLessThanOrEqualTo(Duration.ofSeconds(60).plus(DRIFT)));
    } else {
      advance(Duration.ofSeconds(61));
      assertThat(store.activeLeases(key)).isZero();
    }
  }

  // ------------------------------------------------------------------ helpers

  private void travelAssumed() {
    Assumptions.assumeTrue(canTravelInTime(), "the store's clock cannot be moved (e.g. Redis TIME)");
  }

  /** @return true to check expiry by time to live, false to check it by travelling (skips if neither works) */
  private boolean expiryVisibleInTtl() {
    if (canInspectTimeToLive()) {
      return true;
    }
    Assumptions.assumeTrue(canTravelInTime(), "the store can neither report time to live nor move its clock");
    return false;
  }

  private static <T> List<T> race(IntFunction<Callable<T>> task) throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < THREADS; i++) {
        Callable<T> work = task.apply(i);
        futures.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          return work.call();
        }));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
