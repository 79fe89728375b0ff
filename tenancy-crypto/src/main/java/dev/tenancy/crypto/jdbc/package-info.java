/**
 * JDBC support. Tenants' wrapped data keys in PostgreSQL or H2: {@link dev.tenancy.crypto.jdbc.JdbcTenantKeyStore}, a
 * {@link dev.tenancy.crypto.spi.TenantKeyStore} whose table Flyway creates in a schema of its own. Needs
 * {@code tenancy-jdbc} (an optional dependency of tenancy-crypto) and the database's driver on the class path.
 *
 * <pre>{@code
 * TenantKeyStore keys = JdbcTenantKeyStore.builder()
 *     .dataSource(adminDataSource)   // the platform DataSource, never a tenant-bound one
 *     .build();                      // creates or upgrades tenancy_crypto.tenant_data_keys
 * }</pre>
 *
 * <p>Application tables: {@link dev.tenancy.crypto.jdbc.EncryptedColumns} encrypts and decrypts chosen columns in one
 * line each, and {@link dev.tenancy.crypto.jdbc.ReEncryption} re-encrypts a tenant's rows under its current key version
 * after a rotation.
 *
 * <pre>{@code
 * EncryptedColumns columns = EncryptedColumns.of(cipher);
 * columns.set(insert, 3, tenant, "leads.email", email);
 * String email = columns.get(rows, "email", tenant, "leads.email");
 * }</pre>
 */
@NullMarked
package dev.tenancy.crypto.jdbc;

import org.jspecify.annotations.NullMarked;
