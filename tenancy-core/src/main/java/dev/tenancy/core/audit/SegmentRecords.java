package dev.tenancy.core.audit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * The records of a chain's segments in file order, lazily, one open file at a time. Lines are parsed with
 * {@link AuditRecordCodec#fromJson}; a line that is not a record fails the read with the file and line named, which
 * {@link AuditVerifier} reports as {@link AuditVerification.Problem#UNREADABLE}.
 */
final class SegmentRecords implements Iterator<AuditRecord>, AutoCloseable {

  /** A segment as it was when the read began: lines appended later are not read. */
  record Snapshot(Path path, long size) {
  }

  private final String chain;
  private final Iterator<Snapshot> segments;
  private final long fromSequence;
  private final long toSequence;
  private @Nullable LineReader lines;
  private @Nullable Path path;
  private @Nullable AuditRecord next;

  SegmentRecords(String chain, List<Snapshot> segments, long fromSequence, long toSequence) {
    this.chain = chain;
    this.segments = segments.iterator();
    this.fromSequence = fromSequence;
    this.toSequence = toSequence;
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      next = advance();
    }
    return next != null;
  }

  @Override
  public AuditRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    AuditRecord record = next;
    next = null;
    return record;
  }

  private @Nullable AuditRecord advance() {
    try {
      while (true) {
        if (lines == null) {
          if (!segments.hasNext()) {
            return null;
          }
          Snapshot segment = segments.next();
          path = segment.path();
          lines = new LineReader(new BufferedInputStream(Files.newInputStream(segment.path()), 64 * 1024),
              segment.size());
        }
        byte[] line = lines.next();
        if (line == null) {
          lines.close();
          lines = null;
          continue;
        }
        AuditRecord record = parse(line);
        if (record.sequence() >= fromSequence && record.sequence() <= toSequence) {
          return record;
        }
      }
    } catch (NoSuchFileException gone) {
      throw new AuditStorageException("segment " + gone.getFile() + " of audit chain " + chain
          + " was removed while being read (retention or erasure ran at the same time); read again", gone);
    } catch (IOException e) {
      throw new AuditStorageException("cannot read " + where() + " of audit chain " + chain + ": " + e.getMessage(),
          e);
    }
  }

  private AuditRecord parse(byte[] line) {
    try {
      return AuditRecordCodec.fromJson(LineReader.decode(line));
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new AuditStorageException(where() + " of audit chain " + chain + " is not UTF-8 text", e);
    } catch (AuditStorageException e) {
      throw new AuditStorageException(where() + " of audit chain " + chain + ": " + e.getMessage(), e);
    }
  }

  private String where() {
    return "line " + (lines == null ? 0 : lines.lineNumber()) + " of " + path;
  }

  @Override
  public void close() {
    if (lines != null) {
      try {
        lines.close();
      } catch (IOException ignored) {
        // A read-only file: nothing is lost if closing it fails.
      } finally {
        lines = null;
      }
    }
  }
}
