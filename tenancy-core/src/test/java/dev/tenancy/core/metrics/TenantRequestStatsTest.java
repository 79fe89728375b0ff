package dev.tenancy.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.quota.QuotaResource;
import dev.tenancy.core.spi.TenantMetricsRecorder;
import org.junit.jupiter.api.Test;

class TenantRequestStatsTest {

  private final TenantId tenant = TenantId.random();

  @Test
  void slaBreached_onlyWithTargetRequestsAndP95Above() {
    assertThat(new TenantRequestStats(tenant, 10, 0, 5, 120, 130, 0, 100L).slaBreached()).isTrue();
    assertThat(new TenantRequestStats(tenant, 10, 0, 5, 100, 130, 0, 100L).slaBreached()).isFalse();
    assertThat(new TenantRequestStats(tenant, 10, 0, 5, 120, 130, 0, null).slaBreached()).isFalse();
    assertThat(TenantRequestStats.empty(tenant, 100L).slaBreached()).isFalse();
  }

  @Test
  void constructor_rejectsImpossibleCounts() {
    assertThatThrownBy(() -> new TenantRequestStats(tenant, 1, 2, 0, 0, 0, 0, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TenantRequestStats(tenant, 1, 0, -1, 0, 0, 0, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void noneRecorder_acceptsEverything() {
    TenantMetricsRecorder none = TenantMetricsRecorder.none();
    none.recordRequest(tenant, 500, 1);
    none.recordThrottled(tenant, QuotaResource.RATE_LIMIT);
    assertThat(none).isSameAs(TenantMetricsRecorder.none());
  }
}
