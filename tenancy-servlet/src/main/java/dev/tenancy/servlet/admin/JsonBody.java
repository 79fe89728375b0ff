package dev.tenancy.servlet.admin;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reads a JSON request body without trusting it: the media type must be JSON, the body at most a set number of bytes
 * (counted while reading, so a missing or false {@code Content-Length} buys nothing), the text well-formed JSON with no
 * duplicate member and nothing after the value.
 */
final class JsonBody {

  private JsonBody() {
  }

  /**
   * Reads and parses the body.
   *
   * @throws AdminException 415 for another media type, 413 for a body over the limit, 400 for malformed JSON or an
   *     empty body
   */
  static JsonNode read(HttpServletRequest request, ObjectMapper mapper, long maxBytes) throws IOException {
    requireJson(request);
    long declared = request.getContentLengthLong();
    if (declared > maxBytes) {
      throw tooLarge(maxBytes);
    }
    JsonNode node;
    try (InputStream in = new Limited(request.getInputStream(), maxBytes)) {
      node = mapper.readTree(in);
    } catch (JsonProcessingException malformed) {
      if (malformed.getCause() instanceof TooLarge || findTooLarge(malformed)) {
        throw tooLarge(maxBytes);
      }
      // Jackson's own message may quote the body; only the position is repeated.
      JsonLocation at = malformed.getLocation();
      String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
      throw AdminException.validation("body", "The body is not well-formed JSON" + where
          + " (a member may also appear twice)");
    } catch (TooLarge tooLarge) {
      throw tooLarge(maxBytes);
    }
    if (node == null || node.isMissingNode()) {
      throw AdminException.validation("body", "The request needs a JSON body");
    }
    return node;
  }

  /** @throws AdminException 415 unless the request declares a JSON media type */
  static void requireJson(HttpServletRequest request) {
    String type = request.getContentType();
    String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    if (!media.equals("application/json") && !(media.startsWith("application/") && media.endsWith("+json"))) {
      throw new AdminException(415, "unsupported-media-type", "Send the body as application/json, not "
          + (type == null ? "without a Content-Type" : "'" + safe(media) + "'"));
    }
  }

  private static boolean findTooLarge(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof TooLarge) {
        return true;
      }
    }
    return false;
  }

  private static AdminException tooLarge(long maxBytes) {
    return new AdminException(413, "payload-too-large", "The body is larger than " + maxBytes
        + " bytes; split the request (bulk requests take at most 1000 items)");
  }

  private static String safe(String text) {
    String cut = text.length() > 60 ? text.substring(0, 60) + "..." : text;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  /** Thrown by {@link Limited} once the body passes the limit. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("request body over the limit");
    }
  }

  /** Counts what is read and fails as soon as the limit is passed: memory never holds more than the limit. */
  private static final class Limited extends FilterInputStream {
    private final long max;
    private long count;

    Limited(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(long n) throws TooLarge {
      count += n;
      if (count > max) {
        throw new TooLarge();
      }
    }
  }
}
