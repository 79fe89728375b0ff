package dev.tenancy.core.audit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tenancy.core.audit.ChainDirectory.Segment;
import dev.tenancy.core.spi.AuditSink;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link AuditSink} that keeps each chain as JSON lines in its own directory: one line per record, exactly the
 * text of {@link AuditRecordCodec#toJson(AuditRecord)}, in numbered segment files that rotate at a size.
 *
 * <pre>{@code
 * JsonLinesAuditSink sink = JsonLinesAuditSink.builder()
 *     .directory(Path.of("/var/lib/app/audit"))
 *     .maxSegmentBytes(64 * 1024 * 1024)
 *     .build();
 * }</pre>
 *
 * <p><b>Durability.</b> {@link #append} returns only after every file it wrote to has been forced to disk
 * ({@code fsync}), and every new file's directory entry too: once it returns, the records survive a crash of the
 * process and, on a disk that honours flushes, of the machine. Each chain's part of a batch is one write; a write cut
 * short by a crash leaves a line without its line break, which was never acknowledged and is cut off when the chain is
 * next opened.
 *
 * <p><b>Layout.</b> {@code <directory>/<chain>/<first sequence, 20 digits>.jsonl}. Chains are tenant ids in canonical
 * form or {@value AuditRecord#PLATFORM_CHAIN}; any other name is refused, so a chain name can never reach outside the
 * directory. Records are returned in file order, so that {@link AuditVerifier} sees lines that were moved, copied or
 * spliced in; a line that is not a record fails the read.
 *
 * <p><b>One writer.</b> The sink locks its directory: a second sink on it, in this process or another, is refused.
 * Several app instances need a directory each (or the JDBC sink). Close the sink to release the directory.
 *
 * @since 0.1.0
 */
public final class JsonLinesAuditSink implements AuditSink, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(JsonLinesAuditSink.class);
  private static final String LOCK_FILE = "tenancy-audit.lock";
  private static final int STRIPES = 64;

  private final Path directory;
  private final long maxSegmentBytes;
  private final boolean fsync;
  private final FileChannel directoryLock;
  /** Appends to one chain are serialised by its stripe, so concurrent writers never interleave or fork it. */
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
  /** The chains in use, each with its current segment held open; bounded, the least recently used are closed. */
  private final Cache<String, ChainSegmentState> open;
  private volatile boolean closed;

  private JsonLinesAuditSink(Builder builder) {
    this.directory = builder.directory.toAbsolutePath().normalize();
    this.maxSegmentBytes = builder.maxSegmentBytes;
    this.fsync = builder.fsync;
    try {
      Files.createDirectories(directory);
    } catch (IOException e) {
      throw new AuditStorageException("cannot create the audit directory " + directory + ": " + e.getMessage(), e);
    }
    this.directoryLock = DurableFiles.lockExclusively(directory.resolve(LOCK_FILE), "the audit directory "
        + directory);
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
    this.open = Caffeine.newBuilder()
        .maximumSize(builder.maxOpenFiles)
        .<String, ChainSegmentState>removalListener((chain, state, cause) -> {
          if (state != null) {
            release(state);
          }
        })
        .build();
  }

  /** @return a builder; only the directory is required */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the directory the chains are kept in */
  public Path directory() {
    return directory;
  }

  /**
   * Stores a batch durably; see the class description for what "durably" means here.
   *
   * @throws IllegalArgumentException if a record's chain is not a tenant id or {@value AuditRecord#PLATFORM_CHAIN}
   * @throws IllegalStateException if the sink is closed
   */
  @Override
  public void append(List<AuditRecord> records) {
    Objects.requireNonNull(records, "records");
    if (records.isEmpty()) {
      return;
    }
    Map<String, ChainBatch> batches = new LinkedHashMap<>();
    for (AuditRecord record : records) {
      batches.computeIfAbsent(ChainDirectory.requireChain(record.chain()), ChainBatch::new).records.add(record);
    }
    // Encoding is the costly part and needs no lock.
    batches.values().forEach(ChainBatch::encode);
    int[] held = lock(batches.keySet());
    try {
      ensureOpen();
      for (ChainBatch batch : batches.values()) {
        batch.state = state(batch.chain);
        long last = lastSequence(batch.state);
        for (AuditRecord record : batch.records) {
          if (record.sequence() <= last) {
            throw new AuditChainConflictException(batch.chain, record.sequence());
          }
          last = record.sequence();
        }
      }
      writeAndForce(batches.values());
    } finally {
      unlock(held);
    }
  }

  private void writeAndForce(Iterable<ChainBatch> batches) {
    List<ChainBatch> written = new ArrayList<>();
    try {
      for (ChainBatch batch : batches) {
        written.add(batch);
        write(batch);
      }
      if (fsync) {
        for (ChainBatch batch : written) {
          batch.target().force(false);
          if (batch.newSegment != null) {
            DurableFiles.forceDirectory(batch.state().directory);
          }
          if (batch.newDirectory) {
            DurableFiles.forceDirectory(directory);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      written.forEach(this::undo);
      throw new AuditStorageException("cannot write audit records to " + directory + ": " + e.getMessage()
          + "; nothing of the batch was stored. Check free space and permissions", e);
    }
    for (ChainBatch batch : written) {
      batch.commit();
    }
  }

  private void write(ChainBatch batch) throws IOException {
    ChainSegmentState state = batch.state();
    if (state.currentStart < 0 || state.currentSize >= maxSegmentBytes) {
      if (!Files.isDirectory(state.directory)) {
        Files.createDirectories(state.directory);
        batch.newDirectory = true;
      }
      Path path = state.directory.resolve(ChainDirectory.segmentName(batch.records.get(0).sequence()));
      batch.newSegment = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      batch.newSegmentPath = path;
      DurableFiles.writeFully(batch.newSegment, ByteBuffer.wrap(batch.bytes), 0);
    } else {
      FileChannel channel = channel(state);
      batch.appendedToCurrent = true;
      DurableFiles.writeFully(channel, ByteBuffer.wrap(batch.bytes), state.currentSize);
    }
  }

  /** Takes a failed batch's bytes back out, so that a failed append stores nothing. */
  private void undo(ChainBatch batch) {
    ChainSegmentState state = batch.state();
    try {
      if (batch.newSegment != null) {
        DurableFiles.closeQuietly(batch.newSegment);
        Files.deleteIfExists(Objects.requireNonNull(batch.newSegmentPath));
      } else if (batch.appendedToCurrent) {
        FileChannel channel = channel(state);
        channel.truncate(state.currentSize);
        if (fsync) {
          channel.force(false);
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("could not take a failed audit batch back out of chain {}; the chain is re-read from disk before "
          + "its next append", batch.chain, e);
      forget(state);
    }
  }

  /**
   * Reads a chain's records in file order.
   *
   * @throws IllegalArgumentException if the chain is not a tenant id or {@value AuditRecord#PLATFORM_CHAIN}
   */
  @Override
  public Stream<AuditRecord> read(String chain, long fromSequence, long toSequence) {
    ChainDirectory.requireChain(Objects.requireNonNull(chain, "chain"));
    List<SegmentRecords.Snapshot> snapshot = new ArrayList<>();
    int[] held = lock(Set.of(chain));
    try {
      ensureOpen();
      ChainSegmentState state = state(chain);
      if (state.currentStart < 0) {
        return Stream.empty();
      }
      List<Segment> segments = ChainDirectory.segments(state.directory);
      for (int i = 0; i < segments.size(); i++) {
        Segment segment = segments.get(i);
        if (i + 1 < segments.size() && segments.get(i + 1).start() <= fromSequence) {
          continue; // every record in it lies below the range
        }
        if (segment.start() > toSequence) {
          break;
        }
        long size = segment.start() == state.currentStart ? state.currentSize : Files.size(segment.path());
        snapshot.add(new SegmentRecords.Snapshot(segment.path(), size));
      }
    } catch (IOException e) {
      throw new AuditStorageException("cannot list the segments of audit chain " + chain + ": " + e.getMessage(), e);
    } finally {
      unlock(held);
    }
    SegmentRecords records = new SegmentRecords(chain, snapshot, fromSequence, toSequence);
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(records,
        Spliterator.ORDERED | Spliterator.NONNULL), false).onClose(records::close);
  }

  @Override
  public Optional<AuditRecord> last(String chain) {
    ChainDirectory.requireChain(Objects.requireNonNull(chain, "chain"));
    int[] held = lock(Set.of(chain));
    try {
      ensureOpen();
      ChainSegmentState state = state(chain);
      if (state.currentStart < 0) {
        return Optional.empty();
      }
      AuditRecord last = lastRecord(state);
      state.lastSequence = last.sequence();
      return Optional.of(last);
    } finally {
      unlock(held);
    }
  }

  @Override
  public Set<String> chains() {
    ensureOpen();
    Set<String> chains = new TreeSet<>();
    try (Stream<Path> entries = Files.list(directory)) {
      for (Path entry : (Iterable<Path>) entries::iterator) {
        String name = entry.getFileName().toString();
        if (ChainDirectory.isChain(name) && Files.isDirectory(entry) && holdsRecords(entry)) {
          chains.add(name);
        }
      }
    } catch (IOException e) {
      throw new AuditStorageException("cannot list the audit directory " + directory + ": " + e.getMessage(), e);
    }
    return chains;
  }

  private static boolean holdsRecords(Path chainDirectory) throws IOException {
    for (Segment segment : ChainDirectory.segments(chainDirectory)) {
      if (Files.size(segment.path()) > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * Removes whole segments below {@code beforeSequence}, and rewrites the segment that straddles it (atomically: a
   * new file moved over the old one), so a crash leaves either the old or the new segment.
   *
   * @throws AuditStorageException if the straddling segment holds a line that is not a record: verify the chain
   *     before applying retention to it
   */
  @Override
  public long deleteBefore(String chain, long beforeSequence) {
    ChainDirectory.requireChain(Objects.requireNonNull(chain, "chain"));
    int[] held = lock(Set.of(chain));
    try {
      ensureOpen();
      ChainSegmentState state = state(chain);
      if (state.currentStart < 0) {
        return 0;
      }
      List<Segment> segments = ChainDirectory.segments(state.directory);
      long removed = 0;
      for (int i = 0; i < segments.size() && segments.get(i).start() < beforeSequence; i++) {
        Segment segment = segments.get(i);
        if (i + 1 < segments.size() && segments.get(i + 1).start() <= beforeSequence) {
          removed += ChainDirectory.countLines(segment.path());
          Files.delete(segment.path());
        } else {
          removed += keepFrom(segment.path(), beforeSequence);
        }
      }
      if (removed > 0) {
        forget(state); // its current segment may have been replaced or removed
        if (fsync) {
          DurableFiles.forceDirectory(state.directory);
        }
      }
      return removed;
    } catch (IOException e) {
      throw new AuditStorageException("cannot apply retention to audit chain " + chain + ": " + e.getMessage(), e);
    } finally {
      unlock(held);
    }
  }

  /** Rewrites a segment with only its records from {@code fromSequence} on; returns how many it dropped. */
  private long keepFrom(Path segment, long fromSequence) throws IOException {
    List<byte[]> kept = new ArrayList<>();
    long dropped = 0;
    try (LineReader lines = new LineReader(new BufferedInputStream(Files.newInputStream(segment)),
        Files.size(segment))) {
      for (byte[] line = lines.next(); line != null; line = lines.next()) {
        if (parse(line, segment, lines.lineNumber()).sequence() < fromSequence) {
          dropped++;
        } else {
          byte[] terminated = Arrays.copyOf(line, line.length + 1);
          terminated[line.length] = '\n';
          kept.add(terminated);
        }
      }
    }
    if (dropped > 0) {
      if (kept.isEmpty()) {
        Files.delete(segment);
      } else {
        DurableFiles.replace(segment, kept, fsync);
      }
    }
    return dropped;
  }

  @Override
  public long erase(String chain) {
    ChainDirectory.requireChain(Objects.requireNonNull(chain, "chain"));
    int[] held = lock(Set.of(chain));
    try {
      ensureOpen();
      ChainSegmentState state = state(chain); // cuts a torn tail first, so it is not counted as a record
      forget(state);
      if (!Files.isDirectory(state.directory)) {
        return 0;
      }
      long removed = 0;
      for (Segment segment : ChainDirectory.segments(state.directory)) {
        removed += ChainDirectory.countLines(segment.path());
      }
      try (Stream<Path> files = Files.list(state.directory)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.delete(file);
        }
      }
      Files.delete(state.directory);
      if (fsync) {
        DurableFiles.forceDirectory(directory);
      }
      return removed;
    } catch (IOException e) {
      throw new AuditStorageException("cannot erase audit chain " + chain + " in " + directory + ": "
          + e.getMessage(), e);
    } finally {
      unlock(held);
    }
  }

  /** Closes every open file and releases the directory; idempotent. */
  @Override
  public void close() {
    synchronized (directoryLock) {
      if (closed) {
        return;
      }
      closed = true;
      int[] all = new int[STRIPES];
      Arrays.setAll(all, i -> i);
      lockAll(all);
      try {
        open.asMap().values().forEach(ChainSegmentState::closeChannel);
        open.invalidateAll();
      } finally {
        unlock(all);
        DurableFiles.closeQuietly(directoryLock);
      }
    }
  }

  @Override
  public String toString() {
    return "JsonLinesAuditSink[" + directory + "]";
  }

  // ---- chain state; every method below runs with the chain's stripe held ----

  private ChainSegmentState state(String chain) {
    ChainSegmentState state = open.getIfPresent(chain);
    if (state == null) {
      state = load(chain);
      open.put(chain, state);
    }
    return state;
  }

  /** Opens a chain: cuts a torn last line off, drops empty trailing segments, and holds the last segment open. */
  private ChainSegmentState load(String chain) {
    ChainSegmentState state = new ChainSegmentState(chain, directory.resolve(chain));
    try {
      ChainDirectory.removeLeftovers(state.directory);
      List<Segment> segments = ChainDirectory.segments(state.directory);
      for (int i = segments.size() - 1; i >= 0 && state.currentStart < 0; i--) {
        Segment segment = segments.get(i);
        FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.READ, StandardOpenOption.WRITE);
        long cut = DurableFiles.cutTornTail(channel, fsync);
        if (cut > 0) {
          LOG.warn("audit chain {}: cut {} bytes of an unfinished line off {}; it was being written when the process "
              + "stopped and was never acknowledged", chain, cut, segment.path());
        }
        long size = channel.size();
        if (size == 0) {
          DurableFiles.closeQuietly(channel);
          Files.delete(segment.path());
          if (fsync) {
            DurableFiles.forceDirectory(state.directory);
          }
        } else {
          state.channel = channel;
          state.currentStart = segment.start();
          state.currentSize = size;
        }
      }
    } catch (IOException e) {
      state.closeChannel();
      throw new AuditStorageException("cannot open audit chain " + chain + " in " + state.directory + ": "
          + e.getMessage(), e);
    }
    if (state.currentStart < 0) {
      state.lastSequence = 0;
    }
    return state;
  }

  private long lastSequence(ChainSegmentState state) {
    if (state.lastSequence < 0) {
      state.lastSequence = lastRecord(state).sequence();
    }
    return state.lastSequence;
  }

  private AuditRecord lastRecord(ChainSegmentState state) {
    Path path = state.directory.resolve(ChainDirectory.segmentName(state.currentStart));
    try {
      byte[] line = DurableFiles.lastLine(channel(state), state.currentSize, LineReader.MAX_LINE_BYTES);
      return parse(line, path, -1);
    } catch (IOException | AuditStorageException e) {
      throw new AuditStorageException("the last record of audit chain " + state.chain + " in " + path
          + " cannot be read, so the chain cannot be continued safely (" + e.getMessage() + "); verify the chain "
          + "and restore the file from a copy", e);
    }
  }

  private FileChannel channel(ChainSegmentState state) throws IOException {
    if (state.channel == null) {
      state.channel = FileChannel.open(state.directory.resolve(ChainDirectory.segmentName(state.currentStart)),
          StandardOpenOption.READ, StandardOpenOption.WRITE);
    }
    return state.channel;
  }

  /** Drops a chain's state, so that its next use reads it from disk again. */
  private void forget(ChainSegmentState state) {
    state.closeChannel();
    open.invalidate(state.chain);
  }

  /** Closes an evicted chain's file once no append is using it. */
  private void release(ChainSegmentState state) {
    ReentrantLock stripe = stripes[stripe(state.chain)];
    stripe.lock();
    try {
      state.closeChannel();
    } finally {
      stripe.unlock();
    }
  }

  private static AuditRecord parse(byte[] line, Path file, long lineNumber) {
    String where = (lineNumber < 0 ? "the last line" : "line " + lineNumber) + " of " + file;
    try {
      return AuditRecordCodec.fromJson(LineReader.decode(line));
    } catch (CharacterCodingException e) {
      throw new AuditStorageException(where + " is not UTF-8 text", e);
    } catch (AuditStorageException e) {
      throw new AuditStorageException(where + ": " + e.getMessage(), e);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException(this + " is closed");
    }
  }

  private static int stripe(String chain) {
    return Math.floorMod(chain.hashCode(), STRIPES);
  }

  /** Locks the stripes of several chains in ascending order, so that two multi-chain batches cannot deadlock. */
  private int[] lock(Set<String> chains) {
    int[] held = chains.stream().mapToInt(JsonLinesAuditSink::stripe).distinct().sorted().toArray();
    lockAll(held);
    return held;
  }

  private void lockAll(int[] indexes) {
    for (int index : indexes) {
      stripes[index].lock();
    }
  }

  private void unlock(int[] held) {
    for (int i = held.length - 1; i >= 0; i--) {
      stripes[held[i]].unlock();
    }
  }

  /** Configures a {@link JsonLinesAuditSink}. */
  public static final class Builder {
    private @Nullable Path directory;
    private long maxSegmentBytes = 64L * 1024 * 1024;
    private int maxOpenFiles = 256;
    private boolean fsync = true;

    private Builder() {
    }

    /**
     * @param directory where the chains are kept, created if absent; one sink per directory
     * @return this builder
     */
    public Builder directory(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * @param maxSegmentBytes the size after which a chain continues in a new segment file (64 MiB by default);
     *     retention removes whole segments and rewrites only the one it cuts through
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxSegmentBytes(long maxSegmentBytes) {
      if (maxSegmentBytes < 1) {
        throw new IllegalArgumentException("maxSegmentBytes must be positive, was " + maxSegmentBytes);
      }
      this.maxSegmentBytes = maxSegmentBytes;
      return this;
    }

    /**
     * @param maxOpenFiles how many chains keep their current segment open between appends (256 by default); the
     *     least recently used beyond it are closed and reopened when next written
     * @return this builder
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxOpenFiles(int maxOpenFiles) {
      if (maxOpenFiles < 1) {
        throw new IllegalArgumentException("maxOpenFiles must be positive, was " + maxOpenFiles);
      }
      this.maxOpenFiles = maxOpenFiles;
      return this;
    }

    /**
     * Whether {@link JsonLinesAuditSink#append} forces what it wrote to disk before returning ({@code true} by
     * default). Only turn it off for tests and benchmarks: without it an acknowledged record can be lost in a crash
     * of the machine.
     *
     * @param fsync whether to force writes to disk
     * @return this builder
     */
    public Builder fsync(boolean fsync) {
      this.fsync = fsync;
      return this;
    }

    /**
     * Opens the sink and locks its directory.
     *
     * @return the sink
     * @throws IllegalStateException if no directory was set
     * @throws AuditStorageException if the directory cannot be created, or another sink holds it
     */
    public JsonLinesAuditSink build() {
      if (directory == null) {
        throw new IllegalStateException("set the directory the audit chains are kept in");
      }
      return new JsonLinesAuditSink(this);
    }
  }
}
