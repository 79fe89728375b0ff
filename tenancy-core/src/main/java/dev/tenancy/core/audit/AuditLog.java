package dev.tenancy.core.audit;

import dev.tenancy.core.PlatformAccessListener;
import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.quota.QuotaAlertListener;
import dev.tenancy.core.spi.AuditCheckpointStore;
import dev.tenancy.core.spi.AuditSink;
import dev.tenancy.core.spi.TenantLifecycleListener;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The audit trail's entry point: takes events off the caller's thread through a bounded queue, and one writer thread
 * seals them into their tenant's hash chain ({@link AuditRecord}) and appends them to an {@link AuditSink} in batches.
 *
 * <pre>{@code
 * AuditLog audit = AuditLog.builder()
 *     .sink(sink)
 *     .key(AuditKey.of(secretFromOutsideTheDatabase))
 *     .checkpoints(checkpointStore)
 *     .build();
 * audit.record(AuditEvent.builder(AuditCategory.SECURITY, "auth.token_rejected")
 *     .tenant(tenantId).actor(AuditActorType.ANONYMOUS, "unknown").outcome(AuditOutcome.DENIED).build());
 * ...
 * audit.close();   // stores everything still queued, then checkpoints every chain
 * }</pre>
 *
 * <h2>Durability</h2>
 * <ul>
 *   <li>{@link #record} returning means the event was <em>accepted in memory</em> only: it is stored shortly after,
 *       but a crash or kill of the process before then loses it.
 *   <li>{@link #recordDurably}{@code .join()} returning, or {@link #flush()} returning, means the event (for
 *       {@code flush}: every event recorded before the call) is stored as durably as the sink promises: its
 *       {@link AuditSink#append} has returned.
 *   <li>{@link #close()} returning means everything recorded before is stored and every chain is checkpointed.
 * </ul>
 *
 * <h2>Back-pressure, never loss</h2>
 * When the queue is full, {@link #record} waits for room, so a slow or failing sink slows callers down instead of
 * losing events. The writer keeps failed batches and retries them with back-off, telling the
 * {@link Builder#failureListener failure listener} each time. Only with
 * {@link Builder#dropRoutineEventsWhenFull(boolean)} may routine events (those whose category is not
 * {@link AuditCategory#isSecurityRelevant() security relevant}) be dropped when the queue is full; they are counted
 * in {@link #droppedEvents()}.
 *
 * <h2>Several instances</h2>
 * Any number of logs (in one process or many) may share a sink: the sink refuses a record whose position is taken,
 * and the writer then re-reads the chain and seals again after it, so chains never fork.
 *
 * @since 0.1.0
 */
public final class AuditLog implements AutoCloseable {

  /** The default {@link Builder#queueCapacity(int)}. */
  public static final int DEFAULT_QUEUE_CAPACITY = 8192;
  /** The default {@link Builder#batchSize(int)}. */
  public static final int DEFAULT_BATCH_SIZE = 512;
  /** The default {@link Builder#checkpointInterval(Duration)}. */
  public static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(10);

  private final AuditWriter writer;
  private final Thread thread;
  private final boolean dropRoutine;
  private final LongAdder dropped = new LongAdder();

  private AuditLog(Builder builder, AuditSink sink) {
    this.writer = new AuditWriter(sink, builder.key, builder.checkpoints,
        builder.clock == null ? Clock.systemUTC() : builder.clock, builder.queueCapacity, builder.batchSize,
        builder.flushInterval.toNanos(), builder.checkpointInterval.toNanos(), builder.failureListener);
    this.dropRoutine = builder.dropRoutine;
    this.thread = new Thread(writer, "tenancy-audit-writer");
    // A daemon: record() promises nothing durable, and a JVM must be able to exit even if close() is never called.
    thread.setDaemon(true);
    thread.start();
  }

  /** @return a builder; only the sink is required */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Accepts an event for the trail and returns at once, unless the queue is full: then a security-relevant event (and,
   * by default, every event) waits for room. Returning means accepted <em>in memory</em>: see the class comment.
   *
   * @param event the event
   * @throws IllegalStateException if the log is closed
   * @throws AuditStorageException if the thread is interrupted while waiting for room; the event was not recorded and
   *     the thread's interrupt flag is set again
   */
  public void record(AuditEvent event) {
    AuditEvent encodable = encodable(Objects.requireNonNull(event, "event"));
    enqueue(encodable, dropRoutine && !encodable.category().isSecurityRelevant());
  }

  /**
   * Accepts an event like {@link #record} (never dropped) and tells when it is stored.
   *
   * <p>The future completes on the writer thread; chain slow work with the {@code …Async} methods of
   * {@link CompletableFuture}, or the writer (and every caller behind it) waits for that work.
   *
   * @param event the event
   * @return completes with the sealed record once the sink's {@link AuditSink#append} has returned, i.e. once the event
   *     is stored as durably as the sink promises
   * @throws IllegalStateException if the log is closed
   * @throws AuditStorageException if the thread is interrupted while waiting for room (see {@link #record})
   */
  public CompletableFuture<AuditRecord> recordDurably(AuditEvent event) {
    CompletableFuture<AuditRecord> stored = new CompletableFuture<>();
    enqueue(new AuditWriter.Pending(encodable(Objects.requireNonNull(event, "event")), stored), false);
    LockSupport.unpark(thread);
    return stored;
  }

  /**
   * Waits until every event recorded before this call is stored (the sink's append has returned). If the sink is
   * failing, this waits until it recovers. Returns at once on a closed log, which has stored everything.
   *
   * @throws IllegalStateException if called on the writer thread (from a future's callback), which would wait for
   *     itself, or if the writer stopped after an unexpected error
   * @throws AuditStorageException if the thread is interrupted while waiting for room in the queue
   */
  public void flush() {
    requireNotWriter("flush()");
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      enqueue(new AuditWriter.Flush(done), false);
      LockSupport.unpark(thread);
    } catch (IllegalStateException closed) {
      if (writer.failed) {
        throw closed;
      }
      writer.awaitTermination();
      return;
    }
    done.join();
  }

  /**
   * Erases a tenant's trail when the tenant is purged: once every event queued before is stored, removes the tenant's
   * chain from the sink and its checkpoints from the checkpoint store, and records {@code audit.erased} (with the
   * count) in the {@value AuditRecord#PLATFORM_CHAIN} chain. Events of the tenant recorded afterwards start a new chain.
   *
   * @param tenant the tenant
   * @return how many records were removed
   * @throws IllegalStateException if the log is closed, or if called on the writer thread
   */
  public long erase(TenantId tenant) {
    requireNotWriter("erase()");
    return eraseLater(tenant).join();
  }

  /** Queues an erasure without waiting for it (the lifecycle listener must not hold up a purge). */
  CompletableFuture<Long> eraseLater(TenantId tenant) {
    CompletableFuture<Long> removed = new CompletableFuture<>();
    enqueue(new AuditWriter.Erase(Objects.requireNonNull(tenant, "tenant"), removed), false);
    LockSupport.unpark(thread);
    return removed;
  }

  /** @return how many routine events were dropped because the queue was full (only with the drop policy) */
  public long droppedEvents() {
    return dropped.sum();
  }

  /**
   * Records tenant lifecycle events: created, updated ({@link AuditCategory#CONFIGURATION}), status changed, deleted
   * (cancelled), provisioning steps and failures, purged. On purge it erases the tenant's chain (see {@link #erase})
   * and records {@code tenant.purged} in the {@value AuditRecord#PLATFORM_CHAIN} chain, which outlives the tenant.
   *
   * <pre>{@code
   * TenantService tenants = TenantService.builder()...listener(audit.lifecycleListener()).build();
   * }</pre>
   *
   * @return a listener for {@code TenantService.Builder.listener}
   */
  public TenantLifecycleListener lifecycleListener() {
    return event -> AuditEmitters.onLifecycle(this, event);
  }

  /**
   * Records every platform (cross-tenant) access before it starts, in the tenant's chain when it targets one, else in
   * the {@value AuditRecord#PLATFORM_CHAIN} chain. It is a guard: on a closed log it throws, so the access is refused.
   *
   * <pre>{@code
   * AutoCloseable registration = TenantContext.addPlatformAccessListener(audit.platformAccessListener());
   * }</pre>
   *
   * @return a listener for {@code TenantContext.addPlatformAccessListener}
   */
  public PlatformAccessListener platformAccessListener() {
    return access -> record(AuditEmitters.platformAccess(access));
  }

  /**
   * Records quota alerts ({@link AuditCategory#QUOTA}): a tenant crossing 80 % or 90 % of a limit, and reaching it
   * (a denial) at 100 %.
   *
   * <pre>{@code
   * QuotaManager quotas = QuotaManager.builder()...listener(audit.quotaAlertListener()).build();
   * }</pre>
   *
   * @return a listener for {@code QuotaManager.Builder.listener}
   */
  public QuotaAlertListener quotaAlertListener() {
    return alert -> record(AuditEmitters.quotaAlert(alert));
  }

  /**
   * Stores every event still queued, checkpoints every chain written since the last checkpoint, and stops the writer.
   * Idempotent; a second call waits like the first. If the sink is failing, this waits until it recovers; interrupt the
   * closing thread to stop waiting (the writer keeps trying in the background until the JVM exits).
   */
  @Override
  public void close() {
    writer.closed = true;
    LockSupport.unpark(thread);
    if (Thread.currentThread() != thread) {
      writer.awaitTermination();
    }
  }

  private void enqueue(Object item, boolean mayDrop) {
    if (Thread.currentThread() == thread) {
      // Recorded by the writer itself (a failure listener, a future's callback): waiting for room would wait forever.
      writer.own.add(item);
      return;
    }
    if (writer.closed) {
      throw closed();
    }
    writer.producers.incrementAndGet();
    try {
      if (writer.closed) {
        throw closed();
      }
      // offer first: put() refuses at once on a thread whose interrupt flag is set, even when there is room.
      if (writer.queue.offer(item)) {
        return;
      }
      if (mayDrop) {
        dropped.increment();
        return;
      }
      writer.queue.put(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuditStorageException("interrupted while waiting for room in the audit queue: the event was NOT "
          + "recorded; the audit sink is slower than the events arrive, or failing (see the failure listener)", e);
    } finally {
      writer.producers.decrementAndGet();
    }
  }

  private IllegalStateException closed() {
    return new IllegalStateException(writer.failed
        ? "the audit log's writer stopped after an unexpected error (see the log): nothing more can be recorded"
        : "the audit log is closed: nothing more can be recorded; record events before AuditLog.close(), "
            + "or build a new AuditLog");
  }

  private void requireNotWriter(String method) {
    if (Thread.currentThread() == thread) {
      throw new IllegalStateException(method + " was called on the audit writer thread (from a recordDurably "
          + "callback or the failure listener) and would wait for itself; use thenRunAsync/thenAcceptAsync");
    }
  }

  /** Lone surrogates have no UTF-8 form and could not be hashed; replacing them keeps the event rather than lose it. */
  private static AuditEvent encodable(AuditEvent event) {
    if (isWellFormed(event)) {
      return event;
    }
    Map<String, String> details = new TreeMap<>();
    event.details().forEach((name, value) -> details.put(CanonicalJson.wellFormed(name),
        CanonicalJson.wellFormed(value)));
    return new AuditEvent(CanonicalJson.wellFormed(event.id()), event.timestamp(), event.tenant(), event.category(),
        event.action(), CanonicalJson.wellFormed(event.actor()), event.actorType(), wellFormed(event.resource()),
        event.outcome(), wellFormed(event.traceId()), wellFormed(event.sourceAddress()), details);
  }

  private static boolean isWellFormed(AuditEvent event) {
    if (!same(event.id()) || !same(event.actor()) || !same(event.resource()) || !same(event.traceId())
        || !same(event.sourceAddress())) {
      return false;
    }
    for (Map.Entry<String, String> detail : event.details().entrySet()) {
      if (!same(detail.getKey()) || !same(detail.getValue())) {
        return false;
      }
    }
    return true;
  }

  private static boolean same(@Nullable String text) {
    return text == null || CanonicalJson.wellFormed(text) == text;
  }

  private static @Nullable String wellFormed(@Nullable String text) {
    return text == null ? null : CanonicalJson.wellFormed(text);
  }

  /** Configures an {@link AuditLog}; each option may be set once. */
  public static final class Builder {
    private @Nullable AuditSink sink;
    private @Nullable AuditKey key;
    private @Nullable AuditCheckpointStore checkpoints;
    private @Nullable Clock clock;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Duration flushInterval = Duration.ZERO;
    private Duration checkpointInterval = DEFAULT_CHECKPOINT_INTERVAL;
    private boolean dropRoutine;
    private @Nullable Consumer<? super AuditStorageException> failureListener;

    private Builder() {
    }

    /**
     * @param sink where records are stored; required
     * @return this builder
     */
    public Builder sink(AuditSink sink) {
      requireUnset(this.sink, "sink");
      this.sink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * @param key the key that authenticates every record (HMAC) and checkpoint; keep it outside the event store. Without
     *     one, chains are plain hash chains that whoever can rewrite the store can recompute.
     * @return this builder
     */
    public Builder key(AuditKey key) {
      requireUnset(this.key, "key");
      this.key = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * @param checkpoints where chain heads are checkpointed, outside the event store; without it the verifier cannot
     *     see events cut off the end or a roll-back of the whole store
     * @return this builder
     */
    public Builder checkpoints(AuditCheckpointStore checkpoints) {
      requireUnset(this.checkpoints, "checkpoints");
      this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
      return this;
    }

    /**
     * @param clock time-stamps checkpoints and the log's own events; {@link Clock#systemUTC()} if not set
     * @return this builder
     */
    public Builder clock(Clock clock) {
      requireUnset(this.clock, "clock");
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @param capacity how many events may wait in memory before callers wait for room; default
     *     {@value #DEFAULT_QUEUE_CAPACITY}
     * @return this builder
     */
    public Builder queueCapacity(int capacity) {
      this.queueCapacity = capacity;
      return this;
    }

    /**
     * @param size the most events stored in one {@link AuditSink#append}; default {@value #DEFAULT_BATCH_SIZE}
     * @return this builder
     */
    public Builder batchSize(int size) {
      this.batchSize = size;
      return this;
    }

    /**
     * How long the writer may wait for a batch to fill before storing what it has. The default, zero, stores at once
     * whatever has arrived; under load batches fill by themselves while the one before is being stored. A durable
     * record, a flush, an erasure or close never waits.
     *
     * @param interval zero or positive; default zero
     * @return this builder
     */
    public Builder flushInterval(Duration interval) {
      this.flushInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * How often every chain written since its last checkpoint is checkpointed (and always on close). A shorter interval
     * leaves fewer events that could be cut off the end of a chain unnoticed.
     *
     * @param interval positive; default 10 seconds
     * @return this builder
     */
    public Builder checkpointInterval(Duration interval) {
      this.checkpointInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * Whether routine events (not {@link AuditCategory#isSecurityRelevant() security relevant}) are dropped and counted
     * in {@link AuditLog#droppedEvents()} when the queue is full, instead of making the caller wait. Security-relevant
     * events always wait.
     *
     * @param drop default {@code false}: nothing is ever dropped
     * @return this builder
     */
    public Builder dropRoutineEventsWhenFull(boolean drop) {
      this.dropRoutine = drop;
      return this;
    }

    /**
     * Hears every storage failure (events are kept and retried; checkpoints are tried at the next interval), e.g. to
     * raise an alert. Called on the writer thread; a listener that throws is logged and ignored.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder failureListener(Consumer<? super AuditStorageException> listener) {
      requireUnset(this.failureListener, "failureListener");
      this.failureListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Checks the options and starts the writer thread.
     *
     * @return the log
     * @throws TenancyConfigurationException if the sink is missing or a number or interval is out of range
     */
    public AuditLog build() {
      if (sink == null) {
        throw new TenancyConfigurationException("AuditLog needs a sink: call .sink(...), for example with "
            + "new InMemoryAuditSink() or a file or JDBC sink");
      }
      if (queueCapacity < 1 || batchSize < 1) {
        throw new TenancyConfigurationException("AuditLog queueCapacity and batchSize must be at least 1, were "
            + queueCapacity + " and " + batchSize);
      }
      if (flushInterval.isNegative()) {
        throw new TenancyConfigurationException("AuditLog flushInterval must be zero or positive, was "
            + flushInterval);
      }
      if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
        throw new TenancyConfigurationException("AuditLog checkpointInterval must be positive, was "
            + checkpointInterval);
      }
      return new AuditLog(this, sink);
    }

    private static void requireUnset(@Nullable Object current, String option) {
      if (current != null) {
        throw new IllegalStateException(option + " was already set to " + current);
      }
    }
  }
}
