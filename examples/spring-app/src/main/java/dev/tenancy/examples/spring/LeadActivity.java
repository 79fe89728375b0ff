package dev.tenancy.examples.spring;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Something that happened to a lead, written by background work (the {@code @Async} listener, the scheduled job)
 * rather than by the request that caused it, which is why it shows whether the tenant travelled with that work.
 *
 * @param leadId the lead
 * @param kind what happened, e.g. {@code created} or {@code marked-stale}
 * @param actor who or what did it, e.g. the agent's subject or {@code job:crm.stale-leads}
 * @param recordedAt when the row was written
 */
public record LeadActivity(UUID leadId, String kind, String actor, Instant recordedAt) {

  /** Checks the parts. */
  public LeadActivity {
    Objects.requireNonNull(leadId, "leadId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(recordedAt, "recordedAt");
  }
}
