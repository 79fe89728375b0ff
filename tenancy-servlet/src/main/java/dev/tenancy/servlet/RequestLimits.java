package dev.tenancy.servlet;

import static dev.tenancy.servlet.TenantFilter.QUOTA_WARNING_HEADER;

import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.quota.QuotaDecision;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.quota.QuotaResource;
import dev.tenancy.core.quota.QuotaStoreUnavailableException;
import dev.tenancy.core.quota.RateLimitHeaders;
import dev.tenancy.core.spi.TenantMetricsRecorder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rate limit, monthly quota and bulkhead for one request through {@link QuotaManager#check}, turned into response
 * headers, or into a 429 (or 503 when the quota store cannot answer) before any work is done.
 */
final class RequestLimits {

  private static final Logger LOG = LoggerFactory.getLogger(RequestLimits.class);

  private final QuotaManager quotas;
  private final TenantMetricsRecorder metrics;

  RequestLimits(QuotaManager quotas, TenantMetricsRecorder metrics) {
    this.quotas = quotas;
    this.metrics = metrics;
  }


  /** @return the admitting decision (whose permit the caller closes), or {@code null} after writing a refusal */
  @Nullable QuotaDecision admit(HttpServletRequest request, HttpServletResponse response, TenantInfo info) {
    QuotaDecision decision;
    try {
      decision = quotas.check(info);
    } catch (QuotaStoreUnavailableException e) {
      LOG.error("Quota store unavailable; refusing the request of tenant {} (fail closed)", info.id(), e);
      response.setHeader("Retry-After", "1");
      Refusal.send(request, response, ProblemType.UNAVAILABLE, "The service is temporarily unavailable; retry shortly.");
      return null;
    }
    decision.rateLimitHeaders().ifPresent(h -> rateLimitHeaders(response, h));
    if (decision.isAllowed()) {
      if (decision.outcome() == QuotaDecision.Outcome.ALLOW_WITH_WARNING) {
        QuotaResource resource = decision.resource().orElseThrow();
        response.setHeader(QUOTA_WARNING_HEADER, resource.limit().key() + "; used=" + decision.used() + "; limit="
            + decision.limit());
      }
      return decision;
    }
    QuotaResource resource = decision.resource().orElseThrow();
    try {
      metrics.recordThrottled(info.id(), resource);
    } catch (RuntimeException e) {
      LOG.warn("Tenant metrics recorder failed; ignored", e);
    }
    response.setHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
    ProblemType type = resource == QuotaResource.RATE_LIMIT ? ProblemType.RATE_LIMITED : ProblemType.QUOTA_EXCEEDED;
    String detail = switch (resource) {
      case RATE_LIMIT -> "Too many requests per second; retry after " + decision.retryAfterSeconds() + " s.";
      case CONCURRENCY -> "Too many requests in flight at once (limit " + decision.limit() + ").";
      default -> "The " + resource.limit().key() + " quota is used up (" + decision.used() + " of "
          + decision.limit() + ").";
    };
    Refusal.send(request, response, Problem.of(type, detail)
        .with("limit", resource.limit().key())
        .with("used", decision.used())
        .with("max", decision.limit()));
    return null;
  }

  private static void rateLimitHeaders(HttpServletResponse response, RateLimitHeaders headers) {
    response.setHeader("RateLimit-Limit", Long.toString(headers.limit()));
    response.setHeader("RateLimit-Remaining", Long.toString(headers.remaining()));
    response.setHeader("RateLimit-Reset", Long.toString(headers.resetSeconds()));
  }
}
