package dev.tenancy.examples.spring;

import java.util.Objects;
import java.util.UUID;

/**
 * Published after a lead is stored, on the request's thread. It carries no tenant: whoever handles it, on whatever
 * thread, works in the tenant the starter's {@code TaskDecorator} carried over from the request.
 *
 * @param leadId the new lead
 * @param actor the subject who created it
 */
public record LeadCreated(UUID leadId, String actor) {

  /** Checks the parts. */
  public LeadCreated {
    Objects.requireNonNull(leadId, "leadId");
    Objects.requireNonNull(actor, "actor");
  }
}
