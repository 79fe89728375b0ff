package dev.tenancy.core.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.quota.QuotaAlert;
import dev.tenancy.core.quota.QuotaResource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class AlertCenterTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T08:00:00Z"));
  private final TenantId acme = TenantId.random();

  @Test
  void raise_sameKeyWithinPeriod_raisedOnce() {
    List<Alert> heard = new ArrayList<>();
    AlertCenter center = AlertCenter.builder().clock(clock).listener(heard::add).build();

    assertThat(center.raise(AlertKind.SLA, AlertSeverity.WARNING, acme, "sla:" + acme, "p95 above target"))
        .isPresent();
    clock.advance(Duration.ofMinutes(59));
    assertThat(center.raise(AlertKind.SLA, AlertSeverity.WARNING, acme, "sla:" + acme, "p95 above target"))
        .isEmpty();

    assertThat(center.open()).hasSize(1);
    assertThat(heard).hasSize(1);
    assertThat(heard.get(0).tenant()).isEqualTo(acme);
    assertThat(heard.get(0).raisedAt()).isEqualTo(Instant.parse("2026-11-27T08:00:00Z"));
  }

  @Test
  void raise_afterPeriod_raisedAgain() {
    AlertCenter center = AlertCenter.builder().clock(clock).period(AlertKind.SLA, Duration.ofMinutes(10)).build();
    center.raise(AlertKind.SLA, AlertSeverity.WARNING, acme, "sla", "slow");
    clock.advance(Duration.ofMinutes(10).plusSeconds(1));

    assertThat(center.raise(AlertKind.SLA, AlertSeverity.WARNING, acme, "sla", "slow")).isPresent();
    assertThat(center.open()).hasSize(2);
  }

  @Test
  void resolve_removesFromOpen_butKeyStaysQuietInPeriod() {
    AlertCenter center = AlertCenter.builder().clock(clock).build();
    Alert alert = center.raise(AlertKind.SECURITY, AlertSeverity.CRITICAL, acme, "x", "attempt").orElseThrow();

    assertThat(center.resolve(alert.id())).isTrue();
    assertThat(center.resolve(alert.id())).isFalse();
    assertThat(center.open()).isEmpty();
    assertThat(center.find(alert.id())).isEmpty();
    assertThat(center.raise(AlertKind.SECURITY, AlertSeverity.CRITICAL, acme, "x", "attempt")).isEmpty();
  }

  @Test
  void open_byTenant_newestFirst_andBoundedByCapacity() {
    AlertCenter center = AlertCenter.builder().clock(clock).capacity(3).build();
    TenantId other = TenantId.random();
    for (int i = 0; i < 5; i++) {
      clock.advance(Duration.ofSeconds(1));
      center.raise(AlertKind.SLA, AlertSeverity.WARNING, i % 2 == 0 ? acme : other, "k" + i, "m" + i);
    }

    assertThat(center.open()).extracting(Alert::message).containsExactly("m4", "m3", "m2");
    assertThat(center.open(acme)).extracting(Alert::message).containsExactly("m4", "m2");
    assertThat(center.open(other)).extracting(Alert::message).containsExactly("m3");
  }

  @Test
  void quotaAlertListener_mapsThresholdsToSeverity_andDeduplicatesPerMonth() {
    AlertCenter center = AlertCenter.builder().clock(clock).build();
    YearMonth month = YearMonth.of(2026, 11);
    for (int percent : new int[] {80, 90, 100, 100}) {
      center.quotaAlertListener().onAlert(new QuotaAlert(acme, TenantSlug.of("acme"), QuotaResource.API_CALLS,
          percent, percent * 10L, 1000, month, clock.instant()));
    }

    assertThat(center.open()).extracting(Alert::severity)
        .containsExactly(AlertSeverity.CRITICAL, AlertSeverity.WARNING, AlertSeverity.INFO);
    assertThat(center.open()).allSatisfy(a -> {
      assertThat(a.kind()).isEqualTo(AlertKind.QUOTA);
      assertThat(a.tenant()).isEqualTo(acme);
    });
    assertThat(center.open().get(0).message()).contains("acme", "100 %", "apiCallsPerMonth", "1000 of 1000");
  }

  @Test
  void raise_listenerThrows_alertStillRaised() {
    AlertCenter center = AlertCenter.builder().clock(clock).listener(a -> {
      throw new IllegalStateException("pager down");
    }).build();

    assertThat(center.raise(AlertKind.SECURITY, AlertSeverity.CRITICAL, null, "p", "platform")).isPresent();
    assertThat(center.open()).singleElement().satisfies(a -> assertThat(a.findTenant()).isEmpty());
  }

  @Test
  void raise_concurrentSameKey_exactlyOneAlert() throws Exception {
    AlertCenter center = AlertCenter.builder().clock(clock).build();
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return center.raise(AlertKind.SECURITY, AlertSeverity.CRITICAL, acme, "same", "m").isPresent();
        }));
      }
      start.countDown();
      int raised = 0;
      for (Future<Boolean> result : results) {
        raised += result.get() ? 1 : 0;
      }
      assertThat(raised).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void builder_rejectsNonsense() {
    assertThatThrownBy(() -> AlertCenter.builder().capacity(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AlertCenter.builder().period(AlertKind.SLA, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Alert("id", acme, AlertKind.SLA, AlertSeverity.INFO, " ", "m", clock.instant()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
