/**
 * Tenant isolation in the database: a {@code TenantAwareDataSource} that binds every connection to the current
 * tenant (PostgreSQL row-level security, schema per tenant, database per tenant, shards), the RLS policy generator,
 * the live isolation verifier and JDBC implementations of the core SPIs.
 *
 * <pre>{@code
 * String schema = SqlIdentifiers.tenantSchema("tenant_", TenantSlug.of("acme-realty"));
 * statement.execute("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifiers.quote(schema));
 * }</pre>
 */
@NullMarked
package dev.tenancy.jdbc;

import org.jspecify.annotations.NullMarked;
