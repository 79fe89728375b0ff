package dev.tenancy.jdbc.store;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantSlug;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on {@value #CHANNEL} with one dedicated connection and invalidates the cache entry of every tenant another
 * app instance (or this one) changed.
 *
 * <p>PostgreSQL forgets notifications sent while nobody listens, so whenever the connection is lost the cache stops
 * being trusted (it is bypassed), and after reconnecting — with exponential backoff — it is cleared before it is
 * trusted again. Loaded only when the database is PostgreSQL, so pgjdbc stays an optional dependency.
 */
final class PostgresChangeListener implements AutoCloseable {

  /** The channel every write notifies, with the payload {@code "<tenant id> <slug>"}. */
  static final String CHANNEL = "tenancy_tenant_changed";

  private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeListener.class);
  /** How long one wait for notifications lasts: bounds how long {@link #close()} takes. */
  private static final int POLL_MILLIS = 100;
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private final DataSource dataSource;
  private final TenantCache cache;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean listening;
  private volatile int backendPid;
  private final AtomicLong received = new AtomicLong();

  PostgresChangeListener(DataSource dataSource, TenantCache cache, String threadName) {
    this.dataSource = dataSource;
    this.cache = cache;
    this.thread = new Thread(this::run, threadName);
    this.thread.setDaemon(true);
  }

  /** Starts listening; until the first LISTEN is in place the cache is bypassed. */
  void start() {
    cache.trusted(false);
    thread.start();
  }

  /** @return whether a LISTEN is established right now, so every change will be announced */
  boolean listening() {
    return listening;
  }

  /** @return how many change notifications were handled so far (for operators and tests) */
  long notificationsReceived() {
    return received.get();
  }

  /** @return the server process id of the listening connection (for operators and tests), 0 before the first */
  int backendPid() {
    return backendPid;
  }

  private void run() {
    Duration backoff = FIRST_BACKOFF;
    while (!isClosed()) {
      try (Connection connection = dataSource.getConnection()) {
        listen(connection);
        backoff = FIRST_BACKOFF;
        try {
          receive(connection.unwrap(PGConnection.class));
        } catch (SQLException e) {
          revealFailureToPool(connection);
          throw e;
        }
        unlisten(connection);
      } catch (SQLException | RuntimeException e) {
        stopTrusting();
        if (isClosed()) {
          break;
        }
        LOG.warn("Tenant change listener lost its connection ({}); the tenant cache is bypassed until it reconnects,"
            + " retrying in {} ms", e.getMessage(), backoff.toMillis());
        if (awaitClose(backoff)) {
          break;
        }
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
      }
    }
    stopTrusting();
  }

  private void listen(Connection connection) throws SQLException {
    connection.setAutoCommit(true);
    try (Statement statement = connection.createStatement()) {
      statement.execute("LISTEN " + CHANNEL);
      try (ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
        pid.next();
        backendPid = pid.getInt(1);
      }
    }
    // Trust first, then clear: a load that began before this point is refused by the cache's generation check,
    // and every load after it read the database after LISTEN was in place.
    listening = true;
    cache.trusted(true);
    cache.invalidateAll();
    LOG.debug("Listening for tenant changes on {} (backend pid {})", CHANNEL, backendPid);
  }

  private void receive(PGConnection connection) throws SQLException {
    while (!isClosed()) {
      // Blocks up to POLL_MILLIS; throws as soon as the server or the network drops the connection.
      PGNotification[] notifications = connection.getNotifications(POLL_MILLIS);
      if (notifications == null) {
        continue;
      }
      for (PGNotification notification : notifications) {
        if (CHANNEL.equals(notification.getName())) {
          invalidate(notification.getParameter());
          received.incrementAndGet();
        }
      }
    }
  }

  /**
   * A pooled connection goes back still subscribed otherwise, and the driver would buffer every later notification
   * in memory for whoever borrows it next.
   */
  private static void unlisten(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("UNLISTEN *");
    }
  }

  /**
   * The failure happened on the unwrapped driver connection, which a pool does not watch: without this, the pool would
   * take the dead connection back as healthy and hand it straight to our next attempt.
   */
  private static void revealFailureToPool(Connection connection) {
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT 1");
    } catch (SQLException expected) {
      LOG.debug("Listener connection confirmed broken: {}", expected.getMessage());
    }
  }

  private void invalidate(String payload) {
    int space = payload.indexOf(' ');
    String id = space < 0 ? payload : payload.substring(0, space);
    String slug = space < 0 ? "" : payload.substring(space + 1);
    if (TenantId.isValid(id)) {
      cache.invalidate(TenantId.of(id), TenantSlug.isValid(slug) ? TenantSlug.of(slug) : null);
    } else {
      // Someone notified the channel by hand: we cannot tell which tenant changed, so assume any did.
      LOG.warn("Unreadable payload '{}' on {}; clearing the whole tenant cache", payload, CHANNEL);
      cache.invalidateAll();
    }
  }

  private void stopTrusting() {
    listening = false;
    cache.trusted(false);
    cache.invalidateAll();
  }

  private boolean isClosed() {
    return closed.getCount() == 0;
  }

  private boolean awaitClose(Duration timeout) {
    try {
      return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Stops listening and waits briefly for the thread to release its connection. */
  @Override
  public void close() {
    closed.countDown();
    try {
      thread.join(MAX_BACKOFF.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
