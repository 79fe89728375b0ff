package dev.tenancy.redis;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on a local port in front of the test Redis, which a test can cut (every connection closed, new ones
 * refused), restore (on the same port), or turn into a black hole (bytes accepted and dropped): Redis becomes
 * unreachable for one store without stopping the Redis server that other tests share.
 */
final class TcpProxy implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TcpProxy.class);

  private final InetSocketAddress upstream;
  private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "tcp-proxy");
    thread.setDaemon(true);
    return thread;
  });
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final int port;
  private volatile ServerSocket server;
  private volatile boolean blackHole;

  TcpProxy(String upstreamHost, int upstreamPort) {
    this.upstream = new InetSocketAddress(upstreamHost, upstreamPort);
    this.server = bindBelowEphemeralPorts();
    this.port = server.getLocalPort();
    accept(server);
  }

  /** @return the local port to point a client at */
  int port() {
    return port;
  }

  /** Closes every connection and stops listening: clients see a disconnect, and reconnects are refused. */
  synchronized void cut() {
    closeQuietly(server);
    sockets.forEach(TcpProxy::closeQuietly);
    sockets.clear();
  }

  /** Listens again on the same port, forwarding to Redis. */
  synchronized void restore() {
    blackHole = false;
    // The kernel may hold the port for a moment after cut() while the closed connections wind down.
    server = await().atMost(Duration.ofSeconds(5)).ignoreException(UncheckedIOException.class)
        .until(() -> bind(port), Objects::nonNull);
    accept(server);
  }

  /** While on, bytes from clients are read and dropped: Redis never sees the commands, and nothing answers. */
  void blackHole(boolean on) {
    blackHole = on;
  }

  /**
   * Listens on a port below the kernel's ephemeral range (usually from 32768): between {@link #cut()} and
   * {@link #restore()} an outgoing connection could otherwise be given the very port, and the proxy could not come
   * back.
   */
  private ServerSocket bindBelowEphemeralPorts() {
    UncheckedIOException last = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      try {
        return bind(ThreadLocalRandom.current().nextInt(20_000, 32_000));
      } catch (UncheckedIOException taken) {
        last = taken;
      }
    }
    throw last;
  }

  private ServerSocket bind(int localPort) {
    try {
      ServerSocket socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), localPort));
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot listen on port " + localPort, e);
    }
  }

  private void accept(ServerSocket listening) {
    threads.execute(() -> {
      while (!listening.isClosed()) {
        try {
          Socket client = listening.accept();
          Socket redis = new Socket(upstream.getAddress(), upstream.getPort());
          sockets.add(client);
          sockets.add(redis);
          threads.execute(() -> pump(client, redis, true));
          threads.execute(() -> pump(redis, client, false));
        } catch (SocketException closed) {
          LOG.debug("proxy listener closed: {}", closed.getMessage());
        } catch (IOException e) {
          LOG.warn("proxy accept failed", e);
        }
      }
    });
  }

  private void pump(Socket from, Socket to, boolean fromClient) {
    byte[] buffer = new byte[8192];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        if (!(fromClient && blackHole)) {
          out.write(buffer, 0, read);
          out.flush();
        }
      }
    } catch (IOException e) {
      LOG.debug("proxy connection ended: {}", e.getMessage());
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      LOG.debug("close failed: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    cut();
    threads.shutdownNow();
  }
}
