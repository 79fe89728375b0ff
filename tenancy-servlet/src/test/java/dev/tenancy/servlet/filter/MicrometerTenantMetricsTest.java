package dev.tenancy.servlet.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.EffectiveConfiguration;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.alert.Alert;
import dev.tenancy.core.alert.AlertCenter;
import dev.tenancy.core.alert.AlertKind;
import dev.tenancy.core.metrics.TenantRequestStats;
import dev.tenancy.core.quota.QuotaResource;
import dev.tenancy.servlet.metrics.MicrometerTenantMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MicrometerTenantMetricsTest {

  private static final long MS = 1_000_000L;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

  private static TenantInfo tenant(String slug, Long slaMillis) {
    Map<String, Long> limits = slaMillis == null ? Map.of() : Map.of("slaP95Millis", slaMillis);
    return new TenantInfo(TenantId.random(), TenantSlug.of(slug), TenantStatus.ACTIVE,
        new EffectiveConfiguration("test", Map.of(), limits, null, Map.of()));
  }

  private Set<String> tenantTags() {
    return registry.getMeters().stream()
        .map(Meter::getId)
        .filter(id -> id.getName().startsWith("tenancy.request"))
        .map(id -> id.getTag("tenant"))
        .collect(Collectors.toSet());
  }

  @Test
  void fiveThousandTenants_tagValuesBoundedToBusiestPlusOther_viewAnswersForEvery() {
    MicrometerTenantMetrics metrics = MicrometerTenantMetrics.builder().registry(registry).taggedTenants(20)
        .ticker(now::get).build();
    List<TenantInfo> tenants = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      TenantInfo t = tenant("t" + i, null);
      tenants.add(t);
      metrics.recordRequest(t, 200, 5 * MS);
    }
    assertThat(tenantTags()).hasSize(21).contains("other");
    assertThat(metrics.stats(tenants.get(17).id()).p50Ms()).isBetween(4.4, 5.6);

    // A quiet tenant turns busy: after the rebalance it has its own tag, and the count stays bounded.
    TenantInfo busy = tenants.get(4321);
    for (int i = 0; i < 100; i++) {
      metrics.recordRequest(busy, i % 10 == 0 ? 503 : 200, (i + 1) * MS);
    }
    metrics.recordThrottled(busy.id(), QuotaResource.RATE_LIMIT);
    now.addAndGet(Duration.ofMinutes(2).toNanos());
    metrics.recordRequest(busy, 200, MS);

    assertThat(tenantTags()).hasSizeLessThanOrEqualTo(21).contains("t4321", "other");
    assertThat(metrics.taggedTenants()).contains(busy.id()).hasSizeLessThanOrEqualTo(20);
    TenantRequestStats stats = metrics.stats(busy.id());
    assertThat(stats.requests()).isEqualTo(102);
    assertThat(stats.errors()).isEqualTo(10);
    assertThat(stats.throttled()).isEqualTo(1);
    TenantRequestStats quiet = metrics.stats(tenants.get(17).id());
    assertThat(quiet.requests()).isEqualTo(1);
    assertThat(quiet.p50Ms()).as("outside the latency window").isZero();
    assertThat(metrics.stats(TenantId.random()).requests()).isZero();
    assertThat(metrics.all()).hasSize(5000);
    assertThat(metrics.all().get(0).tenant()).isEqualTo(busy.id());
  }

  @Test
  void percentiles_withinBucketError() {
    MicrometerTenantMetrics metrics = MicrometerTenantMetrics.builder().registry(registry).ticker(now::get).build();
    TenantInfo acme = tenant("acme", null);
    for (int ms = 1; ms <= 1000; ms++) {
      metrics.recordRequest(acme, 200, ms * MS);
    }

    TenantRequestStats stats = metrics.stats(acme.id());

    assertThat(stats.p50Ms()).isBetween(500 * 0.88, 500 * 1.12);
    assertThat(stats.p95Ms()).isBetween(950 * 0.88, 950 * 1.12);
    assertThat(stats.p99Ms()).isBetween(990 * 0.88, 990 * 1.12);
  }

  @Test
  void slaBreach_raisesOneAlertPerPeriod_andOnlyAboveTarget() {
    AlertCenter alerts = AlertCenter.builder().build();
    MicrometerTenantMetrics metrics = MicrometerTenantMetrics.builder().registry(registry).alerts(alerts)
        .slaCheckInterval(Duration.ofMillis(1)).slaMinRequests(20).ticker(now::get).build();
    TenantInfo slow = tenant("slow", 100L);
    TenantInfo fast = tenant("fast", 100L);
    for (int i = 0; i < 200; i++) {
      now.addAndGet(2 * MS);
      metrics.recordRequest(slow, 200, 400 * MS);
      metrics.recordRequest(fast, 200, 20 * MS);
    }

    assertThat(alerts.open()).singleElement().satisfies(alert -> {
      assertThat(alert.kind()).isEqualTo(AlertKind.SLA);
      assertThat(alert.tenant()).isEqualTo(slow.id());
      assertThat(alert.message()).contains("slow", "100 ms");
    });
    assertThat(metrics.stats(slow.id()).slaBreached()).isTrue();
    assertThat(metrics.stats(fast.id()).slaBreached()).isFalse();
    assertThat(metrics.stats(fast.id()).slaP95TargetMs()).isEqualTo(100L);
    assertThat(alerts.open()).extracting(Alert::tenant).doesNotContain(fast.id());
  }

  @Test
  void latencyWindow_oldRequestsAgeOut() {
    MicrometerTenantMetrics metrics = MicrometerTenantMetrics.builder().registry(registry)
        .window(Duration.ofSeconds(60)).ticker(now::get).build();
    TenantInfo acme = tenant("acme", null);
    for (int i = 0; i < 50; i++) {
      metrics.recordRequest(acme, 200, 800 * MS);
    }
    now.addAndGet(Duration.ofMinutes(3).toNanos());
    metrics.recordRequest(acme, 200, 10 * MS);

    TenantRequestStats stats = metrics.stats(acme.id());
    assertThat(stats.requests()).isEqualTo(51);
    assertThat(stats.p99Ms()).isLessThan(12);
  }
}
