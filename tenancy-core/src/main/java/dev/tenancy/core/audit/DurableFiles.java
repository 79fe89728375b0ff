package dev.tenancy.core.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The few file operations the audit file stores need to be crash-safe: writes that finish, directory entries that
 * survive a crash, atomic replacement, a tail cut back to the last complete line, and one process per location.
 */
final class DurableFiles {

  private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase().startsWith("win");
  private static final int CHUNK = 8 * 1024;

  private DurableFiles() {
  }

  /** Writes all of {@code bytes} at {@code position}: a file channel may write fewer bytes than asked per call. */
  static void writeFully(FileChannel channel, ByteBuffer bytes, long position) throws IOException {
    long at = position;
    while (bytes.hasRemaining()) {
      at += channel.write(bytes, at);
    }
  }

  /**
   * Makes a directory's entries (files created, renamed or deleted in it) durable. A file's own fsync does not cover
   * its name: after a crash a freshly created, fsynced segment could otherwise be gone.
   */
  static void forceDirectory(Path directory) throws IOException {
    if (WINDOWS) {
      return; // Windows cannot open a directory as a channel; NTFS journals the entry with the file.
    }
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  /**
   * Replaces {@code target} with {@code lines} in one atomic step: written to a temporary file beside it, forced, and
   * moved over it, so a crash leaves either the old or the new content, never half of each.
   */
  static void replace(Path target, List<byte[]> lines, boolean fsync) throws IOException {
    Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      long position = 0;
      for (byte[] line : lines) {
        writeFully(out, ByteBuffer.wrap(line), position);
        position += line.length;
      }
      if (fsync) {
        out.force(false);
      }
    }
    Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (fsync) {
      forceDirectory(target.getParent());
    }
  }

  /**
   * Cuts a file back to its last line break: a line without one was being written when the process died, and its
   * write was never acknowledged.
   *
   * @return how many bytes were cut off
   */
  static long cutTornTail(FileChannel channel, boolean fsync) throws IOException {
    long size = channel.size();
    long complete = endOfLastLine(channel, size);
    if (complete < size) {
      channel.truncate(complete);
      if (fsync) {
        channel.force(false);
      }
    }
    return size - complete;
  }

  /** @return the position just after the last line break before {@code size}, or 0 if there is none */
  static long endOfLastLine(FileChannel channel, long size) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
    long end = size;
    while (end > 0) {
      long start = Math.max(0, end - CHUNK);
      chunk.clear().limit((int) (end - start));
      readFully(channel, chunk, start);
      for (int i = chunk.limit() - 1; i >= 0; i--) {
        if (chunk.get(i) == '\n') {
          return start + i + 1;
        }
      }
      end = start;
    }
    return 0;
  }

  /**
   * Reads the last complete line of a file that ends with a line break.
   *
   * @param size the file's size; the byte at {@code size - 1} is a line break
   * @return the line's bytes, without the line break
   */
  static byte[] lastLine(FileChannel channel, long size, int maxLineBytes) throws IOException {
    long start = endOfLastLine(channel, size - 1);
    long length = size - 1 - start;
    if (length > maxLineBytes) {
      throw new IOException("the last line is " + length + " bytes long, more than any audit record");
    }
    ByteBuffer line = ByteBuffer.allocate((int) length);
    readFully(channel, line, start);
    return line.array();
  }

  private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
    long at = position;
    while (into.hasRemaining()) {
      int read = channel.read(into, at);
      if (read < 0) {
        throw new IOException("the file ended early: it was changed while being read");
      }
      at += read;
    }
  }

  /**
   * Takes the exclusive lock that keeps a second writer (another process, or another instance in this one) off a
   * location: two writers would each continue the chains from their own idea of the head and fork them.
   *
   * @param lockFile the file to lock, created if absent
   * @param what what is being protected, for the message
   * @return the open channel holding the lock; closing it releases the lock
   * @throws AuditStorageException if someone else holds it
   */
  static FileChannel lockExclusively(Path lockFile, String what) {
    FileChannel channel;
    try {
      channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new AuditStorageException("cannot open the lock file " + lockFile + " of " + what + ": " + e.getMessage()
          + "; check that the location exists and is writable", e);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new AuditStorageException("cannot lock " + lockFile + " of " + what + ": " + e.getMessage(), e);
    }
    if (lock == null) {
      closeQuietly(channel);
      throw new AuditStorageException(what + " is already in use by another process or another instance in this "
          + "one (" + lockFile + " is locked): give each writer its own location, or close the other first");
    }
    return channel;
  }

  static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Closing after a failure: the original failure is what the caller reports.
    }
  }
}
