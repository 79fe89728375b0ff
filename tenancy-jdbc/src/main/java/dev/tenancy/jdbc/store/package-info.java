/**
 * {@link dev.tenancy.jdbc.store.JdbcTenantStore}: tenants, their configuration and the provisioning journal in
 * PostgreSQL or H2, with a read cache that every app instance invalidates within a second of a change (PostgreSQL
 * {@code LISTEN/NOTIFY}, a short TTL as the fallback).
 *
 * <p>The store's tables are created by versioned Flyway migrations in their own schema ({@code tenancy}) with their
 * own history table ({@code tenancy_schema_history}); they are platform tables, so the store takes the raw (admin)
 * DataSource, never a tenant-bound one.
 *
 * <pre>{@code
 * HikariDataSource admin = new HikariDataSource(config);        // the platform pool, not TenantAwareDataSource
 * try (JdbcTenantStore store = JdbcTenantStore.builder()
 *     .dataSource(admin)
 *     .cacheTtl(Duration.ofSeconds(5))                          // fallback if a notification is missed
 *     .build()) {                                               // migrates, then starts LISTEN on PostgreSQL
 *   TenantService tenants = TenantService.builder().store(store).resolver(resolver).build();
 *   tenants.suspend(id);                                        // every instance refuses the tenant within a second
 * }
 * }</pre>
 */
@NullMarked
package dev.tenancy.jdbc.store;

import org.jspecify.annotations.NullMarked;
