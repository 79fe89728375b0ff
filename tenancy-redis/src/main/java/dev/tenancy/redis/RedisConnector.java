package dev.tenancy.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The store's one Lettuce connection, opened lazily and without blocking a caller: a store built while Redis is down
 * starts unavailable and connects when Redis comes up. Lettuce multiplexes every caller over this single connection
 * (pipelining), and reconnects it by itself after a drop; a first connection that failed is retried by the next probe.
 *
 * <p>At-most-once: the connection's client rejects commands while disconnected
 * ({@link ClientOptions.DisconnectedBehavior#REJECT_COMMANDS}), which also makes Lettuce fail (not replay) commands
 * that were in flight when the connection dropped. So an increment is sent once or fails; it is never applied twice.
 */
final class RedisConnector implements AutoCloseable {

  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

  private final RedisClient client;
  private final @Nullable ClientResources ownResources;
  private final @Nullable RedisURI uri;
  private final String target;
  private final List<LuaScript> scripts;
  private @Nullable CompletableFuture<StatefulRedisConnection<String, String>> connecting;
  private volatile @Nullable RedisAsyncCommands<String, String> ready;
  private boolean closed;

  private RedisConnector(RedisClient client, @Nullable ClientResources ownResources, @Nullable RedisURI uri,
      String target, List<LuaScript> scripts) {
    this.client = client;
    this.ownResources = ownResources;
    this.uri = uri;
    this.target = target;
    this.scripts = List.copyOf(scripts);
  }

  /** A connector that owns its client (and the client's threads), configured for at-most-once. */
  static RedisConnector owning(RedisURI uri, Duration reconnectCap, List<LuaScript> scripts) {
    ClientResources resources = DefaultClientResources.builder()
        // Lettuce's default backs off to 30 s between reconnects; a limiter should be back within about a second.
        .reconnectDelay(Delay.exponential(Duration.ofMillis(1), reconnectCap, 2, TimeUnit.MILLISECONDS))
        .build();
    RedisClient client = RedisClient.create(resources);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .build());
    return new RedisConnector(client, resources, uri, uri.toString(), scripts);
  }

  /**
   * A connector on the user's client, which stays theirs to shut down. Its options must reject commands while
   * disconnected (checked by the builder); without a URI the client's own default URI is used.
   */
  static RedisConnector sharing(RedisClient client, @Nullable RedisURI uri, List<LuaScript> scripts) {
    return new RedisConnector(client, null, uri, uri == null ? "the RedisClient's default URI" : uri.toString(),
        scripts);
  }

  /** @return which Redis, without credentials */
  String target() {
    return target;
  }

  /** @return the commands of the open connection, or null while none has been opened yet */
  @Nullable RedisAsyncCommands<String, String> ready() {
    return ready;
  }

  /** @return the commands once a connection is open; starts a connection attempt unless one is under way */
  synchronized CompletableFuture<RedisAsyncCommands<String, String>> connect() {
    if (closed) {
      throw new IllegalStateException("This RedisQuotaStore is closed; build a new one to use Redis again");
    }
    if (connecting == null || connecting.isCompletedExceptionally()) {
      connecting = open().thenCompose(this::loadScripts);
      connecting.thenAccept(this::opened);
    }
    return connecting.thenApply(StatefulRedisConnection::async);
  }

  private CompletableFuture<StatefulRedisConnection<String, String>> open() {
    if (uri != null) {
      return client.connectAsync(StringCodec.UTF8, uri).toCompletableFuture();
    }
    // RedisClient has no asynchronous connect to its default URI: block a Lettuce computation thread, not the caller.
    return CompletableFuture.supplyAsync(() -> client.connect(StringCodec.UTF8), client.getResources().eventExecutorGroup());
  }

  /**
   * Loads every script before the first command, so that a burst of calls on a new connection does not turn into a
   * burst of NOSCRIPT replies each followed by the full script. (A Redis that restarts later loses them again; the
   * NOSCRIPT fallback covers that.)
   */
  private CompletableFuture<StatefulRedisConnection<String, String>> loadScripts(
      StatefulRedisConnection<String, String> connection) {
    RedisAsyncCommands<String, String> redis = connection.async();
    CompletableFuture<?>[] loads = scripts.stream()
        .map(script -> redis.scriptLoad(script.source()).toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(loads).handle((loaded, failure) -> {
      if (failure != null) {
        connection.closeAsync();
        throw new CompletionException(failure);
      }
      return connection;
    });
  }

  private synchronized void opened(StatefulRedisConnection<String, String> connection) {
    if (closed) {
      connection.closeAsync();
    } else {
      ready = connection.async();
    }
  }

  @Override
  public void close() {
    CompletableFuture<StatefulRedisConnection<String, String>> pending;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      ready = null;
      pending = connecting;
    }
    if (pending != null) {
      // Runs now if the connection is open, or closes it as soon as a pending attempt completes.
      pending.thenAccept(StatefulRedisConnection::close);
    }
    if (ownResources != null) {
      client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
      ownResources.shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis());
    }
  }
}
