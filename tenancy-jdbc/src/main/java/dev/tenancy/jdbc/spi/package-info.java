/**
 * What users plug into tenancy-jdbc: the {@link dev.tenancy.jdbc.spi.ShardDirectory} that maps tenants to shards,
 * and its {@link dev.tenancy.jdbc.spi.MutableShardDirectory writable form} that moving tenants between shards needs.
 *
 * <pre>{@code
 * ShardDirectory directory = tenant -> Optional.ofNullable(shardTable.get(tenant));
 * }</pre>
 */
@NullMarked
package dev.tenancy.jdbc.spi;

import org.jspecify.annotations.NullMarked;
