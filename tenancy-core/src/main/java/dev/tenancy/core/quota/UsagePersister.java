package dev.tenancy.core.quota;

import dev.tenancy.core.spi.QuotaStore;
import dev.tenancy.core.spi.UsageStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the period counters of a {@link QuotaStore} in a {@link UsageStore}: restores the current month when the
 * manager starts, and saves the counters changed since the last save every {@code interval} and on close.
 *
 * <p>The hot path only marks a counter as changed (one set insertion); the values are read from the quota store when
 * saving, so a save always carries the latest count, and a counter changed while a save runs is marked again and
 * saved next time. Restoring raises a counter to the saved value and never lowers it, so it is harmless over a store
 * that survived the restart (a persistent Redis).
 */
final class UsagePersister implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(UsagePersister.class);

  private final UsageStore usage;
  private final QuotaStore store;
  private final QuotaKeys keys;
  private final Duration slack;
  private final Set<Changed> changed = ConcurrentHashMap.newKeySet();
  private @Nullable ScheduledExecutorService scheduler;

  UsagePersister(UsageStore usage, QuotaStore store, QuotaKeys keys, Duration slack) {
    this.usage = usage;
    this.store = store;
    this.keys = keys;
    this.slack = slack;
  }

  /** Raises the store's counters of a period to what was saved for it. */
  void restore(QuotaPeriod period) {
    Map<String, Long> saved = usage.load(period.month());
    saved.forEach((name, value) -> {
      String key = keys.counter(name, period);
      long current = store.current(key);
      if (value != null && value > current) {
        store.addIfWithin(key, value - current, Long.MAX_VALUE, period.end().plus(slack));
      }
    });
    LOG.debug("Restored {} usage counters of {}", saved.size(), period.label());
  }

  /** Marks a counter as changed, to be saved with the next flush. */
  void touched(String name, QuotaPeriod period) {
    changed.add(new Changed(name, period));
  }

  /** Saves every changed counter now, one batch per period. */
  synchronized void flush() {
    if (changed.isEmpty()) {
      return;
    }
    Map<QuotaPeriod, Map<String, Long>> batches = new HashMap<>();
    for (Iterator<Changed> it = changed.iterator(); it.hasNext(); ) {
      Changed counter = it.next();
      // Unmark before reading: an increment after this read marks the counter again.
      it.remove();
      batches.computeIfAbsent(counter.period(), p -> new HashMap<>())
          .put(counter.name(), store.current(keys.counter(counter.name(), counter.period())));
    }
    List<RuntimeException> failures = new ArrayList<>();
    batches.forEach((period, counters) -> {
      try {
        usage.save(counters, period.month());
      } catch (RuntimeException e) {
        counters.keySet().forEach(name -> changed.add(new Changed(name, period)));
        failures.add(e);
      }
    });
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  /** Starts saving every {@code interval} on a daemon thread. */
  synchronized void start(Duration interval) {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "tenancy-quota-usage-flush");
      thread.setDaemon(true);
      return thread;
    });
    long millis = Math.max(1, interval.toMillis());
    executor.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
    scheduler = executor;
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.warn("Saving quota usage failed; the changed counters are kept and saved with the next flush", e);
    }
  }

  /** Stops the schedule and saves what changed; a failure is logged, since nothing can retry it any more. */
  @Override
  public void close() {
    ScheduledExecutorService executor;
    synchronized (this) {
      executor = scheduler;
      scheduler = null;
    }
    if (executor != null) {
      // shutdown, not shutdownNow: interrupting a save in progress could break its JDBC connection mid-batch.
      executor.shutdown();
    }
    try {
      flush();
    } catch (RuntimeException e) {
      LOG.error("Saving quota usage on close failed: {} counters are lost and tenants may get that usage back after"
          + " the restart", changed.size(), e);
    }
  }

  private record Changed(String name, QuotaPeriod period) {
  }
}
