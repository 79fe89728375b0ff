package dev.tenancy.core.quota;

import static dev.tenancy.core.StandardLimit.API_CALLS_PER_MONTH;
import static dev.tenancy.core.StandardLimit.MAX_CONCURRENT_REQUESTS;
import static dev.tenancy.core.StandardLimit.REQUESTS_PER_SECOND;
import static dev.tenancy.core.quota.QuotaFixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.memory.InMemoryQuotaStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * One tenant saturating its bulkhead and its rate limit from two threads must not slow down another tenant's checks:
 * their state shares no lock, so the quiet tenant only competes for CPU. The bound is generous (p99 under 5 ms on two
 * cores shared with the noisy threads); on a quiet machine the p99 is a few microseconds.
 */
class NoisyNeighbourTest {

  private static final int WARM_UP = 20_000;
  private static final int MEASURED = 20_000;

  @Test
  void check_neighbourSaturatesItsBulkheadAndRateLimit_quietTenantsChecksStayFast() throws Exception {
    QuotaManager quotas = QuotaManager.builder().store(new InMemoryQuotaStore()).build();
    TenantInfo noisy = tenant("noisy", Map.of(MAX_CONCURRENT_REQUESTS, 2L, REQUESTS_PER_SECOND, 50L));
    TenantInfo quiet = tenant("quiet", Map.of(MAX_CONCURRENT_REQUESTS, 10L, REQUESTS_PER_SECOND, 10_000_000L,
        API_CALLS_PER_MONTH, 1_000_000_000L));
    QuotaPermit held = quotas.check(noisy).permit();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong noisyDenials = new AtomicLong();
    CountDownLatch hammering = new CountDownLatch(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?>[] hammers = new Future<?>[2];
      for (int t = 0; t < 2; t++) {
        hammers[t] = pool.submit(() -> {
          long iterations = 0;
          while (!stop.get()) {
            QuotaDecision decision = quotas.check(noisy);
            if (decision.isAllowed()) {
              decision.permit().close();
            } else {
              noisyDenials.incrementAndGet();
            }
            if (++iterations == 1_000) {
              hammering.countDown();
            }
          }
        });
      }
      assertThat(hammering.await(10, TimeUnit.SECONDS)).isTrue();

      long[] nanos = new long[MEASURED];
      int allowed = 0;
      for (int i = 0; i < WARM_UP + MEASURED; i++) {
        long start = System.nanoTime();
        QuotaDecision decision = quotas.check(quiet);
        long elapsed = System.nanoTime() - start;
        if (decision.isAllowed()) {
          decision.permit().close();
        }
        if (i >= WARM_UP) {
          nanos[i - WARM_UP] = elapsed;
          allowed += decision.isAllowed() ? 1 : 0;
        }
      }
      stop.set(true);
      for (Future<?> hammer : hammers) {
        hammer.get(10, TimeUnit.SECONDS);
      }

      Arrays.sort(nanos);
      Duration p99 = Duration.ofNanos(nanos[(int) (MEASURED * 0.99)]);
      assertThat(allowed).as("every quiet check is allowed").isEqualTo(MEASURED);
      assertThat(noisyDenials.get()).as("the neighbour was refused throughout").isGreaterThan(1_000);
      assertThat(p99).as("p99 of the quiet tenant's check (p50 %d ns)", nanos[MEASURED / 2])
          .isLessThan(Duration.ofMillis(5));
    } finally {
      stop.set(true);
      pool.shutdownNow();
      held.close();
    }
  }
}
