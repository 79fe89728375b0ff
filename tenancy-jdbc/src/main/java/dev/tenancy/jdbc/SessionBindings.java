package dev.tenancy.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Remembers what each physical connection is bound to, so that a connection re-taken for the tenant it already serves
 * costs no round trip, and binds it otherwise.
 *
 * <p>The binding is written with auto-commit on — in its own, immediately committed transaction — even when the pool
 * hands out connections with auto-commit off. A session setting written inside a transaction that later rolls back is
 * undone by PostgreSQL, which would make the remembered binding a lie; a committed one survives every rollback,
 * savepoint rollback and aborted transaction of the user's. Keys are the physical connections, held weakly and
 * compared by identity, so connections the pool retires are forgotten with them.
 */
final class SessionBindings {

  /** Writes a binding; one statement, one round trip. */
  @FunctionalInterface
  interface Binder {
    void bind(Connection physical, String value) throws SQLException;
  }

  // Upkeep on the calling thread: on a 2-core machine handing it to the common pool cost ~200 ns per checkout.
  private final Cache<Connection, String> bound = Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();
  private final Binder binder;
  private final LongAdder checkouts = new LongAdder();
  private final LongAdder statements = new LongAdder();
  private final LongAdder reused = new LongAdder();

  SessionBindings(Binder binder) {
    this.binder = binder;
  }

  /**
   * Binds {@code pooled} (as handed out by the pool) to {@code value}. On failure the connection is closed (returned
   * to the pool) and the exception propagates: an unbindable connection is never handed out.
   */
  Connection bind(Connection pooled, String value) throws SQLException {
    checkouts.increment();
    try {
      Connection physical = physicalOf(pooled);
      if (physical != null && value.equals(bound.getIfPresent(physical))) {
        reused.increment();
        return pooled;
      }
      Connection target = physical == null ? pooled : physical;
      if (physical != null) {
        // Forget first: if writing fails half-way, the connection must not be remembered as bound to anyone.
        bound.invalidate(physical);
      }
      boolean autoCommit = target.getAutoCommit();
      if (!autoCommit) {
        target.setAutoCommit(true);
      }
      try {
        binder.bind(target, value);
        statements.increment();
      } finally {
        if (!autoCommit) {
          target.setAutoCommit(false);
        }
      }
      if (physical != null) {
        bound.put(physical, value);
      }
      return pooled;
    } catch (SQLException | RuntimeException e) {
      closeQuietly(pooled, e);
      throw e;
    }
  }

  /** Forgets what a connection is bound to, e.g. after the application ran {@code DISCARD ALL} on it. */
  void forget(Connection pooled) {
    Connection physical = physicalOf(pooled);
    if (physical != null) {
      bound.invalidate(physical);
    }
  }

  BindingStatistics statistics() {
    return new BindingStatistics(checkouts.sum(), statements.sum(), reused.sum());
  }

  /** The physical connection behind a pool's proxy (HikariCP unwraps to its delegate), or null if it won't say. */
  private static @Nullable Connection physicalOf(Connection pooled) {
    try {
      return pooled.unwrap(Connection.class);
    } catch (SQLException | RuntimeException e) {
      return null;
    }
  }

  static void closeQuietly(Connection connection, Throwable primary) {
    try {
      connection.close();
    } catch (SQLException | RuntimeException e) {
      primary.addSuppressed(e);
    }
  }
}
