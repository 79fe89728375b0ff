package dev.tenancy.core.audit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One chain's directory in a {@link JsonLinesAuditSink}: numbered segment files {@code <first sequence>.jsonl}
 * (20 digits), each holding the records from its number up to the next segment's. The name is fixed when the segment
 * is created and never changes, so listing the directory gives the segments in chain order.
 */
final class ChainDirectory {

  private static final Pattern CHAIN = Pattern.compile(
      "platform|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern SEGMENT = Pattern.compile("[0-9]{20}\\.jsonl");
  private static final String SUFFIX = ".jsonl";

  private ChainDirectory() {
  }

  /** A segment file and the sequence it starts at. */
  record Segment(Path path, long start) {
  }

  /**
   * Only these names become directories: a chain name is a path component, and "..", "/" or a drive letter in it
   * would write outside the sink's directory.
   *
   * @throws IllegalArgumentException if the chain is neither a canonical tenant id nor {@value AuditRecord#PLATFORM_CHAIN}
   */
  static String requireChain(String chain) {
    if (!isChain(chain)) {
      throw new IllegalArgumentException("an audit chain is a tenant id in canonical (lower-case) UUID form or '"
          + AuditRecord.PLATFORM_CHAIN + "'; refusing '" + chain + "' as a directory name");
    }
    return chain;
  }

  static boolean isChain(String name) {
    return CHAIN.matcher(name).matches();
  }

  static String segmentName(long start) {
    String digits = Long.toString(start);
    return "0".repeat(20 - digits.length()) + digits + SUFFIX;
  }

  /** @return the directory's segments in chain order; empty if the directory does not exist */
  static List<Segment> segments(Path directory) throws IOException {
    List<Segment> segments = new ArrayList<>();
    try (Stream<Path> files = Files.list(directory)) {
      files.forEach(file -> {
        String name = file.getFileName().toString();
        if (SEGMENT.matcher(name).matches()) {
          segments.add(new Segment(file, Long.parseLong(name.substring(0, name.length() - SUFFIX.length()))));
        }
      });
    } catch (NoSuchFileException absent) {
      return List.of();
    }
    segments.sort(Comparator.comparingLong(Segment::start));
    return segments;
  }

  /** Removes temporary files a crash left behind mid-rewrite; the file they were to replace is still intact. */
  static void removeLeftovers(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (file.getFileName().toString().endsWith(".tmp")) {
          Files.deleteIfExists(file);
        }
      }
    } catch (NoSuchFileException absent) {
      // Nothing to clean.
    }
  }

  /** @return how many complete or trailing lines a file holds: what removing it removes */
  static long countLines(Path file) throws IOException {
    long size = Files.size(file);
    long lines = 0;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      byte last = '\n';
      for (int read = in.read(buffer); read > 0; read = in.read(buffer)) {
        for (int i = 0; i < read; i++) {
          if (buffer[i] == '\n') {
            lines++;
          }
        }
        last = buffer[read - 1];
      }
      return size > 0 && last != '\n' ? lines + 1 : lines;
    }
  }
}
