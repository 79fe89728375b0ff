/**
 * Moving a tenant between places — the shards of a {@link dev.tenancy.jdbc.Sharded} strategy, whatever their
 * isolation tier: shared tables under row-level security, a schema of its own, a database of its own, another server —
 * and the writable shard directory that moving needs ({@link dev.tenancy.jdbc.move.JdbcShardDirectory}, or
 * {@code InMemoryShardDirectory} in one JVM).
 *
 * <pre>{@code
 * JdbcShardDirectory directory = JdbcShardDirectory.builder().dataSource(adminDataSource).build();
 * Sharded sharded = Sharded.builder(directory)
 *     .shard("shared", RowLevelSecurity.builder(appPool).build())
 *     .shard("schemas", SchemaPerTenant.builder(appPool).build())
 *     .shard("dedicated", DatabasePerTenant.builder(tenantPools).build())
 *     .build();
 * TenantMover mover = TenantMover.builder(sharded, directory, tenantService)
 *     .place("shared", Place.sharedTables())
 *     .place("schemas", Place.ownSchema(schemaStep, adminDataSource))
 *     .place("dedicated", Place.ownDatabase(databaseStep, adminDataSource))
 *     .build();
 *
 * directory.place(acme.id(), "shared");                        // where a new tenant starts
 * TenantMove move = mover.move(acme.id(), "dedicated");       // or TenantMoveException naming the failed step
 * }</pre>
 *
 * <p>A move suspends the tenant, prepares the target, copies and verifies the rows (counts and SHA-256 per table),
 * switches the directory with a compare-and-set, purges the old copy and restores the tenant's status; a failure
 * before the status is restored undoes every step. See {@link dev.tenancy.jdbc.move.TenantMover} and
 * {@code docs/moving-tenants.md}.
 */
@NullMarked
package dev.tenancy.jdbc.move;

import org.jspecify.annotations.NullMarked;
