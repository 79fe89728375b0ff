package dev.tenancy.core.metrics;

import dev.tenancy.core.TenantId;
import java.util.List;

/**
 * Reads per-tenant request statistics, for any tenant, however many there are: the read side of a
 * {@link dev.tenancy.core.spi.TenantMetricsRecorder}. The admin API and the dashboard read it.
 *
 * @since 0.1.0
 */
public interface TenantMetricsView {

  /**
   * The statistics of one tenant.
   *
   * @param tenant the tenant
   * @return its statistics; all zero if it has not been seen
   */
  TenantRequestStats stats(TenantId tenant);

  /**
   * The statistics of every tenant seen (bounded by the implementation's capacity), busiest first.
   *
   * @return one entry per tenant
   */
  List<TenantRequestStats> all();
}
