package dev.tenancy.core.quota;

import static dev.tenancy.core.StandardLimit.API_CALLS_PER_MONTH;
import static dev.tenancy.core.StandardLimit.MAX_CONCURRENT_REQUESTS;
import static dev.tenancy.core.StandardLimit.REQUESTS_PER_SECOND;
import static dev.tenancy.core.quota.QuotaFixtures.tenant;
import static dev.tenancy.core.quota.QuotaFixtures.withLimits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.spi.QuotaStore.CounterUpdate;
import dev.tenancy.core.quota.QuotaDecision.Outcome;
import dev.tenancy.core.quota.QuotaFixtures.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-request check: exact monthly quota, GCRA rate limit, period rollover, limit changes and headers. */
class QuotaManagerTest {

  private final TestClock clock = new TestClock("2026-01-15T10:00:00Z");
  private final InMemoryQuotaStore store = InMemoryQuotaStore.builder().clock(clock).build();
  private final QuotaManager quotas = QuotaManager.builder().store(store).clock(clock).build();

  @AfterEach
  void close() {
    quotas.close();
  }

  @Test
  void check_sixteenThreadsHammeringALimitOf1000_exactly1000Allowed() throws Exception {
    TenantInfo acme = tenant("acme", Map.of(API_CALLS_PER_MONTH, 1000L));
    int threads = 16;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<List<QuotaDecision>>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          List<QuotaDecision> decisions = new ArrayList<>();
          for (int i = 0; i < 100; i++) {
            QuotaDecision decision = quotas.check(acme);
            if (decision.isAllowed()) {
              decision.permit().close();
            }
            decisions.add(decision);
          }
          return decisions;
        }));
      }
      List<QuotaDecision> all = new ArrayList<>();
      for (Future<List<QuotaDecision>> future : futures) {
        all.addAll(future.get(30, TimeUnit.SECONDS));
      }

      assertThat(all.stream().filter(QuotaDecision::isAllowed)).hasSize(1000);
      assertThat(all.stream().filter(d -> !d.isAllowed()))
          .hasSize(600)
          .allSatisfy(d -> assertThat(d.resource()).contains(QuotaResource.API_CALLS));
      assertThat(quotas.usage(acme).apiCalls()).isEqualTo(new QuotaUsage.Meter(1000, 1000L));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void check_quotaExhausted_deniesUntilThePeriodEnds() {
    TenantInfo acme = tenant("acme", Map.of(API_CALLS_PER_MONTH, 2L));
    quotas.check(acme);
    quotas.check(acme);

    QuotaDecision denied = quotas.check(acme);

    assertThat(denied.outcome()).isEqualTo(Outcome.DENY);
    assertThat(denied.resource()).contains(QuotaResource.API_CALLS);
    assertThat(denied.limit()).isEqualTo(2);
    assertThat(denied.remaining()).isZero();
    assertThat(denied.retryAfter()).isEqualTo(Duration.between(clock.instant(), Instant.parse("2026-02-01T00:00:00Z")));
    assertThatThrownBy(denied::permit).isInstanceOf(QuotaExceededException.class)
        .hasMessageContaining("API_CALLS").hasMessageContaining(acme.id().toString());
  }

  @Test
  void check_monthRollsOver_countStartsAgainAndTheOldMonthIsUntouched() {
    TenantInfo acme = tenant("acme", Map.of(API_CALLS_PER_MONTH, 2L));
    clock.set("2026-01-31T23:59:59Z");
    quotas.check(acme);
    quotas.check(acme);
    QuotaDecision lastSecond = quotas.check(acme);

    clock.advance(Duration.ofSeconds(1));
    QuotaDecision firstOfFebruary = quotas.check(acme);

    assertThat(lastSecond.isAllowed()).isFalse();
    assertThat(lastSecond.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(firstOfFebruary.isAllowed()).isTrue();
    QuotaUsage usage = quotas.usage(acme);
    assertThat(usage.period()).isEqualTo(YearMonth.of(2026, 2));
    assertThat(usage.apiCalls().used()).isEqualTo(1);
    assertThat(usage.periodEnd()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
  }

  @Test
  void check_periodZone_monthsFollowThatZonesCalendar() {
    QuotaManager berlin = QuotaManager.builder().store(store).clock(clock).zone(ZoneId.of("Europe/Berlin"))
        .keyPrefix("berlin:").build();
    TenantInfo acme = tenant("acme", Map.of(API_CALLS_PER_MONTH, 5L));
    clock.set("2026-01-31T23:30:00Z"); // 00:30 on 1 February in Berlin

    berlin.check(acme);

    assertThat(berlin.usage(acme).period()).isEqualTo(YearMonth.of(2026, 2));
    assertThat(berlin.usage(acme).periodEnd()).isEqualTo(Instant.parse("2026-02-28T23:00:00Z"));
  }

  @Test
  void check_limitRaisedOrCut_appliesToTheVeryNextCall() {
    TenantInfo free = tenant("acme", Map.of(API_CALLS_PER_MONTH, 3L));
    for (int i = 0; i < 3; i++) {
      quotas.check(free);
    }
    assertThat(quotas.check(free).isAllowed()).isFalse();

    TenantInfo pro = withLimits(free, Map.of(API_CALLS_PER_MONTH, 10L));
    assertThat(quotas.check(pro).isAllowed()).as("upgrade bites at once").isTrue();

    TenantInfo cut = withLimits(free, Map.of(API_CALLS_PER_MONTH, 2L));
    QuotaDecision denied = quotas.check(cut);
    assertThat(denied.isAllowed()).as("a cut below the usage bites at once").isFalse();
    assertThat(denied.used()).isEqualTo(4);
  }

  @Test
  void check_rateLimitChanged_appliesToTheVeryNextCall() {
    TenantInfo slow = tenant("acme", Map.of(REQUESTS_PER_SECOND, 1L));
    quotas.check(slow);
    quotas.check(slow);
    assertThat(quotas.check(slow).resource()).contains(QuotaResource.RATE_LIMIT);

    TenantInfo unlimited = withLimits(slow, Map.of());
    assertThat(quotas.check(unlimited).isAllowed()).isTrue();

    TenantInfo blocked = withLimits(slow, Map.of(REQUESTS_PER_SECOND, 0L));
    assertThat(quotas.check(blocked).resource()).contains(QuotaResource.RATE_LIMIT);
  }

  @Test
  void check_rateLimitDenial_doesNotConsumeTheMonthlyQuota() {
    TenantInfo acme = tenant("acme", Map.of(REQUESTS_PER_SECOND, 1L, API_CALLS_PER_MONTH, 100L));
    List<QuotaDecision> decisions = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      decisions.add(quotas.check(acme));
    }

    assertThat(decisions.stream().filter(QuotaDecision::isAllowed)).as("burst of twice the rate").hasSize(2);
    assertThat(decisions.stream().filter(d -> !d.isAllowed()))
        .allSatisfy(d -> assertThat(d.resource()).contains(QuotaResource.RATE_LIMIT));
    assertThat(quotas.usage(acme).apiCalls().used()).isEqualTo(2);
  }

  @Test
  void check_quotaDenial_takesNothingBackItDidNotTakeAndHoldsNoSlot() {
    TenantInfo acme = tenant("acme", Map.of(API_CALLS_PER_MONTH, 3L, MAX_CONCURRENT_REQUESTS, 1L));
    for (int i = 0; i < 3; i++) {
      quotas.check(acme).permit().close();
    }

    for (int i = 0; i < 5; i++) {
      assertThat(quotas.check(acme).resource()).contains(QuotaResource.API_CALLS);
    }

    assertThat(quotas.usage(acme).apiCalls().used()).as("denials never lower the count").isEqualTo(3);
    assertThat(quotas.usage(acme).concurrentRequests().used()).isZero();
    TenantInfo raised = withLimits(acme, Map.of(API_CALLS_PER_MONTH, 4L, MAX_CONCURRENT_REQUESTS, 1L));
    assertThat(quotas.check(raised).isAllowed()).as("the single slot is free").isTrue();
    assertThat(quotas.check(raised).isAllowed()).isFalse();
  }

  @Test
  void check_burstJustBeforeASecondBoundary_noSecondBurstJustAfterIt() {
    TenantInfo acme = tenant("acme", Map.of(REQUESTS_PER_SECOND, 5L)); // burst 10, one permit per 200 ms
    clock.set("2026-01-15T10:00:00.999Z");
    for (int i = 0; i < 10; i++) {
      assertThat(quotas.check(acme).isAllowed()).isTrue();
    }
    assertThat(quotas.check(acme).isAllowed()).isFalse();

    clock.advance(Duration.ofMillis(1)); // a fixed one-second window would start afresh here
    QuotaDecision afterBoundary = quotas.check(acme);
    assertThat(afterBoundary.isAllowed()).isFalse();
    assertThat(afterBoundary.retryAfter()).isEqualTo(Duration.ofMillis(199));

    clock.advance(Duration.ofMillis(199));
    assertThat(quotas.check(acme).isAllowed()).isTrue();
    assertThat(quotas.check(acme).isAllowed()).isFalse();

    clock.advance(Duration.ofSeconds(1));
    int admitted = 0;
    while (quotas.check(acme).isAllowed()) {
      admitted++;
    }
    assertThat(admitted).as("one second refills the rate, not the burst").isEqualTo(5);
  }

  @Test
  void check_allowed_carriesTheHeadersOfThePolicyClosestToExhaustion() {
    TenantInfo acme = tenant("acme", Map.of(REQUESTS_PER_SECOND, 10L, API_CALLS_PER_MONTH, 1000L));

    QuotaDecision first = quotas.check(acme);
    assertThat(first.outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(first.rateLimitHeaders()).contains(new RateLimitHeaders(20, 19, Duration.ofMillis(100)));

    TenantInfo nearlyOut = withLimits(acme, Map.of(REQUESTS_PER_SECOND, 10L, API_CALLS_PER_MONTH, 2L));
    QuotaDecision second = quotas.check(nearlyOut);
    RateLimitHeaders monthly = second.rateLimitHeaders().orElseThrow();
    assertThat(monthly.limit()).isEqualTo(2);
    assertThat(monthly.remaining()).isZero();
    assertThat(monthly.resetSeconds()).isEqualTo(Duration.between(clock.instant(),
        Instant.parse("2026-02-01T00:00:00Z")).getSeconds());
  }

  @Test
  void check_noLimits_allowsAndStillMetersTheCalls() {
    TenantInfo acme = tenant("acme", Map.of());

    QuotaDecision decision = quotas.check(acme);
    quotas.check(acme);

    assertThat(decision.outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(decision.rateLimitHeaders()).isEmpty();
    assertThat(quotas.usage(acme).apiCalls()).isEqualTo(new QuotaUsage.Meter(2, null));
  }

  @Test
  void check_pastTheSoftThreshold_allowsWithAWarning() {
    QuotaManager strict = QuotaManager.builder().store(store).clock(clock).softThreshold(0.5).keyPrefix("s:").build();
    TenantInfo acme = tenant("acme", Map.of(API_CALLS_PER_MONTH, 10L));
    for (int i = 0; i < 4; i++) {
      assertThat(strict.check(acme).outcome()).isEqualTo(Outcome.ALLOW);
    }

    QuotaDecision fifth = strict.check(acme);

    assertThat(fifth.outcome()).isEqualTo(Outcome.ALLOW_WITH_WARNING);
    assertThat(fifth.isAllowed()).isTrue();
    assertThat(fifth.resource()).contains(QuotaResource.API_CALLS);
    assertThat(fifth.used()).isEqualTo(5);
    assertThat(fifth.remaining()).isEqualTo(5);
  }

  @Test
  void usage_reportsTheRateLimiterWithoutConsumingIt() {
    TenantInfo acme = tenant("acme", Map.of(REQUESTS_PER_SECOND, 2L));
    quotas.check(acme);

    QuotaUsage.Rate rate = quotas.usage(acme).rate();
    QuotaUsage.Rate again = quotas.usage(acme).rate();

    assertThat(rate).isEqualTo(new QuotaUsage.Rate(2, 4, 3, Duration.ofMillis(500)));
    assertThat(again).isEqualTo(rate);
    assertThat(quotas.usage(tenant("other", Map.of())).rate()).isNull();
  }

  @Test
  void check_storeFails_holdsNoSlotAndPropagates() {
    QuotaManager broken = QuotaManager.builder().store(new FailingStore()).build();
    TenantInfo acme = tenant("acme", Map.of(MAX_CONCURRENT_REQUESTS, 1L));

    assertThatThrownBy(() -> broken.check(acme)).isInstanceOf(IllegalStateException.class);
    assertThat(broken.usage(acme).concurrentRequests().used()).isZero();
  }

  @Test
  void build_invalidOptions_refusedWithAMessageThatSaysWhatToFix() {
    assertThatThrownBy(() -> QuotaManager.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("store(");
    assertThatThrownBy(() -> QuotaManager.builder().store(store).softThreshold(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("softThreshold");
    assertThatThrownBy(() -> QuotaManager.builder().store(store).softThreshold(Double.NaN).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QuotaManager.builder().store(store).flushInterval(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("flushInterval");
  }

  /** A store whose every call fails except the lease and counter reads, as an unreachable server would. */
  private static final class FailingStore extends ForwardingQuotaStore {
    FailingStore() {
      super(new InMemoryQuotaStore());
    }

    @Override
    public CounterUpdate addIfWithin(String key, long amount, long limit, Instant expiresAt) {
      throw new IllegalStateException("store unreachable");
    }
  }
}
