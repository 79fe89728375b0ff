package dev.tenancy.core.quota;

import static dev.tenancy.core.StandardLimit.API_CALLS_PER_MONTH;
import static dev.tenancy.core.StandardLimit.MAX_CONCURRENT_REQUESTS;
import static dev.tenancy.core.quota.QuotaFixtures.tenant;
import static dev.tenancy.core.quota.QuotaFixtures.withLimits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.memory.InMemoryQuotaStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-tenant concurrency bulkhead: never more in flight than the limit, every slot returned exactly once. */
class QuotaBulkheadTest {

  private final QuotaManager quotas = QuotaManager.builder().store(new InMemoryQuotaStore()).build();

  @Test
  void check_sixteenRequestsAtOnceWithALimitOfFour_neverMoreThanFourInside() throws Exception {
    TenantInfo acme = tenant("acme", Map.of(MAX_CONCURRENT_REQUESTS, 4L));
    int threads = 16;
    CyclicBarrier start = new CyclicBarrier(threads);
    CountDownLatch decided = new CountDownLatch(threads);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger highWater = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Boolean>> admitted = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        admitted.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          QuotaDecision decision = quotas.check(acme);
          if (!decision.isAllowed()) {
            decided.countDown();
            return false;
          }
          try (QuotaPermit permit = decision.permit()) {
            highWater.accumulateAndGet(inside.incrementAndGet(), Math::max);
            decided.countDown();
            release.await(10, TimeUnit.SECONDS);
            inside.decrementAndGet();
          }
          return true;
        }));
      }
      assertThat(decided.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(quotas.usage(acme).concurrentRequests()).isEqualTo(new QuotaUsage.Meter(4, 4L));
      release.countDown();
      int count = 0;
      for (Future<Boolean> future : admitted) {
        count += future.get(10, TimeUnit.SECONDS) ? 1 : 0;
      }

      assertThat(count).isEqualTo(4);
      assertThat(highWater.get()).isEqualTo(4);
      assertThat(quotas.usage(acme).concurrentRequests().used()).as("every slot returned").isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void check_full_deniesConcurrencyWithOneSecondRetryAndConsumesNoQuota() {
    TenantInfo acme = tenant("acme", Map.of(MAX_CONCURRENT_REQUESTS, 1L, API_CALLS_PER_MONTH, 100L));
    QuotaPermit held = quotas.check(acme).permit();

    QuotaDecision denied = quotas.check(acme);

    assertThat(denied.resource()).contains(QuotaResource.CONCURRENCY);
    assertThat(denied.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(denied.limit()).isEqualTo(1);
    assertThat(quotas.usage(acme).apiCalls().used()).as("only the admitted request counts").isEqualTo(1);
    held.close();
    assertThat(quotas.check(acme).isAllowed()).isTrue();
  }

  @Test
  void permit_workThrows_slotReturned() {
    TenantInfo acme = tenant("acme", Map.of(MAX_CONCURRENT_REQUESTS, 1L));

    for (int i = 0; i < 100; i++) {
      assertThatThrownBy(() -> {
        try (QuotaPermit permit = quotas.check(acme).permit()) {
          throw new IllegalStateException("handler failed");
        }
      }).isInstanceOf(IllegalStateException.class).hasMessage("handler failed");
    }

    assertThat(quotas.usage(acme).concurrentRequests().used()).isZero();
    assertThat(quotas.check(acme).isAllowed()).isTrue();
  }

  @Test
  void permit_closedTwice_releasesOnlyItsOwnSlot() {
    TenantInfo acme = tenant("acme", Map.of(MAX_CONCURRENT_REQUESTS, 2L));
    QuotaPermit first = quotas.check(acme).permit();
    QuotaPermit second = quotas.check(acme).permit();

    first.close();
    first.close();

    assertThat(quotas.check(acme).isAllowed()).isTrue();
    assertThat(quotas.check(acme).isAllowed()).as("the second permit still holds its slot").isFalse();
    second.close();
  }

  @Test
  void check_limitChangedWhileRequestsAreInFlight_nextCallSeesTheNewLimit() {
    TenantInfo two = tenant("acme", Map.of(MAX_CONCURRENT_REQUESTS, 2L));
    QuotaPermit a = quotas.check(two).permit();
    QuotaPermit b = quotas.check(two).permit();
    assertThat(quotas.check(two).isAllowed()).isFalse();

    TenantInfo three = withLimits(two, Map.of(MAX_CONCURRENT_REQUESTS, 3L));
    QuotaPermit c = quotas.check(three).permit();
    TenantInfo one = withLimits(two, Map.of(MAX_CONCURRENT_REQUESTS, 1L));
    a.close();
    b.close();

    assertThat(quotas.check(one).isAllowed()).as("c still holds the only slot of the new limit").isFalse();
    c.close();
    assertThat(quotas.check(one).isAllowed()).isTrue();
  }

  @Test
  void check_fullBulkheadOfOneTenant_leavesOthersAlone() {
    TenantInfo acme = tenant("acme", Map.of(MAX_CONCURRENT_REQUESTS, 1L));
    TenantInfo globex = tenant("globex", Map.of(MAX_CONCURRENT_REQUESTS, 1L));
    QuotaPermit held = quotas.check(acme).permit();

    assertThat(quotas.check(acme).isAllowed()).isFalse();
    QuotaDecision other = quotas.check(globex);

    assertThat(other.isAllowed()).isTrue();
    other.permit().close();
    held.close();
  }
}
