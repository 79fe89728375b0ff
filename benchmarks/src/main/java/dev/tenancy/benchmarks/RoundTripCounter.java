package dev.tenancy.benchmarks;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.SocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Counts the requests the PostgreSQL driver sends, on the wire, independently of what Tenancy's own
 * {@code BindingStatistics} claims.
 *
 * <p>pgjdbc buffers every protocol message and flushes the socket once per request, right before it blocks for the
 * server's answer; for the single statements these benchmarks send, one flush is one round trip. Connections opt in
 * with the driver property {@code socketFactory} = {@link Factory}; every flush on such a connection, from any thread,
 * increments one process-wide counter, so a benchmark reads it before and after an iteration on a pool nothing else
 * uses.
 *
 * <pre>{@code
 * config.addDataSourceProperty("socketFactory", RoundTripCounter.Factory.class.getName());
 * long before = RoundTripCounter.total();
 * ...
 * long roundTrips = RoundTripCounter.total() - before;
 * }</pre>
 */
public final class RoundTripCounter {

  private static final AtomicLong FLUSHES = new AtomicLong();

  private RoundTripCounter() {
  }

  /** @return requests flushed to the server so far by connections made through {@link Factory} */
  public static long total() {
    return FLUSHES.get();
  }

  /** The socket factory pgjdbc instantiates by name (property {@code socketFactory}); it needs a public constructor. */
  public static final class Factory extends SocketFactory {

    /** Creates the factory; pgjdbc instantiates it reflectively. */
    public Factory() {
    }

    /** pgjdbc creates an unconnected socket and connects it itself. */
    @Override
    public Socket createSocket() {
      return new CountingSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return connected(new CountingSocket(), new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      CountingSocket socket = new CountingSocket();
      socket.bind(new InetSocketAddress(localHost, localPort));
      return connected(socket, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return connected(new CountingSocket(), new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
        throws IOException {
      CountingSocket socket = new CountingSocket();
      socket.bind(new InetSocketAddress(localAddress, localPort));
      return connected(socket, new InetSocketAddress(address, port));
    }

    private static Socket connected(Socket socket, SocketAddress address) throws IOException {
      try {
        socket.connect(address);
        return socket;
      } catch (IOException e) {
        socket.close();
        throw e;
      }
    }
  }

  /** A plain TCP socket whose output stream counts flushes. */
  private static final class CountingSocket extends Socket {
    private @Nullable OutputStream output;

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
      if (output == null) {
        output = new CountingOutputStream(super.getOutputStream());
      }
      return output;
    }
  }

  private static final class CountingOutputStream extends FilterOutputStream {

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    /** Passes whole buffers through; FilterOutputStream's default would write them byte by byte. */
    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
      FLUSHES.incrementAndGet();
      out.flush();
    }
  }
}
