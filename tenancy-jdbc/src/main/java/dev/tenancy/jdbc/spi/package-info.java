/**
 * What users plug into tenancy-jdbc: the {@link dev.tenancy.jdbc.spi.ShardDirectory} that maps tenants to shards.
 *
 * <pre>{@code
 * ShardDirectory directory = tenant -> Optional.ofNullable(shardTable.get(tenant));
 * }</pre>
 */
@NullMarked
package dev.tenancy.jdbc.spi;

import org.jspecify.annotations.NullMarked;
