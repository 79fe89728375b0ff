package dev.tenancy.servlet;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A request whose body may not exceed a byte limit while it is read: the check for bodies without (or with a lying)
 * {@code Content-Length}, such as chunked uploads. Reading past the limit throws {@link TooLarge}, and
 * {@link #exceeded()} tells the filter to answer 413 whatever the application did with the exception.
 */
final class BodyLimit extends HttpServletRequestWrapper {

  /** Thrown by the stream once the body passes the limit. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long limit) {
      super("the request body is larger than " + limit + " bytes");
    }
  }

  private final long limit;
  private volatile boolean exceeded;
  private @Nullable ServletInputStream stream;
  private @Nullable BufferedReader reader;

  BodyLimit(HttpServletRequest request, long limit) {
    super(request);
    this.limit = limit;
  }

  boolean exceeded() {
    return exceeded;
  }

  @Override
  public ServletInputStream getInputStream() throws IOException {
    if (reader != null) {
      throw new IllegalStateException("getReader() was already called on this request");
    }
    if (stream == null) {
      stream = new Limited(super.getInputStream());
    }
    return stream;
  }

  @Override
  public BufferedReader getReader() throws IOException {
    if (reader == null) {
      if (stream != null) {
        throw new IllegalStateException("getInputStream() was already called on this request");
      }
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      reader = new BufferedReader(new InputStreamReader(new Limited(super.getInputStream()), charset));
    }
    return reader;
  }

  private final class Limited extends ServletInputStream {
    private final ServletInputStream in;
    private long read;

    Limited(ServletInputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws TooLarge {
      read += n;
      if (read > limit) {
        exceeded = true;
        throw new TooLarge(limit);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
