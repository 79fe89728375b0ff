/**
 * What users plug into tenancy-jdbc: the {@link dev.tenancy.jdbc.spi.ShardDirectory} that maps tenants to shards,
 * its {@link dev.tenancy.jdbc.spi.MutableShardDirectory writable form} that moving tenants between shards needs, and
 * the {@link dev.tenancy.jdbc.spi.MigrationStatusStore} where migration waves record each tenant's progress.
 *
 * <pre>{@code
 * ShardDirectory directory = tenant -> Optional.ofNullable(shardTable.get(tenant));
 * }</pre>
 */
@NullMarked
package dev.tenancy.jdbc.spi;

import org.jspecify.annotations.NullMarked;
