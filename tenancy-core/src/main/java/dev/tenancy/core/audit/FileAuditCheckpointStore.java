package dev.tenancy.core.audit;

import dev.tenancy.core.spi.AuditCheckpointStore;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AuditCheckpointStore} in one append-only JSON-lines file, one checkpoint per line, forced to disk on every
 * save. Put the file where the event store's writers cannot reach it — another volume, a mount of an object store with
 * retention lock, another machine's share — since a checkpoint rolled back together with the events proves nothing.
 * Checkpoints are stored as given: signed when the {@code AuditLog} has an {@link AuditKey}, and then checked by
 * {@link AuditVerifier}.
 *
 * <pre>{@code
 * FileAuditCheckpointStore checkpoints = FileAuditCheckpointStore.builder()
 *     .file(Path.of("/mnt/audit-anchors/checkpoints.jsonl"))
 *     .build();
 * }</pre>
 *
 * <p>The whole file is read when the store opens (a line that is not a checkpoint fails the opening: the file was
 * damaged or edited); a last line without its line break was being written when a process stopped, was never
 * acknowledged, and is cut off. One store per file: it is locked through {@code <file>.lock}. Erasing a chain rewrites
 * the file without its lines, atomically.
 *
 * @since 0.1.0
 */
public final class FileAuditCheckpointStore implements AuditCheckpointStore, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FileAuditCheckpointStore.class);

  private final Path file;
  private final boolean fsync;
  private final FileChannel lock;
  private final Map<String, TreeMap<Long, AuditCheckpoint>> checkpoints = new HashMap<>();
  private @Nullable FileChannel channel;
  private long size;

  private FileAuditCheckpointStore(Builder builder) {
    this.file = Objects.requireNonNull(builder.file).toAbsolutePath().normalize();
    this.fsync = builder.fsync;
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new AuditStorageException("cannot create the directory of the audit checkpoint file " + file + ": "
          + e.getMessage(), e);
    }
    this.lock = DurableFiles.lockExclusively(file.resolveSibling(file.getFileName() + ".lock"),
        "the audit checkpoint file " + file);
    try {
      boolean created = !Files.exists(file);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      if (created && fsync) {
        DurableFiles.forceDirectory(file.getParent());
      }
      long cut = DurableFiles.cutTornTail(channel, fsync);
      if (cut > 0) {
        LOG.warn("cut {} bytes of an unfinished checkpoint off {}; it was being written when the process stopped",
            cut, file);
      }
      size = channel.size();
      for (String line : lines()) {
        AuditCheckpoint checkpoint = AuditCheckpointCodec.fromJson(line);
        checkpoints.computeIfAbsent(checkpoint.chain(), chain -> new TreeMap<>())
            .put(checkpoint.sequence(), checkpoint);
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw new AuditStorageException("cannot open the audit checkpoint file " + file + ": " + e.getMessage()
          + (e instanceof AuditStorageException ? "; the file was damaged or edited: restore it from a copy" : ""), e);
    }
  }

  /** @return a builder; only the file is required */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the file the checkpoints are kept in */
  public Path file() {
    return file;
  }

  /**
   * Appends the checkpoint to the file and forces it to disk before returning. A checkpoint at a sequence the chain
   * already has one for replaces it.
   *
   * @throws IllegalStateException if the store is closed
   */
  @Override
  public synchronized void save(AuditCheckpoint checkpoint) {
    Objects.requireNonNull(checkpoint, "checkpoint");
    FileChannel out = openChannel();
    byte[] line = (AuditCheckpointCodec.toJson(checkpoint) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      DurableFiles.writeFully(out, ByteBuffer.wrap(line), size);
      if (fsync) {
        out.force(false);
      }
    } catch (IOException e) {
      try {
        out.truncate(size);
      } catch (IOException ignored) {
        // A torn line is cut off when the file is next opened.
      }
      throw new AuditStorageException("cannot write an audit checkpoint to " + file + ": " + e.getMessage()
          + "; check free space and permissions", e);
    }
    size += line.length;
    checkpoints.computeIfAbsent(checkpoint.chain(), chain -> new TreeMap<>()).put(checkpoint.sequence(), checkpoint);
  }

  @Override
  public synchronized List<AuditCheckpoint> checkpoints(String chain) {
    Objects.requireNonNull(chain, "chain");
    TreeMap<Long, AuditCheckpoint> chainCheckpoints = checkpoints.get(chain);
    return chainCheckpoints == null ? List.of() : List.copyOf(chainCheckpoints.values());
  }

  /** Rewrites the file without the chain's checkpoints: a temporary file moved over it, so a crash loses nothing. */
  @Override
  public synchronized void erase(String chain) {
    Objects.requireNonNull(chain, "chain");
    openChannel();
    if (!checkpoints.containsKey(chain)) {
      return;
    }
    try {
      List<byte[]> kept = new ArrayList<>();
      for (String line : lines()) {
        if (!AuditCheckpointCodec.fromJson(line).chain().equals(chain)) {
          kept.add((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      DurableFiles.replace(file, kept, fsync);
      DurableFiles.closeQuietly(Objects.requireNonNull(channel));
      channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
      size = channel.size();
    } catch (IOException e) {
      throw new AuditStorageException("cannot erase the checkpoints of audit chain " + chain + " from " + file + ": "
          + e.getMessage(), e);
    }
    checkpoints.remove(chain);
  }

  /** Closes the file and releases its lock; idempotent. */
  @Override
  public synchronized void close() {
    if (channel != null) {
      DurableFiles.closeQuietly(channel);
      channel = null;
    }
    DurableFiles.closeQuietly(lock);
  }

  @Override
  public String toString() {
    return "FileAuditCheckpointStore[" + file + "]";
  }

  private FileChannel openChannel() {
    if (channel == null) {
      throw new IllegalStateException(this + " is closed");
    }
    return channel;
  }

  private List<String> lines() throws IOException {
    List<String> lines = new ArrayList<>();
    try (LineReader reader = new LineReader(new BufferedInputStream(Files.newInputStream(file)), size)) {
      for (byte[] line = reader.next(); line != null; line = reader.next()) {
        try {
          lines.add(LineReader.decode(line));
        } catch (IOException e) {
          throw new AuditStorageException("line " + reader.lineNumber() + " of " + file + " is not UTF-8 text", e);
        }
      }
    }
    return lines;
  }

  /** Configures a {@link FileAuditCheckpointStore}. */
  public static final class Builder {
    private @Nullable Path file;
    private boolean fsync = true;

    private Builder() {
    }

    /**
     * @param file the checkpoint file, created if absent; keep it outside the event store
     * @return this builder
     */
    public Builder file(Path file) {
      this.file = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Whether every save is forced to disk before it returns ({@code true} by default); only turn it off in tests.
     *
     * @param fsync whether to force writes to disk
     * @return this builder
     */
    public Builder fsync(boolean fsync) {
      this.fsync = fsync;
      return this;
    }

    /**
     * Opens the store: locks the file and reads it.
     *
     * @return the store
     * @throws IllegalStateException if no file was set
     * @throws AuditStorageException if the file cannot be read, holds a line that is not a checkpoint, or another
     *     store holds it
     */
    public FileAuditCheckpointStore build() {
      if (file == null) {
        throw new IllegalStateException("set the file the audit checkpoints are kept in");
      }
      return new FileAuditCheckpointStore(this);
    }
  }
}
