package dev.tenancy.core.quota;

import static dev.tenancy.core.StandardLimit.API_CALLS_PER_MONTH;
import static dev.tenancy.core.quota.QuotaFixtures.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.quota.QuotaFixtures.MapUsageStore;
import dev.tenancy.core.quota.QuotaFixtures.TestClock;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Monthly usage survives a restart: loaded when a manager is built, saved periodically and on close. */
class UsagePersistenceTest {

  private static final YearMonth JANUARY = YearMonth.of(2026, 1);

  private final TestClock clock = new TestClock("2026-01-15T10:00:00Z");
  private final MapUsageStore usage = new MapUsageStore();
  private final TenantInfo acme = tenant("acme", Map.of(API_CALLS_PER_MONTH, 10L));

  /** A manager over a fresh in-memory store, as after a restart of the application. */
  private QuotaManager start(List<QuotaAlert> alerts) {
    return QuotaManager.builder()
        .store(InMemoryQuotaStore.builder().clock(clock).build())
        .clock(clock)
        .usageStore(usage)
        .flushInterval(Duration.ofHours(1))
        .listener(alerts::add)
        .build();
  }

  @Test
  void restart_newManagerOverTheSavedUsage_keepsTheMonthsCount() {
    try (QuotaManager before = start(new CopyOnWriteArrayList<>())) {
      for (int i = 0; i < 7; i++) {
        before.check(acme);
      }
    }

    try (QuotaManager after = start(new CopyOnWriteArrayList<>())) {
      assertThat(after.usage(acme).apiCalls().used()).isEqualTo(7);
      for (int i = 0; i < 3; i++) {
        assertThat(after.check(acme).isAllowed()).isTrue();
      }
      assertThat(after.check(acme).resource()).as("the 11th call of a 10-call month").contains(QuotaResource.API_CALLS);
    }
  }

  @Test
  void restart_alertsAlreadyRaisedThisMonth_notRaisedAgain() {
    List<QuotaAlert> first = new CopyOnWriteArrayList<>();
    try (QuotaManager before = start(first)) {
      for (int i = 0; i < 9; i++) {
        before.check(acme);
      }
    }
    List<QuotaAlert> second = new CopyOnWriteArrayList<>();
    try (QuotaManager after = start(second)) {
      after.check(acme);
    }

    assertThat(first).extracting(QuotaAlert::thresholdPercent).containsExactly(80, 90);
    assertThat(second).extracting(QuotaAlert::thresholdPercent).containsExactly(100);
  }

  @Test
  void flush_savesOnlyWhatChangedAndTheLatestValue() {
    try (QuotaManager quotas = start(new CopyOnWriteArrayList<>())) {
      quotas.check(acme);
      quotas.check(acme);
      quotas.flush();
      int saves = usage.saves.get();
      quotas.flush();

      assertThat(usage.saves.get()).as("nothing changed, nothing saved").isEqualTo(saves);
      assertThat(usage.saved(JANUARY, "{" + acme.id() + "}:apiCalls")).isEqualTo(2);
    }
  }

  @Test
  void flush_usageStoreDown_keepsTheChangesAndSavesThemWhenItIsBack() {
    try (QuotaManager quotas = start(new CopyOnWriteArrayList<>())) {
      quotas.check(acme);
      usage.failing = true;

      assertThatThrownBy(quotas::flush).isInstanceOf(IllegalStateException.class);
      usage.failing = false;
      quotas.flush();

      assertThat(usage.saved(JANUARY, "{" + acme.id() + "}:apiCalls")).isEqualTo(1);
    }
  }

  @Test
  void restart_newMonth_startsFromZeroAndLastMonthStaysSaved() {
    try (QuotaManager before = start(new CopyOnWriteArrayList<>())) {
      for (int i = 0; i < 10; i++) {
        before.check(acme);
      }
    }
    clock.set("2026-02-01T08:00:00Z");

    try (QuotaManager after = start(new CopyOnWriteArrayList<>())) {
      assertThat(after.usage(acme).apiCalls().used()).isZero();
      assertThat(after.check(acme).isAllowed()).isTrue();
    }
    assertThat(usage.saved(JANUARY, "{" + acme.id() + "}:apiCalls")).isEqualTo(10);
    assertThat(usage.saved(YearMonth.of(2026, 2), "{" + acme.id() + "}:apiCalls")).isEqualTo(1);
  }

  @Test
  void flushInterval_passes_savesWithoutAClose() {
    try (QuotaManager quotas = QuotaManager.builder()
        .store(InMemoryQuotaStore.builder().clock(clock).build())
        .clock(clock)
        .usageStore(usage)
        .flushInterval(Duration.ofMillis(20))
        .build()) {
      quotas.check(acme);

      await().atMost(Duration.ofSeconds(5))
          .until(() -> usage.saved(JANUARY, "{" + acme.id() + "}:apiCalls") == 1);
    }
  }

  @Test
  void build_usageStoreUnreadable_refusesToStartRatherThanForgetTheMonth() {
    usage.failing = true;

    assertThatThrownBy(() -> start(new CopyOnWriteArrayList<>())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("usage store down");
  }

  @Test
  void close_calledTwice_savesOnceAndKeepsDeciding() {
    QuotaManager quotas = start(new CopyOnWriteArrayList<>());
    quotas.check(acme);
    quotas.close();
    int saves = usage.saves.get();

    quotas.close();

    assertThat(saves).isEqualTo(1);
    assertThat(usage.saves.get()).isEqualTo(1);
    assertThat(quotas.check(acme).isAllowed()).isTrue();
  }
}
