package dev.tenancy.core.identity;

import dev.tenancy.core.TenantId;
import org.jspecify.annotations.Nullable;

/**
 * A refusal on its way from deep inside verification to {@link TenantTokenService#verify}, which audits it and turns
 * it into an {@link InvalidTokenException}. Carries what was verifiably known when the token was refused. Without a
 * stack trace: forged tokens are cheap to send, so refusing them must be cheap too.
 */
final class TokenRejection extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final InvalidTokenReason reason;
  final transient @Nullable TenantId tenant;
  final transient @Nullable TenantId claimedTenant;
  final @Nullable String subject;
  final @Nullable String issuer;

  TokenRejection(InvalidTokenReason reason, @Nullable TenantId tenant, @Nullable TenantId claimedTenant,
      @Nullable String subject, @Nullable String issuer) {
    super(reason.name(), null, false, false);
    this.reason = reason;
    this.tenant = tenant;
    this.claimedTenant = claimedTenant;
    this.subject = subject;
    this.issuer = issuer;
  }

  /** A refusal before anything about the token could be trusted. */
  static TokenRejection of(InvalidTokenReason reason) {
    return new TokenRejection(reason, null, null, null, null);
  }

  InvalidTokenException toException() {
    return new InvalidTokenException(reason, tenant);
  }
}
