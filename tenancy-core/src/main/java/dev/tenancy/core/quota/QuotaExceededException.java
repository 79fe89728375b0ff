package dev.tenancy.core.quota;

import dev.tenancy.core.TenancyException;

/**
 * Thrown by {@link QuotaDecision#permit()} for a denied decision: the tenant is over one of its limits and the work
 * must not run. Answer it with HTTP 429 (or 507 for {@link QuotaResource#STORAGE}) and the decision's
 * {@link QuotaDecision#retryAfter() retryAfter}.
 */
public final class QuotaExceededException extends TenancyException {
  private static final long serialVersionUID = 1L;

  private final transient QuotaDecision decision;

  /**
   * Creates the exception.
   *
   * @param decision the denial
   */
  QuotaExceededException(QuotaDecision decision) {
    super("Tenant " + decision.tenant() + " is over its " + decision.resource().map(Enum::name).orElse("?")
        + " limit (" + decision.used() + " of " + decision.limit() + "); retry after " + decision.retryAfterSeconds()
        + " s, or raise the tenant's limit or tier");
    this.decision = decision;
  }

  /**
   * The denial, with the resource, limit and {@code retryAfter} a response needs.
   *
   * @return the decision
   */
  public QuotaDecision decision() {
    return decision;
  }
}
