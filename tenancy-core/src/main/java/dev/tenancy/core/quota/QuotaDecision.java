package dev.tenancy.core.quota;

import dev.tenancy.core.TenantId;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What {@link QuotaManager} answers for one request: allow, allow with a warning (a soft threshold was crossed), or
 * deny — with the resource, the limit, what is left and when to retry, which is all a 429 response needs.
 *
 * <pre>{@code
 * QuotaDecision decision = quotas.check(tenant);
 * decision.rateLimitHeaders().ifPresent(h -> {
 *   response.setHeader("RateLimit-Limit", Long.toString(h.limit()));
 *   response.setHeader("RateLimit-Remaining", Long.toString(h.remaining()));
 *   response.setHeader("RateLimit-Reset", Long.toString(h.resetSeconds()));
 * });
 * if (!decision.isAllowed()) {
 *   response.setHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
 *   response.sendError(429);
 *   return;
 * }
 * try (QuotaPermit permit = decision.permit()) {
 *   chain.doFilter(request, response);
 * }
 * }</pre>
 */
public final class QuotaDecision {

  /** The three answers. */
  public enum Outcome {
    /** Within every limit. */
    ALLOW,
    /** Within every limit, but a resource crossed the soft threshold (default 80 %): tell the client. */
    ALLOW_WITH_WARNING,
    /** Over a limit: the work must not run, and nothing was consumed. */
    DENY
  }

  private final TenantId tenant;
  private final Outcome outcome;
  private final @Nullable QuotaResource resource;
  private final long limit;
  private final long used;
  private final Duration retryAfter;
  private final @Nullable RateLimitHeaders headers;
  private final QuotaPermit permit;

  private QuotaDecision(TenantId tenant, Outcome outcome, @Nullable QuotaResource resource, long limit, long used,
      Duration retryAfter, @Nullable RateLimitHeaders headers, QuotaPermit permit) {
    this.tenant = tenant;
    this.outcome = outcome;
    this.resource = resource;
    this.limit = limit;
    this.used = used;
    this.retryAfter = retryAfter;
    this.headers = headers;
    this.permit = permit;
  }

  static QuotaDecision allow(TenantId tenant, @Nullable RateLimitHeaders headers, QuotaPermit permit) {
    return new QuotaDecision(tenant, Outcome.ALLOW, null, 0, 0, Duration.ZERO, headers, permit);
  }

  static QuotaDecision warn(TenantId tenant, QuotaResource resource, long used, long limit,
      @Nullable RateLimitHeaders headers, QuotaPermit permit) {
    return new QuotaDecision(tenant, Outcome.ALLOW_WITH_WARNING, resource, limit, used, Duration.ZERO, headers, permit);
  }

  static QuotaDecision deny(TenantId tenant, QuotaResource resource, long used, long limit, Duration retryAfter,
      @Nullable RateLimitHeaders headers) {
    Objects.requireNonNull(retryAfter, "retryAfter");
    return new QuotaDecision(tenant, Outcome.DENY, resource, limit, used, retryAfter, headers, QuotaPermit.NONE);
  }

  /** @return the tenant the decision is for */
  public TenantId tenant() {
    return tenant;
  }

  /** @return allow, allow with warning, or deny */
  public Outcome outcome() {
    return outcome;
  }

  /** @return {@code true} for {@link Outcome#ALLOW} and {@link Outcome#ALLOW_WITH_WARNING} */
  public boolean isAllowed() {
    return outcome != Outcome.DENY;
  }

  /**
   * The resource that was refused, or that crossed the soft threshold.
   *
   * @return the resource; empty for a plain {@link Outcome#ALLOW}
   */
  public Optional<QuotaResource> resource() {
    return Optional.ofNullable(resource);
  }

  /** @return the limit of {@link #resource()} in effect for this decision; 0 when there is no resource */
  public long limit() {
    return limit;
  }

  /** @return how much of {@link #resource()} is used, counting this request if it was admitted; 0 without resource */
  public long used() {
    return used;
  }

  /** @return how much of {@link #resource()} is left; 0 after a denial and when there is no resource */
  public long remaining() {
    return Math.max(0, limit - used);
  }

  /**
   * How long the client should wait before trying again: from the rate limiter for {@link QuotaResource#RATE_LIMIT},
   * until the period's end for {@link QuotaResource#API_CALLS}, one second for {@link QuotaResource#CONCURRENCY},
   * the lease time for {@link QuotaResource#CONCURRENT_USERS}; zero for {@link QuotaResource#STORAGE}, which frees
   * up only when the tenant deletes data.
   *
   * @return the delay; zero when allowed
   */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** @return {@link #retryAfter()} in whole seconds, rounded up, as the {@code Retry-After} header carries it */
  public long retryAfterSeconds() {
    return ceilSeconds(retryAfter);
  }

  /**
   * The {@code RateLimit-*} header values: of the policy that refused, or, when allowed, of the rate limit or the
   * monthly quota, whichever has the smaller share left.
   *
   * @return the values; empty when the tenant has neither a rate limit nor a monthly quota
   */
  public Optional<RateLimitHeaders> rateLimitHeaders() {
    return Optional.ofNullable(headers);
  }

  /**
   * The concurrency slot of an admitted request; close it when the work is done (also when it throws).
   *
   * @return the permit (one that holds nothing when the tenant has no concurrency limit)
   * @throws QuotaExceededException if the decision is a denial: the work must not run
   */
  public QuotaPermit permit() {
    if (outcome == Outcome.DENY) {
      throw new QuotaExceededException(this);
    }
    return permit;
  }

  static long ceilSeconds(Duration duration) {
    long seconds = duration.getSeconds();
    return duration.getNano() > 0 ? seconds + 1 : seconds;
  }

  @Override
  public String toString() {
    return resource == null ? "QuotaDecision[" + outcome + "]"
        : "QuotaDecision[" + outcome + " " + resource + " " + used + "/" + limit + ", retryAfter=" + retryAfter + "]";
  }
}
