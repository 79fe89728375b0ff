/**
 * Tenants' wrapped data keys in PostgreSQL or H2: {@link dev.tenancy.crypto.jdbc.JdbcTenantKeyStore}, a
 * {@link dev.tenancy.crypto.spi.TenantKeyStore} whose table Flyway creates in a schema of its own. Needs
 * {@code tenancy-jdbc} (an optional dependency of tenancy-crypto) and the database's driver on the class path.
 *
 * <pre>{@code
 * TenantKeyStore keys = JdbcTenantKeyStore.builder()
 *     .dataSource(adminDataSource)   // the platform DataSource, never a tenant-bound one
 *     .build();                      // creates or upgrades tenancy_crypto.tenant_data_keys
 * }</pre>
 */
@NullMarked
package dev.tenancy.crypto.jdbc;

import org.jspecify.annotations.NullMarked;
