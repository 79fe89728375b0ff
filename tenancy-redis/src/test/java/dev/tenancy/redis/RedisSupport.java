package dev.tenancy.redis;

import static org.junit.jupiter.api.Assertions.fail;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.LoggerFactory;

/**
 * The Redis named by {@code TENANCY_TEST_REDIS_URL} (default {@code redis://127.0.0.1:6379}) for one test class, with
 * a random key prefix of its own so that test classes and concurrent builds never see each other's keys.
 *
 * <p>When Redis cannot be reached the test is skipped with a message — unless {@code TENANCY_IT_REQUIRED=true} (set by
 * CI), which fails it instead. {@link #close()} deletes every key under the prefix. Never stops or flushes the server:
 * other tests share it.
 */
final class RedisSupport implements AutoCloseable {

  static final String URL = env("TENANCY_TEST_REDIS_URL", "redis://127.0.0.1:6379");

  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final String prefix;

  private RedisSupport(RedisClient client, StatefulRedisConnection<String, String> connection) {
    this.client = client;
    this.connection = connection;
    this.prefix = "tenancy-it:" + UUID.randomUUID().toString().substring(0, 8) + ":";
  }

  /** Connects to the test Redis, or skips (fails on CI) when it is not reachable. */
  static RedisSupport connect() {
    RedisURI uri = RedisURI.create(URL);
    uri.setTimeout(Duration.ofSeconds(2));
    RedisClient client = RedisClient.create(uri);
    client.setOptions(ClientOptions.builder()
        .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build()).build());
    try {
      StatefulRedisConnection<String, String> connection = client.connect();
      connection.sync().ping();
      return new RedisSupport(client, connection);
    } catch (RuntimeException e) {
      client.shutdown();
      String message = "Redis is not reachable at " + URL + " (" + e.getMessage() + "), which this integration test "
          + "needs. Start Redis or set TENANCY_TEST_REDIS_URL. The test is skipped, unless TENANCY_IT_REQUIRED=true "
          + "(as on CI) makes it fail.";
      if (Boolean.parseBoolean(System.getenv("TENANCY_IT_REQUIRED"))) {
        fail(message, e);
      }
      // Failsafe does not print why a whole class was skipped; the log line makes the skip visible.
      LoggerFactory.getLogger(RedisSupport.class).warn(message);
      Assumptions.abort(message);
      throw new AssertionError("unreachable");
    }
  }

  /** @return this class's own key prefix, e.g. {@code tenancy-it:1a2b3c4d:} */
  String prefix() {
    return prefix;
  }

  /** @return a builder for a store on the test Redis under this prefix (sub-prefixes keep stores apart) */
  RedisQuotaStore.Builder storeBuilder(String subPrefix) {
    return RedisQuotaStore.builder().uri(URL).keyPrefix(prefix + subPrefix);
  }

  /** @return the test Redis's URI */
  RedisURI uri() {
    return RedisURI.create(URL);
  }

  /** @return synchronous commands on an admin connection, to inspect what a store wrote */
  RedisCommands<String, String> commands() {
    return connection.sync();
  }

  /** @return every key under {@code prefix() + subPrefix}, found with SCAN */
  List<String> keys(String subPrefix) {
    List<String> keys = new ArrayList<>();
    ScanArgs match = ScanArgs.Builder.matches(prefix + subPrefix + "*").limit(500);
    KeyScanCursor<String> cursor = connection.sync().scan(match);
    keys.addAll(cursor.getKeys());
    while (!cursor.isFinished()) {
      cursor = connection.sync().scan(ScanCursor.of(cursor.getCursor()), match);
      keys.addAll(cursor.getKeys());
    }
    return keys;
  }

  @Override
  public void close() {
    try {
      List<String> keys = keys("");
      if (!keys.isEmpty()) {
        connection.sync().del(keys.toArray(String[]::new));
      }
    } finally {
      connection.close();
      client.shutdown();
    }
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
