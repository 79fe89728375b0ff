package dev.tenancy.core.task;

import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs one job for each of many tenants — nightly digests, per-tenant migrations, usage roll-ups — each inside that
 * tenant's scope, with bounded parallelism, and with one tenant's failure recorded instead of stopping the others.
 *
 * <p>Callers choose the tenants; usually only the serving ones ({@code TRIAL}/{@code ACTIVE}), which a later
 * {@code TenantService} helper will provide.
 *
 * <p>Interruption: if the calling thread is interrupted while it waits, jobs that have not started never start,
 * running jobs are interrupted, and the call throws {@link InterruptedException} at once, without waiting for the
 * interrupted jobs to return (each still closes its own tenant scope when it does).
 *
 * <pre>{@code
 * TenantRunReport report = TenantTasks.forEachTenant(tenants, 4, tenant -> usage.rollUpYesterday());
 * report.throwIfAnyFailed();
 * }</pre>
 */
public final class TenantTasks {

  private static final AtomicLong RUNS = new AtomicLong();

  private TenantTasks() {
  }

  /**
   * Runs a job once for each tenant on a short-lived pool of at most {@code parallelism} threads (named
   * {@code tenancy-tasks-<run>-<n>}), waits for all of them, and shuts the pool down. Each job runs inside
   * {@link TenantContext#enter} for its tenant; a tenant listed twice runs once.
   *
   * @param tenants the tenants to run the job for
   * @param parallelism the most jobs running at once, at least 1
   * @param job the job; it receives its tenant, which is also in scope
   * @return which tenants succeeded and which failed
   * @throws InterruptedException if the calling thread is interrupted while waiting (see the class documentation)
   * @throws IllegalArgumentException if {@code parallelism} is below 1
   */
  public static TenantRunReport forEachTenant(Iterable<TenantInfo> tenants, int parallelism, Consumer<TenantInfo> job)
      throws InterruptedException {
    List<TenantInfo> distinct = distinct(tenants);
    requirePositive(parallelism);
    Objects.requireNonNull(job, "job");
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallelism, distinct.size())),
        namedThreads("tenancy-tasks-" + RUNS.incrementAndGet() + "-"));
    boolean finished = false;
    try {
      TenantRunReport report = run(distinct, pool, parallelism, job);
      finished = true;
      return report;
    } finally {
      if (finished) {
        pool.shutdown();
      } else {
        pool.shutdownNow();
      }
    }
  }

  /**
   * Runs a job once for each tenant on the given executor, at most {@code parallelism} at once, and waits for all of
   * them. Each job runs inside {@link TenantContext#enter} for its tenant, so the executor needs no tenant awareness,
   * and its threads hold no tenant afterwards; a tenant listed twice runs once. The executor is not shut down. If it
   * rejects a job, that tenant is reported as failed with the {@link RejectedExecutionException}; an executor that
   * silently discards tasks (such as one with a {@code DiscardPolicy}) would make this call wait forever.
   *
   * @param tenants the tenants to run the job for
   * @param executor where the jobs run
   * @param parallelism the most jobs running at once, at least 1
   * @param job the job; it receives its tenant, which is also in scope
   * @return which tenants succeeded and which failed
   * @throws InterruptedException if the calling thread is interrupted while waiting (see the class documentation)
   * @throws IllegalArgumentException if {@code parallelism} is below 1
   */
  public static TenantRunReport forEachTenant(Iterable<TenantInfo> tenants, Executor executor, int parallelism,
      Consumer<TenantInfo> job) throws InterruptedException {
    List<TenantInfo> distinct = distinct(tenants);
    Objects.requireNonNull(executor, "executor");
    requirePositive(parallelism);
    Objects.requireNonNull(job, "job");
    return run(distinct, executor, parallelism, job);
  }

  private static TenantRunReport run(List<TenantInfo> tenants, Executor executor, int parallelism,
      Consumer<TenantInfo> job) throws InterruptedException {
    long start = System.nanoTime();
    Semaphore permits = new Semaphore(parallelism);
    CountDownLatch remaining = new CountDownLatch(tenants.size());
    List<TenantJob> jobs = new ArrayList<>(tenants.size());
    try {
      for (TenantInfo tenant : tenants) {
        // Acquiring before handing over bounds the jobs in flight on any executor, even an unbounded one, and keeps
        // a slow run from queueing every tenant at once.
        permits.acquire();
        TenantJob tenantJob = new TenantJob(tenant, job, permits, remaining);
        jobs.add(tenantJob);
        try {
          executor.execute(tenantJob);
        } catch (RejectedExecutionException e) {
          tenantJob.reject(e);
        }
      }
      remaining.await();
    } catch (InterruptedException e) {
      jobs.forEach(j -> j.cancel(true));
      throw e;
    }
    return report(jobs, Duration.ofNanos(System.nanoTime() - start));
  }

  private static TenantRunReport report(List<TenantJob> jobs, Duration elapsed) throws InterruptedException {
    List<TenantId> succeeded = new ArrayList<>();
    Map<TenantId, Throwable> failed = new LinkedHashMap<>();
    for (TenantJob job : jobs) {
      try {
        job.get();  // already done: the latch opened
        succeeded.add(job.tenant.id());
      } catch (ExecutionException e) {
        failed.put(job.tenant.id(), e.getCause());
      } catch (CancellationException e) {
        // Only an executor that cancels the tasks it was given gets here (we cancel only when interrupted).
        failed.put(job.tenant.id(), e);
      }
    }
    return new TenantRunReport(succeeded, failed, elapsed);
  }

  private static List<TenantInfo> distinct(Iterable<TenantInfo> tenants) {
    Objects.requireNonNull(tenants, "tenants");
    Map<TenantId, TenantInfo> byId = new LinkedHashMap<>();
    for (TenantInfo tenant : tenants) {
      byId.putIfAbsent(Objects.requireNonNull(tenant, "tenant").id(), tenant);
    }
    return List.copyOf(byId.values());
  }

  private static void requirePositive(int parallelism) {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
    }
  }

  private static ThreadFactory namedThreads(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return task -> {
      Thread thread = new Thread(task, prefix + next.incrementAndGet());
      // A job that ignores interruption must not keep the JVM alive after its caller gave up on it.
      thread.setDaemon(true);
      return thread;
    };
  }

  /** One tenant's job; gives back its permit and counts down however it ends (success, failure, cancellation). */
  private static final class TenantJob extends FutureTask<Void> {

    final TenantInfo tenant;
    private final Semaphore permits;
    private final CountDownLatch remaining;

    TenantJob(TenantInfo tenant, Consumer<TenantInfo> job, Semaphore permits, CountDownLatch remaining) {
      super(() -> {
        TenantContext.run(tenant, () -> job.accept(tenant));
        return null;
      });
      this.tenant = tenant;
      this.permits = permits;
      this.remaining = remaining;
    }

    void reject(RejectedExecutionException e) {
      setException(e);
    }

    @Override
    protected void done() {
      permits.release();
      remaining.countDown();
    }
  }
}
