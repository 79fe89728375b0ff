package dev.tenancy.core.health;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantNotFoundException;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.spi.TenantHealthCheck;
import dev.tenancy.core.spi.TenantStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link TenantHealthCheck}s: for one tenant (the admin API's tenant health), across the platform (its platform
 * health), or for every tenant after a platform restore ({@link #verifyPlatform()}).
 *
 * <pre>{@code
 * TenantHealthChecks checks = TenantHealthChecks.builder()
 *     .tenants(tenantService)
 *     .check(AuditChainCheck.builder().sink(auditSink).checkpoints(checkpointStore).key(auditKey).build())
 *     .check(rowOwnershipCheck)
 *     .check(new DataKeyCheck(kek, keyStore))
 *     .parallelism(4)
 *     .timeout(Duration.ofSeconds(30))
 *     .build();
 * TenantHealth acme = checks.check(acmeId);
 * PlatformVerification report = checks.verifyPlatform();
 * }</pre>
 *
 * <p>Every check of every tenant runs as its own task on a short-lived pool of daemon threads, at most
 * {@link Builder#parallelism parallelism} at once, each with a {@link Builder#timeout time limit} counted from its
 * start. A tenant's checks run inside its {@link TenantContext} scope; platform-wide checks run with no tenant in
 * scope. Whatever a check does, the runner answers: a check that throws is {@link HealthStatus#DOWN DOWN} naming the
 * exception's class (the exception is logged, never shown: its message may hold data), one that returns nothing is
 * {@code DOWN}, and one that overruns its limit is {@code DOWN} and interrupted. A check that ignores interruption
 * keeps its thread until it returns, but no longer holds a place among the parallel ones.
 *
 * <p>If the calling thread is interrupted while it waits, every running check is interrupted and the call throws
 * {@link InterruptedException}.
 *
 * @since 0.1.0
 */
public final class TenantHealthChecks {

  /** Checks running at once unless {@link Builder#parallelism} says otherwise. */
  public static final int DEFAULT_PARALLELISM = 4;

  /** How long one check may run unless {@link Builder#timeout} says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(TenantHealthChecks.class);
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
  private static final AtomicLong RUNS = new AtomicLong();
  /** Marks a platform check without a platform-wide form; compared by identity. */
  private static final Optional<CheckResult> NO_PLATFORM_FORM = Optional.of(CheckResult.up("no platform-wide form"));

  private final List<TenantHealthCheck> checks;
  private final TenantSource tenants;
  private final int parallelism;
  private final Duration timeout;
  private final Clock clock;

  private TenantHealthChecks(Builder builder, TenantSource tenants) {
    this.checks = List.copyOf(builder.checks);
    this.tenants = tenants;
    this.parallelism = builder.parallelism;
    this.timeout = builder.timeout;
    this.clock = builder.clock;
  }

  /** @return a builder; a tenant source and at least one check are required */
  public static Builder builder() {
    return new Builder();
  }

  /** @return the names of the checks, in the order they run and are reported */
  public List<String> names() {
    return checks.stream().map(TenantHealthCheck::name).toList();
  }

  /**
   * Checks one tenant, looked up by id.
   *
   * @param id the tenant's id
   * @return its health
   * @throws TenantNotFoundException if no tenant has that id
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  public TenantHealth check(TenantId id) throws InterruptedException {
    Objects.requireNonNull(id, "id");
    Tenant tenant = tenants.find(id).orElseThrow(() -> new TenantNotFoundException(id.toString()));
    return check(tenant);
  }

  /**
   * Checks one tenant; its checks run in parallel.
   *
   * @param tenant the tenant
   * @return its health
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  public TenantHealth check(Tenant tenant) throws InterruptedException {
    Objects.requireNonNull(tenant, "tenant");
    try (Run run = new Run()) {
      Map<String, CompletableFuture<Optional<CheckResult>>> pending = run.submitTenant(tenant);
      return TenantHealth.of(tenant, run.collect(pending));
    }
  }

  /**
   * Runs the platform-wide form of every check that has one, over every tenant the platform knows.
   *
   * @return the platform's health
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  public PlatformHealth checkPlatform() throws InterruptedException {
    List<Tenant> all = tenants.all();
    try (Run run = new Run()) {
      return PlatformHealth.of(run.collect(run.submitPlatform(all)));
    }
  }

  /**
   * Verifies the whole platform, as after a restore: the platform-wide checks and every check of every tenant,
   * deleted ones included.
   *
   * @return the report, failing tenants first
   * @throws InterruptedException if the calling thread is interrupted while waiting
   */
  public PlatformVerification verifyPlatform() throws InterruptedException {
    Instant startedAt = clock.instant();
    long start = System.nanoTime();
    List<Tenant> all = tenants.all();
    try (Run run = new Run()) {
      Map<String, CompletableFuture<Optional<CheckResult>>> platform = run.submitPlatform(all);
      List<Map<String, CompletableFuture<Optional<CheckResult>>>> perTenant = new ArrayList<>(all.size());
      for (Tenant tenant : all) {
        perTenant.add(run.submitTenant(tenant));
      }
      PlatformHealth platformHealth = PlatformHealth.of(run.collect(platform));
      List<TenantHealth> healths = new ArrayList<>(all.size());
      for (int i = 0; i < all.size(); i++) {
        healths.add(TenantHealth.of(all.get(i), run.collect(perTenant.get(i))));
      }
      PlatformVerification report = new PlatformVerification(startedAt, Duration.ofNanos(System.nanoTime() - start),
          platformHealth, healths);
      LOG.info("platform verification: {} ({} tenants, {})", report.status(), healths.size(), report.counts());
      return report;
    }
  }

  @Override
  public String toString() {
    return "TenantHealthChecks" + names() + "[parallelism=" + parallelism + ", timeout=" + timeout + "]";
  }

  /** One call's tasks: a pool, the permits that bound them, and the futures of their results. */
  private final class Run implements AutoCloseable {

    private final ExecutorService pool;
    private final Semaphore permits = new Semaphore(parallelism);
    private boolean interrupted;

    Run() {
      this.pool = Executors.newCachedThreadPool(namedThreads("tenancy-health-" + RUNS.incrementAndGet() + "-"));
    }

    Map<String, CompletableFuture<Optional<CheckResult>>> submitTenant(Tenant tenant) throws InterruptedException {
      TenantInfo info = tenants.info(tenant);
      String subject = "tenant " + tenant.id();
      Map<String, CompletableFuture<Optional<CheckResult>>> pending = new LinkedHashMap<>();
      for (TenantHealthCheck check : checks) {
        pending.put(check.name(), submit(check.name(), subject,
            () -> Optional.ofNullable(TenantContext.call(info, () -> check.check(tenant)))));
      }
      return pending;
    }

    Map<String, CompletableFuture<Optional<CheckResult>>> submitPlatform(List<Tenant> all)
        throws InterruptedException {
      Map<String, CompletableFuture<Optional<CheckResult>>> pending = new LinkedHashMap<>();
      for (TenantHealthCheck check : checks) {
        pending.put(check.name(), submit(check.name(), "the platform", () -> {
          Optional<CheckResult> result = check.checkPlatform(all);
          // null is not "no platform form": that is Optional.empty(). Report it like a check returning null.
          return result == null ? Optional.empty() : result.isEmpty() ? NO_PLATFORM_FORM : result;
        }));
      }
      return pending;
    }

    /**
     * Waits for results. A tenant check always has one (empty = it returned null); a platform check without a
     * platform-wide form is left out.
     */
    Map<String, CheckResult> collect(Map<String, CompletableFuture<Optional<CheckResult>>> pending)
        throws InterruptedException {
      Map<String, CheckResult> results = new LinkedHashMap<>();
      for (Map.Entry<String, CompletableFuture<Optional<CheckResult>>> entry : pending.entrySet()) {
        Optional<CheckResult> result;
        try {
          result = entry.getValue().get();
        } catch (InterruptedException e) {
          interrupted = true;
          throw e;
        } catch (ExecutionException e) {
          throw new IllegalStateException("unreachable: check results complete normally", e);
        }
        if (result == NO_PLATFORM_FORM) {
          continue;
        }
        results.put(entry.getKey(), result.orElseGet(() -> CheckResult.down("the check returned no result")));
      }
      return results;
    }

    private CompletableFuture<Optional<CheckResult>> submit(String check, String subject,
        Callable<Optional<CheckResult>> body) throws InterruptedException {
      try {
        // Acquiring before handing over bounds the checks in flight and keeps a large platform from queueing every
        // tenant's checks at once.
        permits.acquire();
      } catch (InterruptedException e) {
        interrupted = true;
        throw e;
      }
      CompletableFuture<Optional<CheckResult>> result = new CompletableFuture<>();
      Future<?> running;
      try {
        running = pool.submit(() -> {
          result.complete(call(check, subject, body));
        });
      } catch (RejectedExecutionException e) {
        permits.release();
        result.complete(Optional.of(failed(check, subject, e)));
        return result;
      }
      // A fresh instance per task: identity tells the timeout apart from a check that returned an equal result.
      Optional<CheckResult> timedOut = Optional.of(CheckResult.down("the check did not finish within " + timeout
          + " and was interrupted").withFact("timeoutMillis", timeout.toMillis()));
      result.completeOnTimeout(timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
      result.whenComplete((outcome, ignored) -> {
        permits.release();
        if (outcome == timedOut) {
          LOG.warn("health check '{}' for {} did not finish within {}; interrupting it", check, subject, timeout);
          running.cancel(true);
        }
      });
      return result;
    }

    private Optional<CheckResult> call(String check, String subject, Callable<Optional<CheckResult>> body) {
      try {
        return body.call();
      } catch (Throwable e) {
        return Optional.of(failed(check, subject, e));
      }
    }

    private CheckResult failed(String check, String subject, Throwable e) {
      LOG.warn("health check '{}' for {} failed", check, subject, e);
      String type = e.getClass().getName();
      return CheckResult.down("the check failed with " + type + " (the exception is in the application log)")
          .withFact("exception", type);
    }

    @Override
    public void close() {
      if (interrupted) {
        pool.shutdownNow();
      } else {
        pool.shutdown();
      }
    }
  }

  private static ThreadFactory namedThreads(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + next.incrementAndGet());
      // A check that ignores interruption must not keep the JVM alive after its caller gave up on it.
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Configures {@link TenantHealthChecks}; each option may be set once. */
  public static final class Builder {
    private final List<TenantHealthCheck> checks = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private @Nullable TenantSource tenants;
    private int parallelism = DEFAULT_PARALLELISM;
    private boolean parallelismSet;
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean timeoutSet;
    private Clock clock = Clock.systemUTC();

    private Builder() {
    }

    /**
     * Adds a check; checks run and are reported in the order added.
     *
     * @param check the check
     * @return this builder
     * @throws IllegalArgumentException if its name is not lower-case letters, digits and hyphens starting with a
     *     letter, or another check has the same name
     */
    public Builder check(TenantHealthCheck check) {
      Objects.requireNonNull(check, "check");
      String name = Objects.requireNonNull(check.name(), "check name");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("a health check's name is lower-case letters, digits and '-', starting with"
            + " a letter (it is a JSON key in the admin API); " + check.getClass().getName() + " is named '" + name
            + "'");
      }
      if (!names.add(name)) {
        throw new IllegalArgumentException("two health checks are named '" + name + "'; names must be unique");
      }
      checks.add(check);
      return this;
    }

    /**
     * Finds tenants through the service, which also resolves each tenant's configuration for its scope.
     *
     * @param service the tenant service
     * @return this builder
     */
    public Builder tenants(TenantService service) {
      Objects.requireNonNull(service, "service");
      return source(TenantSource.of(service));
    }

    /**
     * Finds tenants in a store; their scopes carry no configuration ({@code EffectiveConfiguration.none()}).
     *
     * @param store the tenant store
     * @return this builder
     */
    public Builder tenants(TenantStore store) {
      Objects.requireNonNull(store, "store");
      return source(TenantSource.of(store));
    }

    /**
     * @param count the most checks running at once, at least 1 (default {@value #DEFAULT_PARALLELISM}); each may hold
     *     a database connection, so keep it below the pool's size
     * @return this builder
     */
    public Builder parallelism(int count) {
      if (parallelismSet) {
        throw new IllegalStateException("parallelism was already set");
      }
      if (count < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, was " + count);
      }
      this.parallelism = count;
      this.parallelismSet = true;
      return this;
    }

    /**
     * @param limit how long one check may run before it is reported {@code DOWN} and interrupted (default 30 s)
     * @return this builder
     */
    public Builder timeout(Duration limit) {
      if (timeoutSet) {
        throw new IllegalStateException("timeout was already set");
      }
      Objects.requireNonNull(limit, "limit");
      if (limit.isNegative() || limit.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + limit);
      }
      this.timeout = limit;
      this.timeoutSet = true;
      return this;
    }

    /**
     * @param time stamps {@link PlatformVerification#startedAt()}
     * @return this builder
     */
    public Builder clock(Clock time) {
      this.clock = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * @return the runner
     * @throws IllegalStateException if no tenant source or no check was given
     */
    public TenantHealthChecks build() {
      if (tenants == null) {
        throw new IllegalStateException("give the runner its tenants: tenants(tenantService) or tenants(tenantStore)");
      }
      if (checks.isEmpty()) {
        throw new IllegalStateException("add at least one check, e.g. check(AuditChainCheck.builder()...build())");
      }
      return new TenantHealthChecks(this, tenants);
    }

    private Builder source(TenantSource source) {
      if (tenants != null) {
        throw new IllegalStateException("the tenants were already given");
      }
      this.tenants = source;
      return this;
    }
  }
}
