package dev.tenancy.servlet;

import java.net.URI;

/**
 * The problem types of the HTTP contract (RFC 9457): each has a stable code, a URI
 * {@code https://tenancy.dev/problems/<code>}, a title and the one status it is sent with.
 *
 * @since 0.1.0
 */
public enum ProblemType {
  /** The bearer token is missing, malformed, tampered, expired, or from an untrusted issuer or audience. */
  INVALID_TOKEN("invalid-token", "Invalid or missing credentials", 401),
  /** Authenticated, but not allowed to do this. */
  FORBIDDEN("forbidden", "Forbidden", 403),
  /** The request names a tenant other than the caller's. */
  CROSS_TENANT_ACCESS("cross-tenant-access", "Cross-tenant access denied", 403),
  /** The tenant is not serving requests (suspended, or otherwise not TRIAL/ACTIVE). */
  TENANT_SUSPENDED("tenant-suspended", "Tenant suspended", 403),
  /** A monthly quota or the concurrency bulkhead refused the request. */
  QUOTA_EXCEEDED("quota-exceeded", "Quota exceeded", 429),
  /** The per-second rate limit refused the request. */
  RATE_LIMITED("rate-limited", "Rate limit exceeded", 429),
  /** The request body or parameters are invalid (including malformed JSON). */
  VALIDATION_FAILED("validation-failed", "Validation failed", 400),
  /** The request conflicts with the resource's state (slug taken, version mismatch, illegal transition). */
  CONFLICT("conflict", "Conflict", 409),
  /** No such resource, or none the caller may see. */
  NOT_FOUND("not-found", "Not found", 404),
  /** The request body is larger than allowed. */
  PAYLOAD_TOO_LARGE("payload-too-large", "Payload too large", 413),
  /** The request body has a content type the endpoint does not accept. */
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported media type", 415),
  /** The server failed; the trace id lets an operator find out why. */
  INTERNAL("internal", "Internal server error", 500),
  /**
   * A service the request depends on (the quota store) is unreachable; retry after {@code Retry-After}.
   *
   * @since 0.1.0
   */
  UNAVAILABLE("unavailable", "Service unavailable", 503);

  /** The prefix of every problem type URI. */
  public static final String BASE = "https://tenancy.dev/problems/";

  private final String code;
  private final String title;
  private final int status;
  private final URI type;

  ProblemType(String code, String title, int status) {
    this.code = code;
    this.title = title;
    this.status = status;
    this.type = URI.create(BASE + code);
  }

  /** @return the stable code, e.g. {@code cross-tenant-access} */
  public String code() {
    return code;
  }

  /** @return the short human-readable summary that goes into {@code title} */
  public String title() {
    return title;
  }

  /** @return the HTTP status this problem is sent with */
  public int status() {
    return status;
  }

  /** @return the {@code type} URI, {@code https://tenancy.dev/problems/<code>} */
  public URI type() {
    return type;
  }
}
