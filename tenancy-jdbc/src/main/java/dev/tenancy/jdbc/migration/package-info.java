/**
 * Migration waves: the application's tenant Flyway migrations run over every tenant schema or database — canaries
 * first, then waves of bounded parallelism — with a per-tenant status record (pending, running, done, failed) that
 * survives crashes, lets several app instances share the work without migrating a tenant twice, and feeds the admin
 * API through {@link dev.tenancy.core.data.MigrationStatusView}.
 *
 * <pre>{@code
 * JdbcMigrationStatusStore statuses = JdbcMigrationStatusStore.builder().dataSource(adminPool).build();
 * MigrationReport report = MigrationWaves.builder()
 *     .tenants(tenantService)
 *     .schemas(adminPool)
 *     .locations("classpath:db/tenant")
 *     .statusStore(statuses)
 *     .canaryCount(2)
 *     .waveSize(100)
 *     .parallelism(4)
 *     .build()
 *     .run();
 * if (!report.complete()) {
 *   statuses.statuses(MigrationState.FAILED).forEach(s -> log.error("{}: {}", s.location(), s.error()));
 * }
 * }</pre>
 */
@NullMarked
package dev.tenancy.jdbc.migration;

import org.jspecify.annotations.NullMarked;
