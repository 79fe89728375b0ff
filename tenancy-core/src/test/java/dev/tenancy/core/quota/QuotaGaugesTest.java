package dev.tenancy.core.quota;

import static dev.tenancy.core.StandardLimit.CONCURRENT_USERS;
import static dev.tenancy.core.StandardLimit.STORAGE_BYTES;
import static dev.tenancy.core.quota.QuotaFixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.quota.QuotaDecision.Outcome;
import dev.tenancy.core.quota.QuotaFixtures.TestClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The gauges: storage the application reports, and concurrent users held as leases. */
class QuotaGaugesTest {

  private static final Duration SESSION = Duration.ofMinutes(30);

  private final TestClock clock = new TestClock("2026-01-15T10:00:00Z");
  private final List<QuotaAlert> alerts = new CopyOnWriteArrayList<>();
  private final QuotaManager quotas = QuotaManager.builder()
      .store(InMemoryQuotaStore.builder().clock(clock).build())
      .clock(clock)
      .listener(alerts::add)
      .build();

  @Test
  void reportStorage_overTheLimit_deniesAndWarnsBelowIt() {
    TenantInfo acme = tenant("acme", Map.of(STORAGE_BYTES, 1000L));

    assertThat(quotas.reportStorage(acme, 500).outcome()).isEqualTo(Outcome.ALLOW);
    assertThat(quotas.reportStorage(acme, 850).outcome()).isEqualTo(Outcome.ALLOW_WITH_WARNING);
    QuotaDecision over = quotas.reportStorage(acme, 1001);

    assertThat(over.outcome()).isEqualTo(Outcome.DENY);
    assertThat(over.resource()).contains(QuotaResource.STORAGE);
    assertThat(over.used()).isEqualTo(1001);
    assertThat(alerts).extracting(QuotaAlert::thresholdPercent).containsExactly(80, 90, 100);
    assertThat(quotas.usage(acme).storageBytes()).isEqualTo(new QuotaUsage.Meter(1001, 1000L));
  }

  @Test
  void checkStorage_writeThatWouldPassTheLimit_deniedWithoutChangingTheGauge() {
    TenantInfo acme = tenant("acme", Map.of(STORAGE_BYTES, 1000L));
    quotas.reportStorage(acme, 700);

    assertThat(quotas.checkStorage(acme, 300).isAllowed()).isTrue();
    assertThat(quotas.checkStorage(acme, 301).resource()).contains(QuotaResource.STORAGE);
    assertThat(quotas.usage(acme).storageBytes().used()).isEqualTo(700);
  }

  @Test
  void reportStorage_lowerReport_replacesTheHigherOneAndZeroIsAReport() {
    TenantInfo acme = tenant("acme", Map.of(STORAGE_BYTES, 1000L));
    quotas.reportStorage(acme, 900);
    quotas.reportStorage(acme, 100);
    assertThat(quotas.usage(acme).storageBytes().used()).isEqualTo(100);

    quotas.reportStorage(acme, 0);

    assertThat(quotas.usage(acme).storageBytes().used()).isZero();
  }

  @Test
  void reportStorage_lastMonthsReport_appliesUntilTheFirstReportOfTheNewMonth() {
    TenantInfo acme = tenant("acme", Map.of(STORAGE_BYTES, 1000L));
    quotas.reportStorage(acme, 1200);

    clock.set("2026-02-10T00:00:00Z");
    assertThat(quotas.checkStorage(acme, 1).isAllowed()).as("storage does not reset with the month").isFalse();

    quotas.reportStorage(acme, 0);
    assertThat(quotas.checkStorage(acme, 1).isAllowed()).isTrue();
  }

  @Test
  void acquireUser_beyondTheLimit_deniedUntilAUserLeavesOrExpires() {
    TenantInfo acme = tenant("acme", Map.of(CONCURRENT_USERS, 2L));
    assertThat(quotas.acquireUser(acme, "ann", SESSION).isAllowed()).isTrue();
    assertThat(quotas.acquireUser(acme, "bob", SESSION).outcome()).isEqualTo(Outcome.ALLOW_WITH_WARNING);

    QuotaDecision cyd = quotas.acquireUser(acme, "cyd", SESSION);
    assertThat(cyd.resource()).contains(QuotaResource.CONCURRENT_USERS);
    assertThat(cyd.retryAfter()).isEqualTo(SESSION);
    assertThat(quotas.acquireUser(acme, "ann", SESSION).isAllowed()).as("renewal").isTrue();

    quotas.releaseUser(acme, "bob");
    assertThat(quotas.acquireUser(acme, "cyd", SESSION).isAllowed()).isTrue();

    clock.advance(SESSION.plusSeconds(1));
    assertThat(quotas.usage(acme).concurrentUsers()).isEqualTo(new QuotaUsage.Meter(0, 2L));
  }

  @Test
  void acquireUser_noLimit_allowsAndCountsTheUsers() {
    TenantInfo acme = tenant("acme", Map.of());
    for (int i = 0; i < 50; i++) {
      assertThat(quotas.acquireUser(acme, "user-" + i, SESSION).outcome()).isEqualTo(Outcome.ALLOW);
    }

    assertThat(quotas.usage(acme).concurrentUsers()).isEqualTo(new QuotaUsage.Meter(50, null));
  }

  @Test
  void gauges_invalidArguments_refused() {
    TenantInfo acme = tenant("acme", Map.of());

    assertThatThrownBy(() -> quotas.reportStorage(acme, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> quotas.checkStorage(acme, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> quotas.acquireUser(acme, "ann", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
