/**
 * {@link dev.tenancy.jdbc.usage.JdbcUsageStore}: monthly quota usage in PostgreSQL or H2, so that a restart of an
 * instance — or of an in-memory quota store — does not hand a tenant a fresh month. The quota manager loads the
 * month's counters at start and saves the changed ones in batches, periodically and on close.
 *
 * <p>With a shared Redis quota store the counters live in Redis; back them with this store too unless Redis itself
 * persists its data (AOF or RDB snapshots): restoring only ever raises a counter, so it is harmless over a Redis that
 * kept its data.
 *
 * <pre>{@code
 * try (QuotaManager quotas = QuotaManager.builder()
 *     .store(new InMemoryQuotaStore())
 *     .usageStore(JdbcUsageStore.builder().dataSource(adminDataSource).build())
 *     .flushInterval(Duration.ofSeconds(10))                   // at most this much usage lost on a crash
 *     .build()) {
 *   QuotaDecision decision = quotas.check(tenant);
 * }                                                             // close() saves the last changes
 * }</pre>
 */
@NullMarked
package dev.tenancy.jdbc.usage;

import org.jspecify.annotations.NullMarked;
