package dev.tenancy.jdbc.migration;

import dev.tenancy.core.TenancyConfigurationException;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.data.MigrationState;
import dev.tenancy.core.data.TenantMigrationStatus;
import dev.tenancy.jdbc.migration.Claims.Claim;
import dev.tenancy.jdbc.migration.ResolvedMigrations.Currency;
import dev.tenancy.jdbc.spi.MigrationStatusStore;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of {@link MigrationWaves}: shared schemas, then the currency check of every tenant, canaries one at a time,
 * and the remaining tenants in waves of bounded size and parallelism. Holds the run's counters.
 */
final class WaveRun {

  private static final Logger LOG = LoggerFactory.getLogger(MigrationWaves.class);
  /** Probe targets tried for resolving the migrations before the run falls back to Flyway for every target. */
  private static final int PROBES = 3;

  private final MigrationWaves waves;
  private final WaveSettings settings;
  private final Claims claims;
  private final Executor executor;
  private final Instant startedAt;
  private final long startNanos = System.nanoTime();

  private final AtomicInteger upToDate = new AtomicInteger();
  private final AtomicInteger migrated = new AtomicInteger();
  private final AtomicInteger heldElsewhere = new AtomicInteger();
  private final List<TenantMigrationStatus> failures = Collections.synchronizedList(new ArrayList<>());
  private int targets;
  private int pending;
  private @Nullable String stoppedBecause;

  WaveRun(MigrationWaves waves, WaveSettings settings, Claims claims, Executor executor) {
    this.waves = waves;
    this.settings = settings;
    this.claims = claims;
    this.executor = executor;
    this.startedAt = claims.now();
  }

  MigrationReport run() {
    List<Target> tenants = waves.tenantTargets();
    targets = tenants.size();
    for (Target shared : waves.sharedTargets()) {
      targets++;
      if (migrate(shared, null, null) == MigrationState.FAILED) {
        return stop("shared schema " + shared.location() + " failed", tenants.size());
      }
    }
    if (tenants.isEmpty()) {
      return report();
    }
    MigrationStatusStore store = waves.statusStore();
    Map<String, TenantMigrationStatus> known = new HashMap<>();
    for (TenantMigrationStatus status : store.statuses()) {
      known.put(status.target(), status);
    }
    ResolvedMigrations resolved = settings.fastCheck() ? resolve(tenants) : null;
    String latest = resolved == null ? null : resolved.latestVersion();
    Map<String, @Nullable String> applied = new ConcurrentHashMap<>();
    List<Target> needing = check(tenants, resolved, known, applied);
    for (Target target : needing) {
      claims.markPending(target, known.get(target.key()));
    }
    List<Target> canaries = canaries(tenants, needing);
    for (int i = 0; i < canaries.size(); i++) {
      Target canary = canaries.get(i);
      if (migrate(canary, applied.get(canary.key()), latest) == MigrationState.FAILED) {
        return stop("canary " + canary.location() + " failed", needing.size() - i - 1);
      }
    }
    List<Target> rest = new ArrayList<>(needing);
    rest.removeAll(canaries);
    int waveCount = (rest.size() + settings.waveSize() - 1) / settings.waveSize();
    for (int wave = 0; wave < waveCount; wave++) {
      int from = wave * settings.waveSize();
      List<Target> members = rest.subList(from, Math.min(rest.size(), from + settings.waveSize()));
      inParallel(members, () -> target -> migrate(target, applied.get(target.key()), latest));
      int number = wave + 1;
      notify(listener -> listener.waveFinished(number, waveCount));
      if (failures.size() > settings.maxFailures() && number < waveCount) {
        return stop(failures.size() + " targets failed, more than maxFailures " + settings.maxFailures(),
            rest.size() - from - members.size());
      }
    }
    return report();
  }

  /** Asks Flyway once which migrations the locations hold; {@code null} sends every target through Flyway. */
  private @Nullable ResolvedMigrations resolve(List<Target> tenants) {
    for (Target probe : tenants.subList(0, Math.min(PROBES, tenants.size()))) {
      try {
        return ResolvedMigrations.of(probe.place().flyway(probe).load().info().all());
      } catch (FlywayException e) {
        LOG.warn("Could not resolve the tenant migrations through {} ({}); trying another tenant", probe,
            ErrorText.of(e, probe.place().secrets()));
      }
    }
    LOG.warn("Could not resolve the tenant migrations; every tenant goes through Flyway in this run");
    return null;
  }

  /** The currency check: current targets are recorded and counted, the others returned in order. */
  private List<Target> check(List<Target> tenants, @Nullable ResolvedMigrations resolved,
      Map<String, TenantMigrationStatus> known, Map<String, @Nullable String> applied) {
    if (resolved == null) {
      return tenants;
    }
    Set<Target> current = ConcurrentHashMap.newKeySet();
    inParallel(tenants, () -> new TargetWorker() {
      private final Place.HistoryReader reader = tenants.get(0).place().reader();

      @Override
      public void accept(Target target) {
        Currency currency;
        try {
          currency = resolved.check(reader.read(target));
        } catch (SQLException e) {
          // No history table yet, or the target is unreachable: Flyway will migrate it or say what is wrong.
          currency = resolved.check(null);
        }
        if (currency.appliedVersion() != null) {
          applied.put(target.key(), currency.appliedVersion());
        }
        if (currency.current()) {
          current.add(target);
          claims.recordCurrent(target, currency.appliedVersion(), known.get(target.key()));
        }
      }

      @Override
      public void close() {
        reader.close();
      }
    });
    upToDate.addAndGet(current.size());
    List<Target> needing = new ArrayList<>();
    for (Target target : tenants) {
      if (!current.contains(target)) {
        needing.add(target);
      }
    }
    return needing;
  }

  private List<Target> canaries(List<Target> tenants, List<Target> needing) {
    List<TenantSlug> named = settings.canarySlugs();
    if (named.isEmpty()) {
      return needing.subList(0, Math.min(settings.canaryCount(), needing.size()));
    }
    Map<TenantSlug, Target> bySlug = new HashMap<>();
    for (Target target : tenants) {
      bySlug.put(Objects.requireNonNull(target.tenant()).slug(), target);
    }
    Set<Target> needs = new LinkedHashSet<>(needing);
    List<Target> canaries = new ArrayList<>();
    for (TenantSlug slug : named) {
      Target target = bySlug.get(slug);
      if (target == null) {
        throw new TenancyConfigurationException("Canary tenant '" + slug + "' is not among the tenants this run"
            + " migrates (unknown, deleted or excluded); name an existing tenant or use canaryCount(n)");
      }
      if (needs.contains(target)) {
        canaries.add(target);
      }
    }
    return canaries;
  }

  /**
   * Claims, migrates and records one target.
   *
   * @return the state the target was left in by this run, or {@code null} if another run has it
   */
  private @Nullable MigrationState migrate(Target target, @Nullable String versionBefore,
      @Nullable String latest) {
    Claim claim = claims.claim(target, versionBefore, latest);
    if (claim.outcome() == Claims.Outcome.HELD_ELSEWHERE) {
      heldElsewhere.incrementAndGet();
      return null;
    }
    if (claim.outcome() == Claims.Outcome.DONE_ELSEWHERE) {
      upToDate.incrementAndGet();
      return MigrationState.DONE;
    }
    TenantMigrationStatus running = Objects.requireNonNull(claim.status());
    notify(listener -> listener.started(running));
    MigrationState state;
    String before = versionBefore;
    String after;
    String error = null;
    int executed = 0;
    try {
      if (claim.previous() == MigrationState.FAILED && settings.repairOnRetry()) {
        int removed = target.place().removeFailedRows(target);
        LOG.info("Removed {} failed migration rows from the history of {} before retrying it", removed, target);
      }
      MigrateResult result = target.place().migrate(target);
      executed = result.migrationsExecuted;
      before = result.initialSchemaVersion;
      after = result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
      state = MigrationState.DONE;
    } catch (SQLException | RuntimeException e) {
      state = MigrationState.FAILED;
      error = ErrorText.of(e, target.place().secrets());
      after = appliedVersion(target);
      LOG.warn("Migrating {} failed (attempt {}): {}", target, running.attempts(), error);
    }
    TenantMigrationStatus finished = claims.finish(target, state, before, after, error).orElse(null);
    if (finished == null) {
      heldElsewhere.incrementAndGet();
      return null;
    }
    if (state == MigrationState.DONE) {
      (executed > 0 ? migrated : upToDate).incrementAndGet();
    } else {
      failures.add(finished);
    }
    notify(listener -> listener.finished(finished));
    return state;
  }

  /** What a failed target has applied, read from its history; {@code null} if that cannot be read either. */
  private static @Nullable String appliedVersion(Target target) {
    try (Place.HistoryReader reader = target.place().reader()) {
      return ResolvedMigrations.appliedVersion(reader.read(target));
    } catch (SQLException | RuntimeException e) {
      return null;
    }
  }

  /** Something one worker thread does to targets, with resources it closes at the end. */
  interface TargetWorker extends Consumer<Target>, AutoCloseable {
    @Override
    default void close() {
    }
  }

  /**
   * Runs workers over the targets, at most {@code parallelism} at a time, and returns when all are done. A worker's
   * exception (the status store failing) stops the others taking new targets and is rethrown.
   */
  private void inParallel(List<Target> items, Supplier<TargetWorker> workers) {
    Queue<Target> queue = new ConcurrentLinkedQueue<>(items);
    AtomicReference<@Nullable Throwable> fatal = new AtomicReference<>();
    int count = Math.min(settings.parallelism(), items.size());
    CompletableFuture<?>[] running = new CompletableFuture<?>[count];
    for (int i = 0; i < count; i++) {
      running[i] = CompletableFuture.runAsync(() -> {
        try (TargetWorker worker = workers.get()) {
          Target target;
          while (fatal.get() == null && (target = queue.poll()) != null) {
            worker.accept(target);
          }
        } catch (RuntimeException | Error e) {
          fatal.compareAndSet(null, e);
        }
      }, executor);
    }
    CompletableFuture.allOf(running).handle((ignored, failure) -> null).join();
    Throwable failure = fatal.get();
    if (failure instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (failure instanceof Error error) {
      throw error;
    }
  }

  private void notify(Consumer<MigrationListener> event) {
    for (MigrationListener listener : settings.listeners()) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        LOG.warn("Migration listener {} failed; ignored", listener, e);
      }
    }
  }

  private MigrationReport stop(String reason, int notReached) {
    stoppedBecause = reason;
    pending = notReached;
    LOG.warn("Migration run {} stopped: {}; {} targets left pending", claims.runId(), reason, notReached);
    return report();
  }

  private MigrationReport report() {
    MigrationReport report = new MigrationReport(claims.runId(), startedAt,
        Duration.ofNanos(System.nanoTime() - startNanos), targets, upToDate.get(), migrated.get(), failures.size(),
        pending, heldElsewhere.get(), List.copyOf(failures), stoppedBecause);
    LOG.info("Migration run {} took {} ms for {} targets: {} up to date, {} migrated, {} failed, {} pending, {} held"
        + " by other runs", report.runId(), report.duration().toMillis(), report.targets(), report.upToDate(),
        report.migrated(), report.failed(), report.pending(), report.heldElsewhere());
    return report;
  }
}
