/**
 * Moving a tenant between places — shards of a {@link dev.tenancy.jdbc.Sharded} strategy, whatever their isolation
 * tier — and the writable shard directory that moving needs: {@link dev.tenancy.jdbc.move.JdbcShardDirectory}.
 *
 * <pre>{@code
 * JdbcShardDirectory directory = JdbcShardDirectory.builder().dataSource(adminDataSource).build();
 * directory.place(acme.id(), "shared");
 * directory.move(acme.id(), "shared", "dedicated");      // compare-and-set: false if acme is not on "shared"
 * }</pre>
 */
@NullMarked
package dev.tenancy.jdbc.move;

import org.jspecify.annotations.NullMarked;
