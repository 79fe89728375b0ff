package dev.tenancy.servlet;

import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/** Trace ids: the trace-id of a valid W3C {@code traceparent}, else 32 random hex digits. */
final class TraceIds {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TraceIds() {
  }

  static String of(@Nullable String traceparent) {
    // version "00" - 32 hex trace-id - 16 hex parent-id - 2 hex flags
    if (traceparent != null && traceparent.length() == 55 && traceparent.charAt(2) == '-'
        && traceparent.charAt(35) == '-' && traceparent.charAt(52) == '-') {
      String id = traceparent.substring(3, 35);
      if (isLowerHex(id) && !id.equals("00000000000000000000000000000000")) {
        return id;
      }
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] out = new char[32];
    write(random.nextLong(), out, 0);
    write(random.nextLong(), out, 16);
    return new String(out);
  }

  private static void write(long value, char[] out, int at) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  private static boolean isLowerHex(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }
}
