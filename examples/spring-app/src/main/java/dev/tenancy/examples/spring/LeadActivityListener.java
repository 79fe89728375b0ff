package dev.tenancy.examples.spring;

import dev.tenancy.core.TenantContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Async;
import org.springframework.stereotype.Component;

/**
 * Writes the {@code created} activity of a new lead off the request thread. {@code @Async} runs it on Spring Boot's
 * task executor, to which the starter applies a {@code TaskDecorator} that carries the request's tenant: the row
 * lands in the same agency's table as the lead, although nothing here names the agency.
 */
@Component
public class LeadActivityListener {

  private static final Logger LOG = LoggerFactory.getLogger(LeadActivityListener.class);

  private final LeadStore leads;

  /**
   * @param leads the store
   */
  public LeadActivityListener(LeadStore leads) {
    this.leads = leads;
  }

  /**
   * Records that the lead was created.
   *
   * @param event the new lead
   */
  @Async
  @EventListener
  public void onLeadCreated(LeadCreated event) {
    leads.addActivity(event.leadId(), "created", event.actor());
    LOG.debug("Recorded the creation of lead {} for tenant {}", event.leadId(),
        TenantContext.current().map(t -> t.id().toString()).orElse("none"));
  }
}
