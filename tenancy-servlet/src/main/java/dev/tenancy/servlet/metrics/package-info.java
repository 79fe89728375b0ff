/**
 * Per-tenant request metrics in Micrometer with a cardinality guard, the read view for the admin API, and SLA
 * tracking: {@link dev.tenancy.servlet.metrics.MicrometerTenantMetrics}.
 *
 * <pre>{@code
 * MicrometerTenantMetrics metrics = MicrometerTenantMetrics.builder().registry(registry).build();
 * }</pre>
 */
@NullMarked
package dev.tenancy.servlet.metrics;

import org.jspecify.annotations.NullMarked;
