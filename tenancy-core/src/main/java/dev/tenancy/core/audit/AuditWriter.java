package dev.tenancy.core.audit;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.spi.AuditCheckpointStore;
import dev.tenancy.core.spi.AuditSink;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread behind an {@link AuditLog}: takes batches off the queue, seals each chain's events after the chain's
 * head, appends them, and keeps trying until the sink takes them. Only this thread touches the heads, so sealing needs
 * no lock; other instances writing the same chains are caught by the sink's conflict check.
 */
final class AuditWriter implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(2);
  /** How often the writer looks again while closing and a caller is still between its checks and its put. */
  private static final long CLOSING_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** How long an idle writer parks at first; it doubles while the queue stays empty, up to the maximum. */
  private static final long MIN_IDLE_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
  private static final long MAX_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /** Conflicts in a row after which the writer backs off: a sink that always conflicts must not spin a core. */
  private static final int CONFLICTS_BEFORE_BACKOFF = 8;

  /** An event whose caller waits for it to be stored. */
  record Pending(AuditEvent event, @Nullable CompletableFuture<AuditRecord> stored) {
  }

  /** Completes once everything queued before it is stored. */
  record Flush(CompletableFuture<Void> done) {
  }

  /** Removes a tenant's chain once everything queued before it is stored. */
  record Erase(TenantId tenant, CompletableFuture<Long> removed) {
  }

  /** A chain's last record as far as this writer knows: where the next record links. */
  private record Head(long sequence, String hash) {
    static final Head START = new Head(0, AuditRecord.GENESIS);

    static Head of(AuditRecord record) {
      return new Head(record.sequence(), record.hash());
    }
  }

  final BlockingQueue<Object> queue;
  final AtomicInteger producers = new AtomicInteger();
  volatile boolean closed;
  /** Set if the writer died of an unexpected error (a bug, an Error): the log then refuses events. */
  volatile boolean failed;
  private final CountDownLatch terminated = new CountDownLatch(1);
  /** What the writer thread itself recorded (from a listener or a future's callback): it must never wait for room. */
  final ArrayDeque<Object> own = new ArrayDeque<>();

  private final AuditSink sink;
  private final @Nullable AuditKey key;
  private final @Nullable AuditCheckpointStore checkpoints;
  private final Clock clock;
  private final int batchSize;
  private final long lingerNanos;
  private final long checkpointNanos;
  private final @Nullable Consumer<? super AuditStorageException> failureListener;

  private long idleNanos = MIN_IDLE_NANOS;
  private final Map<String, Head> heads = new HashMap<>();
  /** Chains appended to since their last checkpoint. */
  private final Set<String> touched = new LinkedHashSet<>();

  AuditWriter(AuditSink sink, @Nullable AuditKey key, @Nullable AuditCheckpointStore checkpoints, Clock clock,
      int queueCapacity, int batchSize, long lingerNanos, long checkpointNanos,
      @Nullable Consumer<? super AuditStorageException> failureListener) {
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.sink = sink;
    this.key = key;
    this.checkpoints = checkpoints;
    this.clock = clock;
    this.batchSize = batchSize;
    this.lingerNanos = lingerNanos;
    this.checkpointNanos = checkpointNanos;
    this.failureListener = failureListener;
  }

  @Override
  public void run() {
    try {
      List<Object> batch = new ArrayList<>(batchSize);
      long nextCheckpoint = System.nanoTime() + checkpointNanos;
      while (true) {
        take(batch, nextCheckpoint);
        if (!batch.isEmpty()) {
          process(batch);
          batch.clear();
        }
        if (System.nanoTime() - nextCheckpoint >= 0) {
          checkpoint();
          nextCheckpoint = System.nanoTime() + checkpointNanos;
        }
        // A caller increments producers before its second look at closed, so once closed is set either we see it
        // counted here or it sees closed and gives up: nothing can slip into the queue after this check passes.
        if (closed && producers.get() == 0 && queue.isEmpty() && own.isEmpty()) {
          break;
        }
      }
      checkpoint();
    } catch (RuntimeException | Error e) {
      // Refuse further events rather than let callers wait for a writer that is gone.
      failed = true;
      closed = true;
      LOG.error("The audit writer stopped unexpectedly; the audit log refuses further events", e);
      failWaiting(e);
      throw e;
    } finally {
      terminated.countDown();
    }
  }

  /** After a fatal error: whoever waits for a durable record, a flush or an erasure is told instead of waiting on. */
  private void failWaiting(Throwable cause) {
    AuditStorageException failure = new AuditStorageException("the audit writer stopped after an unexpected error: "
        + cause, cause);
    List<Object> left = new ArrayList<>(own);
    queue.drainTo(left);
    for (Object item : left) {
      if (item instanceof Pending pending && pending.stored() != null) {
        pending.stored().completeExceptionally(failure);
      } else if (item instanceof Flush flush) {
        flush.done().completeExceptionally(failure);
      } else if (item instanceof Erase erase) {
        erase.removed().completeExceptionally(failure);
      }
    }
  }

  /** Waits until the writer has stored everything and stopped; returns early, flag set, if interrupted. */
  void awaitTermination() {
    try {
      terminated.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Fills the batch: what the writer recorded itself, then the queue, lingering for more if so configured.
   *
   * <p>An idle writer parks for a while rather than wait on the queue: a writer waiting on the queue would have to be
   * woken by every {@code record()}, a system call that costs the caller several microseconds. Whoever waits for the
   * writer (a durable record, a flush, an erasure, close) wakes it explicitly.
   */
  private void take(List<Object> batch, long nextCheckpoint) {
    while (!own.isEmpty() && batch.size() < batchSize) {
      batch.add(own.poll());
    }
    if (batch.isEmpty()) {
      Object first = queue.poll();
      if (first == null) {
        park(Math.min(closed ? CLOSING_PARK_NANOS : idleNanos, Math.max(0, nextCheckpoint - System.nanoTime())));
        first = queue.poll();
        if (first == null) {
          // Idle: back off so that a quiet log wakes only a few hundred times a second.
          idleNanos = Math.min(idleNanos * 2, MAX_IDLE_NANOS);
          return;
        }
      }
      idleNanos = MIN_IDLE_NANOS;
      batch.add(first);
    }
    queue.drainTo(batch, batchSize - batch.size());
    if (lingerNanos <= 0 || closed || batch.size() >= batchSize || containsUrgent(batch, 0)) {
      return;
    }
    long deadline = System.nanoTime() + lingerNanos;
    for (long left = lingerNanos; left > 0 && batch.size() < batchSize; left = deadline - System.nanoTime()) {
      park(Math.min(left, MIN_IDLE_NANOS));
      int from = batch.size();
      queue.drainTo(batch, batchSize - from);
      if (closed || containsUrgent(batch, from)) {
        return;
      }
    }
  }

  /** Someone waits for these: a durable record, a flush, an erasure. Lingering would only delay them. */
  private static boolean containsUrgent(List<Object> batch, int from) {
    for (int i = from; i < batch.size(); i++) {
      if (!(batch.get(i) instanceof AuditEvent)) {
        return true;
      }
    }
    return false;
  }

  private void park(long nanos) {
    if (nanos > 0) {
      LockSupport.parkNanos(this, nanos);
      // Nobody but the JVM interrupts this private thread, and stopping would strand events: carry on, but clear the
      // flag, or every later park would return at once.
      Thread.interrupted();
    }
  }

  private void process(List<Object> batch) {
    List<Pending> events = new ArrayList<>(batch.size());
    List<CompletableFuture<Void>> flushes = new ArrayList<>(0);
    for (Object item : batch) {
      if (item instanceof AuditEvent event) {
        events.add(new Pending(event, null));
      } else if (item instanceof Pending pending) {
        events.add(pending);
      } else if (item instanceof Flush flush) {
        flushes.add(flush.done());
      } else if (item instanceof Erase erase) {
        store(events);
        events.clear();
        events.add(erase(erase));
      }
    }
    store(events);
    flushes.forEach(done -> done.complete(null));
  }

  /**
   * Stores the events, retrying until the sink takes them: nothing recorded is ever given up. The batch goes to the
   * sink in one append; if another instance has moved one of its chains on, the batch is stored chain by chain
   * instead, so that one contended chain costs a re-read of itself rather than holding back every other chain.
   */
  private void store(List<Pending> events) {
    List<Pending> pending = new ArrayList<>(events);
    long backoff = MIN_BACKOFF_NANOS;
    while (true) {
      try {
        List<AuditRecord> records = seal(pending);
        if (!records.isEmpty()) {
          sink.append(records);
          commit(pending, records);
        }
        return;
      } catch (AuditChainConflictException e) {
        LOG.debug("Audit chain {} moved on under another writer at {}; storing this batch chain by chain", e.chain(),
            e.sequence());
        storeChainByChain(pending, e);
        return;
      } catch (RuntimeException e) {
        // Keep the heads: if the failed append did store the batch after all, the retry conflicts and reconcile()
        // finds the events already there instead of storing them twice.
        tell(e, "storing " + pending.size() + " audit events failed; they are kept and retried in "
            + TimeUnit.NANOSECONDS.toMillis(backoff) + " ms");
        pause(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
      }
    }
  }

  /**
   * After a conflict on a whole batch: each chain is sealed after its own head and appended on its own. Only the chain
   * that conflicted is re-read at once; any other chain that moved on conflicts on its own append and is re-read then.
   */
  private void storeChainByChain(List<Pending> pending, AuditChainConflictException conflict) {
    Map<String, List<Pending>> byChain = new LinkedHashMap<>();
    for (Pending event : pending) {
      byChain.computeIfAbsent(event.event().chain(), chain -> new ArrayList<>()).add(event);
    }
    // A sink that names a chain outside the batch is answered by re-reading every chain, as reconcile() does.
    boolean named = byChain.containsKey(conflict.chain());
    for (Map.Entry<String, List<Pending>> chain : byChain.entrySet()) {
      storeChain(chain.getValue(), !named || chain.getKey().equals(conflict.chain()) ? conflict : null);
    }
  }

  /** Stores one chain's events, re-reading the chain after each conflict; backs off only if conflicts persist. */
  private void storeChain(List<Pending> chainEvents, @Nullable AuditChainConflictException first) {
    List<Pending> pending = new ArrayList<>(chainEvents);
    long backoff = MIN_BACKOFF_NANOS;
    int conflicts = 0;
    @Nullable AuditChainConflictException conflict = first;
    while (!pending.isEmpty()) {
      try {
        if (conflict != null) {
          reconcile(conflict, pending);
          conflict = null;
          if (pending.isEmpty()) {
            return;
          }
        }
        List<AuditRecord> records = seal(pending);
        if (records.isEmpty()) {
          return;
        }
        sink.append(records);
        commit(pending, records);
        return;
      } catch (AuditChainConflictException e) {
        // Another instance appended to this chain first: re-read it and seal after its records at once.
        LOG.debug("Audit chain {} moved on under another writer at {}; sealing again", e.chain(), e.sequence());
        conflict = e;
        if (++conflicts >= CONFLICTS_BEFORE_BACKOFF) {
          pause(backoff);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
        }
      } catch (RuntimeException e) {
        tell(e, "storing " + pending.size() + " audit events failed; they are kept and retried in "
            + TimeUnit.NANOSECONDS.toMillis(backoff) + " ms");
        pause(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
      }
    }
  }

  /**
   * Seals the events chain by chain after each chain's head. Reorders {@code pending} to match the records (grouped by
   * chain, each chain's in the order recorded), which is also the order the sink wants.
   */
  private List<AuditRecord> seal(List<Pending> pending) {
    Map<String, List<Pending>> byChain = new LinkedHashMap<>();
    for (Pending event : pending) {
      byChain.computeIfAbsent(event.event().chain(), chain -> new ArrayList<>()).add(event);
    }
    pending.clear();
    List<AuditRecord> records = new ArrayList<>();
    for (Map.Entry<String, List<Pending>> chain : byChain.entrySet()) {
      Head head = head(chain.getKey());
      long sequence = head.sequence();
      String previous = head.hash();
      for (Pending event : chain.getValue()) {
        AuditRecord record;
        try {
          record = AuditRecord.seal(event.event(), sequence + 1, previous, key);
        } catch (IllegalArgumentException unsealable) {
          // Cannot happen for events that came through AuditLog (it makes their text encodable first); never let one
          // bad event hold up every other.
          reject(event, unsealable);
          continue;
        }
        sequence++;
        previous = record.hash();
        records.add(record);
        pending.add(event);
      }
    }
    return records;
  }

  private Head head(String chain) {
    Head head = heads.get(chain);
    if (head == null) {
      head = sink.last(chain).map(Head::of).orElse(Head.START);
      heads.put(chain, head);
    }
    return head;
  }

  private void commit(List<Pending> pending, List<AuditRecord> records) {
    for (int i = 0; i < records.size(); i++) {
      AuditRecord record = records.get(i);
      heads.put(record.chain(), Head.of(record));
      touch(record.chain());
    }
    for (int i = 0; i < records.size(); i++) {
      CompletableFuture<AuditRecord> stored = pending.get(i).stored();
      if (stored != null) {
        stored.complete(records.get(i));
      }
    }
  }

  /**
   * After a conflict: re-reads the chain from the head it was sealed after, drops the events found already stored
   * (an earlier append that failed on the way back but did store them), and moves the head to the chain's end.
   */
  private void reconcile(AuditChainConflictException conflict, List<Pending> pending) {
    Set<String> chains = new LinkedHashSet<>();
    pending.forEach(event -> chains.add(event.event().chain()));
    if (chains.contains(conflict.chain())) {
      chains.retainAll(Set.of(conflict.chain()));
    }
    for (String chain : chains) {
      Head known = heads.getOrDefault(chain, Head.START);
      Map<String, AuditRecord> stored = new HashMap<>();
      Head end = known;
      try (Stream<AuditRecord> after = sink.read(chain, known.sequence() + 1, AuditRecord.MAX_SEQUENCE)) {
        for (Iterator<AuditRecord> it = after.iterator(); it.hasNext(); ) {
          AuditRecord record = it.next();
          stored.put(record.event().id(), record);
          if (record.sequence() > end.sequence()) {
            end = Head.of(record);
          }
        }
      }
      if (end == known) {
        end = sink.last(chain).map(Head::of).orElse(Head.START);
      }
      heads.put(chain, end);
      for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
        Pending event = it.next();
        AuditRecord already = event.event().chain().equals(chain) ? stored.get(event.event().id()) : null;
        if (already != null && already.event().equals(event.event())) {
          it.remove();
          touch(chain);
          if (event.stored() != null) {
            event.stored().complete(already);
          }
        }
      }
    }
  }

  private void touch(String chain) {
    if (checkpoints != null) {
      touched.add(chain);
    }
  }

  private Pending erase(Erase erase) {
    String chain = erase.tenant().toString();
    long backoff = MIN_BACKOFF_NANOS;
    Long removed = null;
    while (true) {
      try {
        if (removed == null) {
          removed = sink.erase(chain);
        }
        if (checkpoints != null) {
          checkpoints.erase(chain);
        }
        break;
      } catch (RuntimeException e) {
        tell(e, "erasing the audit chain of tenant " + chain + " failed; retrying in "
            + TimeUnit.NANOSECONDS.toMillis(backoff) + " ms");
        pause(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
      }
    }
    heads.remove(chain);
    touched.remove(chain);
    erase.removed().complete(removed);
    LOG.info("Erased the audit chain of tenant {}: {} records", chain, removed);
    return new Pending(AuditEvent.builder(AuditCategory.LIFECYCLE, "audit.erased")
        .timestamp(clock.instant())
        .resource("tenant/" + chain)
        .detail("tenant", chain)
        .detail("records", Long.toString(removed))
        .build(), null);
  }

  /** Takes a checkpoint of every chain appended to since its last one; a chain whose save fails is tried next time. */
  private void checkpoint() {
    if (checkpoints == null || touched.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    for (Iterator<String> it = touched.iterator(); it.hasNext(); ) {
      String chain = it.next();
      Head head = heads.get(chain);
      if (head == null || head.sequence() == 0) {
        it.remove();
        continue;
      }
      try {
        checkpoints.save(checkpoint(chain, head, now));
        it.remove();
      } catch (RuntimeException e) {
        tell(e, "saving the audit checkpoints failed; " + touched.size() + " chains are tried again at the next "
            + "checkpoint");
        return;
      }
    }
  }

  private AuditCheckpoint checkpoint(String chain, Head head, Instant now) {
    AuditCheckpoint unsigned = new AuditCheckpoint(chain, head.sequence(), head.hash(), now, null);
    return key == null ? unsigned : new AuditCheckpoint(chain, head.sequence(), head.hash(), unsigned.createdAt(),
        key.mac(unsigned.canonicalContent()));
  }

  private void reject(Pending event, IllegalArgumentException cause) {
    AuditStorageException failure = new AuditStorageException("audit event " + event.event().id() + " ("
        + event.event().action() + ") cannot be sealed and is dropped: " + cause.getMessage(), cause);
    LOG.error("{}", failure.getMessage(), cause);
    if (event.stored() != null) {
      event.stored().completeExceptionally(failure);
    }
    notifyListener(failure);
  }

  private void tell(RuntimeException failure, String what) {
    AuditStorageException reported = failure instanceof AuditStorageException storage ? storage
        : new AuditStorageException("the audit sink failed: " + failure, failure);
    LOG.warn("{}: {}", what, failure.toString());
    notifyListener(reported);
  }

  private void notifyListener(AuditStorageException failure) {
    if (failureListener == null) {
      return;
    }
    try {
      failureListener.accept(failure);
    } catch (RuntimeException e) {
      LOG.warn("The audit failure listener {} failed; ignored", failureListener, e);
    }
  }

  private static void pause(long nanos) {
    long deadline = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = deadline - System.nanoTime()) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        // See park(): the writer never stops on an interrupt while it holds events.
      }
    }
  }
}
