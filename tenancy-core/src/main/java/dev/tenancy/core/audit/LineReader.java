package dev.tenancy.core.audit;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Splits a JSON-lines file into lines at {@code '\n'} bytes only, up to a known length. Unlike
 * {@link java.io.BufferedReader#readLine()} it never splits at a {@code '\r'} and never repairs bad UTF-8, so what a
 * verifier sees is exactly what is stored.
 */
final class LineReader implements Closeable {

  /** Larger than any record can be (64 details of 2 × 4096 characters, each escaped to at most 6 bytes). */
  static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

  private final InputStream in;
  private final byte[] buffer = new byte[64 * 1024];
  private long remaining;
  private int position;
  private int limit;
  private long lineNumber;

  /**
   * @param in the file's content, positioned at its start
   * @param length how many bytes to read: the file's size when the read began, so that nothing written later shows
   */
  LineReader(InputStream in, long length) {
    this.in = in;
    this.remaining = length;
  }

  /** @return the next line without its line break, or {@code null} at the end; a last line without a break counts */
  byte @Nullable [] next() throws IOException {
    byte[] line = null;
    int length = 0;
    while (true) {
      if (position == limit && !fill()) {
        if (line == null) {
          return null;
        }
        lineNumber++;
        return Arrays.copyOf(line, length);
      }
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      int count = position - start;
      if (length + count > MAX_LINE_BYTES) {
        throw new IOException("line " + (lineNumber + 1) + " is longer than " + MAX_LINE_BYTES
            + " bytes: not an audit record");
      }
      if (line == null) {
        line = new byte[Math.max(256, count)];
      } else if (line.length < length + count) {
        line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
      }
      System.arraycopy(buffer, start, line, length, count);
      length += count;
      if (position < limit) {
        position++; // the line break
        lineNumber++;
        return Arrays.copyOf(line, length);
      }
    }
  }

  /** @return the number of the line {@link #next()} returned last, from 1 */
  long lineNumber() {
    return lineNumber;
  }

  private boolean fill() throws IOException {
    if (remaining == 0) {
      return false;
    }
    int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
    if (read < 0) {
      throw new IOException("the file is shorter than when the read began: it was changed while being read");
    }
    remaining -= read;
    position = 0;
    limit = read;
    return true;
  }

  /**
   * Decodes a line strictly: a byte sequence that is not UTF-8 is an error, never a replacement character.
   *
   * @throws CharacterCodingException if the bytes are not UTF-8
   */
  static String decode(byte[] line) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(line))
        .toString();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
