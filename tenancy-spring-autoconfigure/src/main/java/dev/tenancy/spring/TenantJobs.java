package dev.tenancy.spring;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantPage;
import dev.tenancy.core.TenantQuery;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.task.TenantRunReport;
import dev.tenancy.core.task.TenantTasks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job once for every serving tenant ({@code ACTIVE} or {@code TRIAL}), each inside that tenant's scope, so a
 * {@code @Scheduled} method can do per-tenant work through the same tenant-bound DataSource and services as a
 * request does. One tenant's failure is logged and reported; it never stops the others.
 *
 * <pre>{@code
 * @Scheduled(cron = "0 0 3 * * *")
 * void nightlyDigest() {
 *   jobs.forEachActiveTenant("nightly-digest", tenant -> digests.sendFor(tenant.slug()))
 *       .throwIfAnyFailed();
 * }
 * }</pre>
 */
public final class TenantJobs {

  /** The actor named in the platform-access log when a job lists the tenants. */
  static final String ACTOR = "tenancy-jobs";

  private static final Logger LOG = LoggerFactory.getLogger(TenantJobs.class);

  private final TenantService tenants;
  private final int parallelism;

  /**
   * @param tenants where the tenants are listed
   * @param parallelism the most tenants whose job runs at once, at least 1
   * @throws IllegalArgumentException if {@code parallelism} is below 1
   */
  public TenantJobs(TenantService tenants, int parallelism) {
    this.tenants = Objects.requireNonNull(tenants, "tenants");
    if (parallelism < 1) {
      throw new IllegalArgumentException("tenancy.jobs.parallelism must be at least 1, was " + parallelism);
    }
    this.parallelism = parallelism;
  }

  /**
   * Lists the serving tenants as the platform (announced with the reason {@code "scheduled job <jobName>"}), then
   * runs {@code work} once for each inside that tenant's scope, at most {@code tenancy.jobs.parallelism} at once,
   * and waits for all of them. A tenant whose configuration cannot be resolved (its tier was removed) is reported as
   * failed without running.
   *
   * @param jobName the job's name, for the platform-access log and the failure log
   * @param work the work; it receives its tenant, which is also in scope
   * @return which tenants succeeded and which failed, with what
   * @throws CancellationException if the calling thread is interrupted while it waits (the interrupt flag is kept);
   *     jobs not yet started do not start
   */
  public TenantRunReport forEachActiveTenant(String jobName, Consumer<TenantInfo> work) {
    Objects.requireNonNull(jobName, "jobName");
    Objects.requireNonNull(work, "work");
    long start = System.nanoTime();
    Map<TenantId, Throwable> unresolved = new LinkedHashMap<>();
    List<TenantInfo> serving = listServing(jobName, unresolved);
    TenantRunReport run;
    try {
      run = TenantTasks.forEachTenant(serving, parallelism, work);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      CancellationException cancelled = new CancellationException("job " + jobName + " was interrupted");
      cancelled.initCause(e);
      throw cancelled;
    }
    Map<TenantId, Throwable> failed = new LinkedHashMap<>(unresolved);
    failed.putAll(run.failed());
    TenantRunReport report = new TenantRunReport(run.succeeded(), failed,
        Duration.ofNanos(System.nanoTime() - start));
    log(jobName, report);
    return report;
  }

  private List<TenantInfo> listServing(String jobName, Map<TenantId, Throwable> unresolved) {
    try {
      return TenantContext.asPlatform(ACTOR, "scheduled job " + jobName, () -> {
        List<TenantInfo> serving = new ArrayList<>();
        // Paging through all tenants once rather than one query per serving status: a tenant that moves from TRIAL
        // to ACTIVE between two queries would otherwise be seen twice or not at all.
        TenantQuery query = new TenantQuery(null, null, null, 0, TenantQuery.MAX_SIZE);
        TenantPage page;
        do {
          page = tenants.list(query);
          for (Tenant tenant : page.items()) {
            if (tenant.status().isServing()) {
              try {
                serving.add(tenants.info(tenant));
              } catch (RuntimeException e) {
                unresolved.put(tenant.id(), e);
              }
            }
          }
          query = query.withPage(query.page() + 1);
        } while (page.hasNext());
        return serving;
      });
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // The action above throws nothing checked; this keeps the compiler honest about Callable.
      throw new IllegalStateException("listing the tenants for job " + jobName + " failed", e);
    }
  }

  private static void log(String jobName, TenantRunReport report) {
    report.failed().forEach((tenant, failure) ->
        LOG.warn("job {} failed for tenant {}", jobName, tenant, failure));
    LOG.info("job {} ran for {} tenants in {}: {} succeeded, {} failed", jobName,
        report.succeeded().size() + report.failed().size(), report.elapsed(), report.succeeded().size(),
        report.failed().size());
  }
}
