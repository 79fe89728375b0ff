package dev.tenancy.core.quota;

import static dev.tenancy.core.StandardLimit.API_CALLS_PER_MONTH;
import static dev.tenancy.core.StandardLimit.MAX_CONCURRENT_REQUESTS;
import static dev.tenancy.core.StandardLimit.REQUESTS_PER_SECOND;
import static dev.tenancy.core.quota.QuotaFixtures.tenant;
import static dev.tenancy.core.quota.QuotaFixtures.withLimits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.quota.QuotaFixtures.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Threshold alerts: 80, 90 and 100 % raised once per tenant, resource, threshold and period. */
class QuotaAlertsTest {

  private final TestClock clock = new TestClock("2026-01-15T10:00:00Z");
  private final InMemoryQuotaStore store = InMemoryQuotaStore.builder().clock(clock).build();
  private final List<QuotaAlert> alerts = new CopyOnWriteArrayList<>();
  private final QuotaManager quotas = QuotaManager.builder().store(store).clock(clock).listener(alerts::add).build();

  @Test
  void check_usageClimbsPastTheLimit_oneAlertPerThresholdAndNoMoreAfterwards() {
    TenantInfo acme = tenant("acme", Map.of(API_CALLS_PER_MONTH, 10L));

    for (int i = 0; i < 25; i++) {
      quotas.check(acme);
    }

    assertThat(alerts).extracting(QuotaAlert::thresholdPercent).containsExactly(80, 90, 100);
    assertThat(alerts).extracting(QuotaAlert::used).containsExactly(8L, 9L, 10L);
    assertThat(alerts).allSatisfy(alert -> {
      assertThat(alert.tenant()).isEqualTo(acme.id());
      assertThat(alert.slug()).isEqualTo(acme.slug());
      assertThat(alert.resource()).isEqualTo(QuotaResource.API_CALLS);
      assertThat(alert.limit()).isEqualTo(10);
      assertThat(alert.period()).isEqualTo(YearMonth.of(2026, 1));
      assertThat(alert.raisedAt()).isEqualTo(Instant.parse("2026-01-15T10:00:00Z"));
    });
  }

  @Test
  void check_nextPeriod_alertsFireAgain() {
    TenantInfo acme = tenant("acme", Map.of(API_CALLS_PER_MONTH, 5L));
    for (int i = 0; i < 5; i++) {
      quotas.check(acme);
    }
    clock.set("2026-02-01T00:00:00Z");
    for (int i = 0; i < 5; i++) {
      quotas.check(acme);
    }

    assertThat(alerts).extracting(QuotaAlert::period).containsExactly(
        YearMonth.of(2026, 1), YearMonth.of(2026, 1), YearMonth.of(2026, 1),
        YearMonth.of(2026, 2), YearMonth.of(2026, 2), YearMonth.of(2026, 2));
  }

  @Test
  void check_limitCutBelowUsage_raisesEveryThresholdOnceAtTheNextCall() {
    TenantInfo acme = tenant("acme", Map.of(API_CALLS_PER_MONTH, 100L));
    for (int i = 0; i < 10; i++) {
      quotas.check(acme);
    }
    assertThat(alerts).isEmpty();

    TenantInfo cut = withLimits(acme, Map.of(API_CALLS_PER_MONTH, 5L));
    quotas.check(cut);
    quotas.check(cut);

    assertThat(alerts).extracting(QuotaAlert::thresholdPercent).containsExactly(80, 90, 100);
  }

  @Test
  void check_rateLimitAndBulkheadDenials_oneHundredPercentAlertOncePerPeriod() {
    TenantInfo acme = tenant("acme", Map.of(REQUESTS_PER_SECOND, 1L, MAX_CONCURRENT_REQUESTS, 1L));
    QuotaPermit held = quotas.check(acme).permit();
    quotas.check(acme);
    quotas.check(acme);
    held.close();
    quotas.check(acme).permit().close();
    quotas.check(acme);
    quotas.check(acme);

    assertThat(alerts).extracting(QuotaAlert::resource, QuotaAlert::thresholdPercent)
        .containsExactly(
            tuple(QuotaResource.CONCURRENCY, 100),
            tuple(QuotaResource.RATE_LIMIT, 100));
  }

  @Test
  void check_listenerThrows_loggedAndIgnoredAndOtherListenersStillHear() {
    List<QuotaAlert> heard = new CopyOnWriteArrayList<>();
    QuotaManager noisy = QuotaManager.builder().store(store).clock(clock).keyPrefix("noisy:")
        .listener(alert -> {
          throw new IllegalStateException("mail server down");
        })
        .listener(heard::add)
        .build();
    TenantInfo acme = tenant("acme", Map.of(API_CALLS_PER_MONTH, 1L));

    QuotaDecision decision = noisy.check(acme);

    assertThat(decision.isAllowed()).isTrue();
    assertThat(heard).extracting(QuotaAlert::thresholdPercent).containsExactly(80, 90, 100);
  }

  @Test
  void check_twoInstancesSharingAStore_eachAlertRaisedOnceInAll() {
    List<QuotaAlert> second = new CopyOnWriteArrayList<>();
    QuotaManager otherInstance = QuotaManager.builder().store(store).clock(clock).listener(second::add).build();
    TenantInfo acme = tenant("acme", Map.of(API_CALLS_PER_MONTH, 10L));

    for (int i = 0; i < 6; i++) {
      quotas.check(acme);
      otherInstance.check(acme);
    }

    assertThat(alerts.size() + second.size()).isEqualTo(3);
    assertThat(alerts).extracting(QuotaAlert::thresholdPercent).containsExactly(90);
    assertThat(second).extracting(QuotaAlert::thresholdPercent).containsExactly(80, 100);
  }

  @Test
  void check_alertMarkers_expireWithTheirPeriod() {
    TenantInfo acme = tenant("acme", Map.of(API_CALLS_PER_MONTH, 1L));
    quotas.check(acme);

    clock.set("2026-02-01T00:00:00Z");
    clock.advance(QuotaManager.COUNTER_SLACK.plus(Duration.ofSeconds(1)));

    assertThat(store.current("tenancy:quota:{" + acme.id() + "}:alert:api_calls:100:2026-01")).isZero();
    assertThat(store.current("tenancy:quota:{" + acme.id() + "}:apiCalls:2026-01")).isZero();
  }
}
