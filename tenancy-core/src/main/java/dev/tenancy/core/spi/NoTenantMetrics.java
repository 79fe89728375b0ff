package dev.tenancy.core.spi;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.quota.QuotaResource;

/** The recorder of {@link TenantMetricsRecorder#none()}. */
enum NoTenantMetrics implements TenantMetricsRecorder {
  INSTANCE;

  @Override
  public void recordRequest(TenantId tenant, int status, long latencyNanos) {
    // Metrics are off.
  }

  @Override
  public void recordThrottled(TenantId tenant, QuotaResource resource) {
    // Metrics are off.
  }
}
