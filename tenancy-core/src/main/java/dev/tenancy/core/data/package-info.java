/**
 * Read-only views of tenant data operations — migrations, backups — that the admin API shows. The operations
 * themselves live in adapter modules (tenancy-jdbc); this package holds only the values they report and the small
 * interfaces the admin endpoints read them through, so that the admin API depends on core alone.
 *
 * <pre>{@code
 * MigrationStatusView migrations = statusStore;            // e.g. tenancy-jdbc's JdbcMigrationStatusStore
 * MigrationSummary summary = migrations.summary();         // pending / running / done / failed counts
 * migrations.statuses(MigrationState.FAILED)
 *     .forEach(s -> log.warn("{} failed: {}", s.location(), s.error()));
 * }</pre>
 */
@NullMarked
package dev.tenancy.core.data;

import org.jspecify.annotations.NullMarked;
