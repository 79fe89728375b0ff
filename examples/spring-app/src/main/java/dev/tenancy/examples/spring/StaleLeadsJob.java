package dev.tenancy.examples.spring;

import dev.tenancy.core.task.TenantRunReport;
import dev.tenancy.spring.TenantJobs;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Marks leads nobody touched for {@code crm.stale-leads.after} (default 30 days) as stale, every
 * {@code crm.stale-leads.interval}. The starter's {@link TenantJobs} runs the work once per active agency, each run
 * inside that agency's tenant scope, so the same {@link LeadStore} calls that serve requests reach exactly that
 * agency's rows, and one agency's failure does not stop the others.
 */
@Component
public class StaleLeadsJob {

  /** The job's name in logs, reports and the activity rows it writes. */
  public static final String NAME = "crm.stale-leads";

  private static final Logger LOG = LoggerFactory.getLogger(StaleLeadsJob.class);

  private final TenantJobs jobs;
  private final LeadStore leads;
  private final Duration staleAfter;
  private final Clock clock;

  /**
   * @param jobs the starter's per-tenant job runner
   * @param leads the store
   * @param staleAfter how long a lead may stay untouched
   */
  @Autowired
  public StaleLeadsJob(TenantJobs jobs, LeadStore leads, @Value("${crm.stale-leads.after:30d}") Duration staleAfter) {
    this(jobs, leads, staleAfter, Clock.systemUTC());
  }

  StaleLeadsJob(TenantJobs jobs, LeadStore leads, Duration staleAfter, Clock clock) {
    this.jobs = jobs;
    this.leads = leads;
    this.staleAfter = staleAfter;
    this.clock = clock;
  }

  /**
   * One run over every active agency; the scheduler calls it, and so may an operator or a test.
   *
   * @return which agencies' runs succeeded and which failed
   */
  @Scheduled(fixedDelayString = "${crm.stale-leads.interval:PT1H}",
      initialDelayString = "${crm.stale-leads.initial-delay:PT1M}")
  public TenantRunReport markStaleLeads() {
    TenantRunReport report = jobs.forEachActiveTenant(NAME,
        tenant -> leads.markStale(clock.instant().minus(staleAfter), "job:" + NAME));
    if (!report.allSucceeded()) {
      LOG.warn("{}: {} agencies failed: {}", NAME, report.failed().size(), report.failed().keySet());
    }
    return report;
  }
}
