package dev.tenancy.jdbc.move;

import dev.tenancy.jdbc.IsolationStrategy;
import dev.tenancy.jdbc.TenantAwareDataSource;

/**
 * One shard as a mover sees it: its name, strategy, a data source over that strategy alone (so the mover reaches the
 * source and the target whatever the directory says), and its place. The data source is never closed: that would
 * close pools the {@code Sharded} strategy owns.
 */
record Shard(String name, IsolationStrategy strategy, TenantAwareDataSource dataSource, Place place) {

  @Override
  public String toString() {
    return "'" + name + "' (" + place.kind() + ")";
  }
}
