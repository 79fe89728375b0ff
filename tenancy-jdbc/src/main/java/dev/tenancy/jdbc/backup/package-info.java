/**
 * One tenant's data as a whole: which tables hold it ({@link dev.tenancy.jdbc.backup.TenantTables}), a fingerprint
 * that is equal wherever the same data lives ({@link dev.tenancy.jdbc.backup.TenantDataDigest}), and a streaming copy
 * from one place to another ({@link dev.tenancy.jdbc.backup.TenantDataCopy}) — shared RLS tables, a schema or a
 * database of the tenant's own, another server. Moving a tenant and backing one up are built on these.
 *
 * <pre>{@code
 * TenantAwareDataSource shared = TenantAwareDataSource.of(RowLevelSecurity.builder(appPool).build());
 * TenantAwareDataSource schemas = TenantAwareDataSource.of(SchemaPerTenant.builder(appPool).build());
 *
 * Map<String, Long> copied = TenantDataCopy.copy(acme, shared, schemas);     // one target transaction
 * if (!TenantDataDigest.of(schemas, acme).equals(TenantDataDigest.of(shared, acme))) {
 *   throw new IllegalStateException("copy differs");
 * }
 * }</pre>
 */
@NullMarked
package dev.tenancy.jdbc.backup;

import org.jspecify.annotations.NullMarked;
