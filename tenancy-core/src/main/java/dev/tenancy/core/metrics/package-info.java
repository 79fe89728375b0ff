/**
 * Per-tenant request statistics: the read view the admin API and the dashboard use; the write side is the SPI
 * {@link dev.tenancy.core.spi.TenantMetricsRecorder}.
 *
 * <pre>{@code
 * TenantRequestStats stats = view.stats(tenantId);
 * if (stats.slaBreached()) {
 *   page(stats.tenant(), stats.p95Ms());
 * }
 * }</pre>
 */
@NullMarked
package dev.tenancy.core.metrics;

import org.jspecify.annotations.NullMarked;
