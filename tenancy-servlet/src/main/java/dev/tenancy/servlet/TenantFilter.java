package dev.tenancy.servlet;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.alert.AlertCenter;
import dev.tenancy.core.alert.AlertKind;
import dev.tenancy.core.alert.AlertSeverity;
import dev.tenancy.core.audit.AuditActorType;
import dev.tenancy.core.audit.AuditCategory;
import dev.tenancy.core.audit.AuditEvent;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.audit.AuditOutcome;
import dev.tenancy.core.identity.AccessControl;
import dev.tenancy.core.identity.InvalidTokenException;
import dev.tenancy.core.identity.InvalidTokenReason;
import dev.tenancy.core.identity.PrincipalScope;
import dev.tenancy.core.identity.RoleCatalog;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.quota.QuotaDecision;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.quota.QuotaPermit;
import dev.tenancy.core.quota.QuotaResource;
import dev.tenancy.core.quota.QuotaStoreUnavailableException;
import dev.tenancy.core.quota.RateLimitHeaders;
import dev.tenancy.core.spi.TenantMetricsRecorder;
import dev.tenancy.servlet.resolve.TenantResolver;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The servlet filter every tenant request goes through, as in "A request, end to end": verify the bearer token,
 * resolve the tenant from every configured source and require them to agree, require a serving tenant, then rate
 * limit, quota and bulkhead before any work, then run the application inside a {@link TenantContext} scope, a
 * principal scope and the MDC, and record per-tenant metrics. Every refusal is an RFC 9457 problem (see
 * {@link ProblemType}) that never names another tenant, carries a stack trace or SQL.
 *
 * <p><b>Paths</b> (without the context path): only paths under {@link Builder#apiPrefix} ({@code /api/}) are
 * filtered; {@link Builder#publicPath public paths} (default {@code /api/v1/auth/token}) need no token;
 * {@link Builder#platformPath platform paths} (default {@code /api/v1/admin/}) need a verified token but no tenant
 * (the servlet behind them checks roles); every other API path needs a tenant.
 *
 * <p><b>Platform operators</b> (role {@value TenantPrincipal#PLATFORM_ADMIN}) act inside a tenant only with both
 * {@code X-Tenant-ID} and {@code X-Access-Reason}; the request then runs under
 * {@link TenantContext#asPlatform(String, String, TenantInfo, java.util.concurrent.Callable)} and is audited as
 * platform access.
 *
 * <pre>{@code
 * AlertCenter alerts = AlertCenter.builder().build();
 * QuotaManager quotas = QuotaManager.builder().store(quotaStore).listener(alerts.quotaAlertListener()).build();
 * TenantFilter filter = TenantFilter.builder()
 *     .tokens(tokenService)                 // built with .audit(auditLog): refused tokens are audited
 *     .tenants(tenantService)
 *     .quotas(quotas)
 *     .audit(auditLog)
 *     .alerts(alerts)
 *     .metrics(MicrometerTenantMetrics.builder().registry(registry).alerts(alerts).build())
 *     .resolvers(TenantResolver.tokenClaim(), TenantResolver.header("X-Tenant-ID"),
 *         TenantResolver.subdomain("example.com"))
 *     .apiVersions("2025-01", "2024-06", "2025-01")
 *     .build();
 * context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
 * }</pre>
 *
 * @since 0.1.0
 */
public final class TenantFilter implements Filter {

  /** The default {@link Builder#maxBodyBytes(long)}: 1 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
  /** The header naming the tenant a platform operator acts in (and one of the default resolvers). */
  public static final String TENANT_HEADER = "X-Tenant-ID";
  /** The header a platform operator states the reason for acting in a tenant with. */
  public static final String ACCESS_REASON_HEADER = "X-Access-Reason";
  /** The request and response header carrying the API version. */
  public static final String API_VERSION_HEADER = "Tenancy-Api-Version";
  /** The response header set when a quota crossed its soft threshold. */
  public static final String QUOTA_WARNING_HEADER = "Tenancy-Quota-Warning";
  /** The response header carrying the trace id. */
  public static final String TRACE_HEADER = "X-Trace-Id";
  /** The MDC key of the trace id. */
  public static final String MDC_TRACE_ID = "traceId";
  /** The tenant setting listing the API versions a tenant may ask for per request (comma-separated). */
  public static final String ALLOWED_API_VERSIONS_SETTING = "allowedApiVersions";

  private static final Logger LOG = LoggerFactory.getLogger(TenantFilter.class);
  private static final int MAX_REASON_LENGTH = 500;

  private final TenantTokenService tokens;
  private final TenantService tenants;
  private final @Nullable QuotaManager quotas;
  private final @Nullable AuditLog audit;
  private final @Nullable AlertCenter alerts;
  private final TenantMetricsRecorder metrics;
  private final AccessControl access;
  private final List<TenantResolver> resolvers;
  private final String apiPrefix;
  private final List<String> publicPaths;
  private final List<String> platformPaths;
  private final long maxBodyBytes;
  private final @Nullable String defaultApiVersion;
  private final Set<String> supportedApiVersions;

  private TenantFilter(Builder builder) {
    this.tokens = Objects.requireNonNull(builder.tokens);
    this.tenants = Objects.requireNonNull(builder.tenants);
    this.quotas = builder.quotas;
    this.audit = builder.audit;
    this.alerts = builder.alerts;
    this.metrics = builder.metrics;
    this.access = builder.access == null ? AccessControl.of(RoleCatalog.builtIn()) : builder.access;
    this.resolvers = List.copyOf(builder.resolvers);
    this.apiPrefix = builder.apiPrefix;
    this.publicPaths = List.copyOf(builder.publicPaths);
    this.platformPaths = List.copyOf(builder.platformPaths);
    this.maxBodyBytes = builder.maxBodyBytes;
    this.defaultApiVersion = builder.defaultApiVersion;
    this.supportedApiVersions = Set.copyOf(builder.supportedApiVersions);
  }

  /** @return a builder; {@link Builder#tokens} and {@link Builder#tenants} are required */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    String path = path(request);
    if (!path.startsWith(apiPrefix) && !path.equals(apiPrefix.substring(0, apiPrefix.length() - 1))) {
      chain.doFilter(request, response);
      return;
    }
    String traceId = TraceIds.of(request.getHeader("traceparent"));
    request.setAttribute(TenancyRequest.TRACE_ID, traceId);
    response.setHeader(TRACE_HEADER, traceId);
    String previousTrace = MDC.get(MDC_TRACE_ID);
    MDC.put(MDC_TRACE_ID, traceId);
    try {
      filter(request, response, chain, path, traceId);
    } catch (RuntimeException e) {
      // A collaborator failed before the application ran (tenant store down, audit refused platform access):
      // fail closed, with a problem instead of the container's error page.
      LOG.error("Request {} {} refused: the filter could not decide it (trace {})", request.getMethod(), path,
          traceId, e);
      if (!response.isCommitted()) {
        refuse(request, response, ProblemType.INTERNAL,
            "The server failed to handle the request; quote the traceId when reporting it.");
      }
    } finally {
      if (previousTrace == null) {
        MDC.remove(MDC_TRACE_ID);
      } else {
        MDC.put(MDC_TRACE_ID, previousTrace);
      }
    }
  }

  private void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain, String path,
      String traceId) throws IOException, ServletException {
    long declared = request.getContentLengthLong();
    if (declared > maxBodyBytes) {
      tooLarge(request, response);
      return;
    }
    if (matches(path, publicPaths)) {
      run(request, response, chain, null, null, null);
      return;
    }
    TenantPrincipal principal = authenticate(request, response, traceId);
    if (principal == null) {
      return;
    }
    request.setAttribute(TenancyRequest.PRINCIPAL, principal);
    if (matches(path, platformPaths)) {
      run(request, response, chain, principal, null, null);
      return;
    }
    Tenant tenant = principal.isPlatform() ? platformTarget(request, response, principal)
        : ownTenant(request, response, principal, traceId);
    if (tenant == null) {
      return;
    }
    if (!tenant.status().isServing()) {
      refuse(request, response, ProblemType.TENANT_SUSPENDED, "The tenant is not serving requests.");
      return;
    }
    TenantInfo info = tenants.info(tenant);
    if (!pinApiVersion(request, response, info)) {
      return;
    }
    QuotaPermit permit = null;
    if (quotas != null) {
      QuotaDecision decision = admit(request, response, quotas, info);
      if (decision == null) {
        return;
      }
      permit = decision.permit();
    }
    request.setAttribute(TenancyRequest.TENANT, tenant);
    request.setAttribute(TenancyRequest.TENANT_INFO, info);
    String reason = principal.isPlatform() ? request.getHeader(ACCESS_REASON_HEADER) : null;
    if (reason != null) {
      auditPlatformAccess(request, principal, info, reason, traceId);
    }
    try {
      run(request, response, chain, principal, info, reason);
    } finally {
      if (permit != null) {
        permit.close();
      }
    }
  }

  // ------------------------------------------------------------------------------------------------ authentication

  private @Nullable TenantPrincipal authenticate(HttpServletRequest request, HttpServletResponse response,
      String traceId) {
    String header = request.getHeader("Authorization");
    String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim()
        : null;
    try {
      return tokens.verify(token, request.getRemoteAddr(), traceId);
    } catch (InvalidTokenException e) {
      if (e.reason() == InvalidTokenReason.TENANT_NOT_SERVING) {
        // The token is genuine; only its tenant is suspended: say so (the caller knows its own tenant).
        refuse(request, response, ProblemType.TENANT_SUSPENDED, "The tenant is not serving requests.");
      } else {
        response.setHeader("WWW-Authenticate", "Bearer");
        refuse(request, response, ProblemType.INVALID_TOKEN,
            header == null ? "An 'Authorization: Bearer <token>' header is required."
                : "The bearer token is invalid, expired or not trusted.");
      }
      return null;
    }
  }

  // ------------------------------------------------------------------------------------------------ resolution

  /** The caller's own tenant, after checking that every source that names a tenant names this one. */
  private @Nullable Tenant ownTenant(HttpServletRequest request, HttpServletResponse response,
      TenantPrincipal principal, String traceId) {
    TenantId own = Objects.requireNonNull(principal.tenant());
    Optional<Tenant> found = tenants.find(own);
    if (found.isEmpty()) {
      response.setHeader("WWW-Authenticate", "Bearer");
      refuse(request, response, ProblemType.INVALID_TOKEN, "The bearer token is invalid, expired or not trusted.");
      return null;
    }
    Tenant tenant = found.get();
    for (TenantResolver resolver : resolvers) {
      Optional<String> named = resolver.resolve(request, principal);
      if (named.isPresent() && !names(tenant, named.get())) {
        crossTenant(request, response, principal, tenant, resolver.source(), named.get(), traceId);
        return null;
      }
    }
    return tenant;
  }

  /** The tenant a platform operator acts in: named by the tenant header, with a reason, agreed by every source. */
  private @Nullable Tenant platformTarget(HttpServletRequest request, HttpServletResponse response,
      TenantPrincipal principal) {
    String named = request.getHeader(TENANT_HEADER);
    String reason = request.getHeader(ACCESS_REASON_HEADER);
    if (named == null || named.isBlank() || reason == null || reason.isBlank()) {
      refuse(request, response, ProblemType.FORBIDDEN, "A platform operator acts in a tenant only with both "
          + TENANT_HEADER + " and " + ACCESS_REASON_HEADER + " headers.");
      return null;
    }
    if (reason.length() > MAX_REASON_LENGTH) {
      refuse(request, response, ProblemType.FORBIDDEN, ACCESS_REASON_HEADER + " must be at most "
          + MAX_REASON_LENGTH + " characters.");
      return null;
    }
    Optional<Tenant> tenant = lookup(named.trim());
    if (tenant.isEmpty()) {
      refuse(request, response, ProblemType.FORBIDDEN, "No serving tenant matches " + TENANT_HEADER + ".");
      return null;
    }
    for (TenantResolver resolver : resolvers) {
      Optional<String> other = resolver.resolve(request, principal);
      if (other.isPresent() && !names(tenant.get(), other.get())) {
        refuse(request, response, Problem.of(ProblemType.CROSS_TENANT_ACCESS,
            "The request names more than one tenant (" + resolver.source() + " disagrees with " + TENANT_HEADER
                + ").").withInstance("urn:trace:" + TenancyRequest.traceId(request).orElse("")));
        return null;
      }
    }
    return tenant.get();
  }

  private Optional<Tenant> lookup(String reference) {
    if (TenantId.isValid(reference)) {
      return tenants.find(TenantId.of(reference));
    }
    String slug = reference.toLowerCase(Locale.ROOT);
    return TenantSlug.isValid(slug) ? tenants.findBySlug(TenantSlug.of(slug)) : Optional.empty();
  }

  /** Whether a raw reference (id or slug) names this tenant; compared without looking any other tenant up. */
  private static boolean names(Tenant tenant, String reference) {
    return reference.equalsIgnoreCase(tenant.id().toString()) || reference.equalsIgnoreCase(tenant.slug().value());
  }

  private void crossTenant(HttpServletRequest request, HttpServletResponse response, TenantPrincipal principal,
      Tenant tenant, String source, String named, String traceId) {
    if (audit != null) {
      try {
        audit.record(AuditEvent.builder(AuditCategory.SECURITY, "auth.cross_tenant_attempt")
            .tenant(tenant.id())
            .actor(AuditActorType.USER, principal.subject())
            .resource(request.getMethod() + " " + cut(path(request), 200))
            .outcome(AuditOutcome.DENIED)
            .traceId(traceId)
            .sourceAddress(request.getRemoteAddr())
            .detail("source", source)
            .detail("claimed", cut(named, 64))
            .build());
      } catch (RuntimeException e) {
        // The refusal stands whatever the audit does; a full queue must not turn a 403 into a 500.
        LOG.warn("Could not audit a cross-tenant attempt of tenant {}", tenant.id(), e);
      }
    }
    if (alerts != null) {
      alerts.raise(AlertKind.SECURITY, AlertSeverity.CRITICAL, tenant.id(), "cross-tenant:" + tenant.id(),
          "A request of tenant '" + tenant.slug() + "' (subject " + cut(principal.subject(), 64)
              + ") named another tenant through " + source);
    }
    // The path may carry the other tenant's name: the instance refers to the trace instead, so the response never
    // repeats another tenant's identifier.
    refuse(request, response, Problem.of(ProblemType.CROSS_TENANT_ACCESS,
        "The request names a tenant other than the caller's (" + source + ").").withInstance("urn:trace:" + traceId));
  }

  // ------------------------------------------------------------------------------------------------ API version

  private boolean pinApiVersion(HttpServletRequest request, HttpServletResponse response, TenantInfo info) {
    String pinned = info.configuration().findApiVersion().orElse(defaultApiVersion);
    String asked = request.getHeader(API_VERSION_HEADER);
    String version = pinned;
    if (asked != null && !asked.isBlank() && !asked.trim().equals(pinned)) {
      asked = asked.trim();
      Set<String> allowed = allowedVersions(info);
      if (!allowed.contains(asked)) {
        refuse(request, response, Problem.of(ProblemType.VALIDATION_FAILED,
                "API version '" + cut(asked, 32) + "' is not available to this tenant.")
            .with("allowedApiVersions", List.copyOf(allowed)));
        return false;
      }
      version = asked;
    }
    if (version != null) {
      request.setAttribute(TenancyRequest.API_VERSION, version);
      response.setHeader(API_VERSION_HEADER, version);
    }
    return true;
  }

  private Set<String> allowedVersions(TenantInfo info) {
    Optional<String> setting = info.configuration().setting(ALLOWED_API_VERSIONS_SETTING);
    if (setting.isEmpty()) {
      return supportedApiVersions;
    }
    Set<String> allowed = new LinkedHashSet<>();
    for (String version : setting.get().split(",")) {
      String v = version.trim();
      // A tenant setting can narrow the versions the application supports, never add one.
      if (!v.isEmpty() && (supportedApiVersions.isEmpty() || supportedApiVersions.contains(v))) {
        allowed.add(v);
      }
    }
    return allowed;
  }

  // ------------------------------------------------------------------------------------------------ limits

  private @Nullable QuotaDecision admit(HttpServletRequest request, HttpServletResponse response,
      QuotaManager quotas, TenantInfo info) {
    QuotaDecision decision;
    try {
      decision = quotas.check(info);
    } catch (QuotaStoreUnavailableException e) {
      LOG.error("Quota store unavailable; refusing the request of tenant {} (fail closed)", info.id(), e);
      response.setHeader("Retry-After", "1");
      refuse(request, response, ProblemType.UNAVAILABLE, "The service is temporarily unavailable; retry shortly.");
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
    safely(() -> metrics.recordThrottled(info.id(), resource));
    response.setHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
    ProblemType type = resource == QuotaResource.RATE_LIMIT ? ProblemType.RATE_LIMITED : ProblemType.QUOTA_EXCEEDED;
    String detail = switch (resource) {
      case RATE_LIMIT -> "Too many requests per second; retry after " + decision.retryAfterSeconds() + " s.";
      case CONCURRENCY -> "Too many requests in flight at once (limit " + decision.limit() + ").";
      default -> "The " + resource.limit().key() + " quota is used up (" + decision.used() + " of "
          + decision.limit() + ").";
    };
    refuse(request, response, Problem.of(type, detail)
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

  // ------------------------------------------------------------------------------------------------ the request

  private void run(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
      @Nullable TenantPrincipal principal, @Nullable TenantInfo tenant, @Nullable String platformReason)
      throws IOException, ServletException {
    BodyLimit limited = new BodyLimit(request, maxBodyBytes);
    long start = System.nanoTime();
    Throwable failure = null;
    try (PrincipalScope caller = principal == null ? null : access.enter(principal)) {
      if (tenant == null) {
        chain.doFilter(limited, response);
      } else if (platformReason != null) {
        TenantContext.asPlatform(Objects.requireNonNull(principal).subject(), platformReason, tenant, () -> {
          chain.doFilter(limited, response);
          return null;
        });
      } else {
        try (TenantScope scope = TenantContext.enter(tenant)) {
          chain.doFilter(limited, response);
        }
      }
    } catch (Exception | Error e) {
      failure = e;
    }
    if (limited.exceeded() || failure != null && isTooLarge(failure)) {
      record(tenant, ProblemType.PAYLOAD_TOO_LARGE.status(), start);
      tooLarge(request, response);
    } else if (failure instanceof Error error && !(failure instanceof StackOverflowError)) {
      record(tenant, 500, start);
      throw error;
    } else if (failure != null) {
      // Recorded before the problem is written: once the client has the response, the metrics already count it.
      record(tenant, 500, start);
      LOG.error("Unhandled exception in {} {} (trace {})", request.getMethod(), path(request),
          request.getAttribute(TenancyRequest.TRACE_ID), failure);
      if (!response.isCommitted()) {
        refuse(request, response, ProblemType.INTERNAL,
            "The server failed to handle the request; quote the traceId when reporting it.");
      }
    } else {
      record(tenant, response.getStatus(), start);
    }
  }

  private void tooLarge(HttpServletRequest request, HttpServletResponse response) {
    // The rest of the body stays unread, so the connection cannot carry another request: tell the client.
    if (!response.isCommitted()) {
      response.setHeader("Connection", "close");
    }
    refuse(request, response, ProblemType.PAYLOAD_TOO_LARGE,
        "The request body is larger than " + maxBodyBytes + " bytes.");
  }

  private void record(@Nullable TenantInfo tenant, int status, long start) {
    if (tenant != null) {
      long elapsed = System.nanoTime() - start;
      safely(() -> metrics.recordRequest(tenant, status, elapsed));
    }
  }

  private static boolean isTooLarge(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof BodyLimit.TooLarge) {
        return true;
      }
    }
    return false;
  }

  private void auditPlatformAccess(HttpServletRequest request, TenantPrincipal principal, TenantInfo tenant,
      String reason, String traceId) {
    if (audit == null) {
      return;
    }
    // Fail closed: platform access that cannot be audited does not happen.
    audit.record(AuditEvent.builder(AuditCategory.PLATFORM_ACCESS, "platform_access")
        .tenant(tenant.id())
        .actor(AuditActorType.PLATFORM_OPERATOR, principal.subject())
        .resource(request.getMethod() + " " + cut(path(request), 200))
        .outcome(AuditOutcome.SUCCESS)
        .traceId(traceId)
        .sourceAddress(request.getRemoteAddr())
        .detail("reason", cut(reason, MAX_REASON_LENGTH))
        .build());
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static void refuse(HttpServletRequest request, HttpServletResponse response, ProblemType type,
      String detail) {
    refuse(request, response, Problem.of(type, detail));
  }

  private static void refuse(HttpServletRequest request, HttpServletResponse response, Problem problem) {
    Problems.write(request, response, problem);
  }

  private static void safely(Runnable observer) {
    try {
      observer.run();
    } catch (RuntimeException e) {
      LOG.warn("Tenant metrics recorder failed; ignored", e);
    }
  }

  private static String path(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    return context != null && !context.isEmpty() && uri.startsWith(context) ? uri.substring(context.length()) : uri;
  }

  private static boolean matches(String path, List<String> prefixes) {
    for (String prefix : prefixes) {
      if (prefix.endsWith("/") ? path.startsWith(prefix) || path.equals(prefix.substring(0, prefix.length() - 1))
          : path.equals(prefix)) {
        return true;
      }
    }
    return false;
  }

  private static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max);
  }

  @Override
  public String toString() {
    return "TenantFilter[resolvers=" + resolvers.stream().map(TenantResolver::source).toList() + ", public="
        + publicPaths + ", platform=" + platformPaths + ", maxBodyBytes=" + maxBodyBytes + "]";
  }

  /** Configures a {@link TenantFilter}; every collaborator is given explicitly. */
  public static final class Builder {

    private @Nullable TenantTokenService tokens;
    private @Nullable TenantService tenants;
    private @Nullable QuotaManager quotas;
    private @Nullable AuditLog audit;
    private @Nullable AlertCenter alerts;
    private TenantMetricsRecorder metrics = TenantMetricsRecorder.none();
    private @Nullable AccessControl access;
    private List<TenantResolver> resolvers =
        List.of(TenantResolver.tokenClaim(), TenantResolver.header(TENANT_HEADER));
    private String apiPrefix = "/api/";
    private final List<String> publicPaths = new ArrayList<>(List.of("/api/v1/auth/token"));
    private final List<String> platformPaths = new ArrayList<>(List.of("/api/v1/admin/"));
    private boolean customPublic;
    private boolean customPlatform;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private @Nullable String defaultApiVersion;
    private Set<String> supportedApiVersions = Set.of();

    private Builder() {
    }

    /**
     * @param service verifies bearer tokens; build it with {@code .audit(log)} so refused tokens are audited
     * @return this builder
     */
    public Builder tokens(TenantTokenService service) {
      this.tokens = Objects.requireNonNull(service, "service");
      return this;
    }

    /**
     * @param service finds tenants and their effective configuration
     * @return this builder
     */
    public Builder tenants(TenantService service) {
      this.tenants = Objects.requireNonNull(service, "service");
      return this;
    }

    /**
     * @param manager rate limit, monthly quota and bulkhead; without one, requests are not limited
     * @return this builder
     */
    public Builder quotas(QuotaManager manager) {
      this.quotas = Objects.requireNonNull(manager, "manager");
      return this;
    }

    /**
     * @param log receives cross-tenant attempts and platform access
     * @return this builder
     */
    public Builder audit(AuditLog log) {
      this.audit = Objects.requireNonNull(log, "log");
      return this;
    }

    /**
     * @param center receives a security alert for each cross-tenant attempt (once per tenant and period)
     * @return this builder
     */
    public Builder alerts(AlertCenter center) {
      this.alerts = Objects.requireNonNull(center, "center");
      return this;
    }

    /**
     * @param recorder receives each tenant request's outcome and each throttled request
     * @return this builder
     */
    public Builder metrics(TenantMetricsRecorder recorder) {
      this.metrics = Objects.requireNonNull(recorder, "recorder");
      return this;
    }

    /**
     * @param control binds the verified principal for the request (default: the built-in role catalog)
     * @return this builder
     */
    public Builder accessControl(AccessControl control) {
      this.access = Objects.requireNonNull(control, "control");
      return this;
    }

    /**
     * The sources that may name the tenant, in the order they are consulted; all that answer must agree. Default:
     * the token claim, then {@code X-Tenant-ID}.
     *
     * @param chain the resolvers
     * @return this builder
     * @throws IllegalArgumentException if none is given
     */
    public Builder resolvers(TenantResolver... chain) {
      if (chain.length == 0) {
        throw new IllegalArgumentException("give at least one TenantResolver, e.g. TenantResolver.tokenClaim()");
      }
      this.resolvers = List.of(chain);
      return this;
    }

    /**
     * @param prefix the path prefix the filter guards, starting and ending with {@code /} (default {@code /api/})
     * @return this builder
     * @throws IllegalArgumentException if it does not start and end with {@code /}
     */
    public Builder apiPrefix(String prefix) {
      this.apiPrefix = slashed(prefix, "apiPrefix");
      return this;
    }

    /**
     * Adds a path that needs no token (the first call replaces the default {@code /api/v1/auth/token}). A path
     * ending in {@code /} matches everything under it; otherwise it matches exactly.
     *
     * @param path the path without the context path
     * @return this builder
     * @throws IllegalArgumentException if it does not start with {@code /}
     */
    public Builder publicPath(String path) {
      if (!customPublic) {
        publicPaths.clear();
        customPublic = true;
      }
      publicPaths.add(absolute(path, "publicPath"));
      return this;
    }

    /**
     * Adds a path that needs a verified token but no tenant (the first call replaces the default
     * {@code /api/v1/admin/}). A path ending in {@code /} matches everything under it.
     *
     * @param path the path without the context path
     * @return this builder
     * @throws IllegalArgumentException if it does not start with {@code /}
     */
    public Builder platformPath(String path) {
      if (!customPlatform) {
        platformPaths.clear();
        customPlatform = true;
      }
      platformPaths.add(absolute(path, "platformPath"));
      return this;
    }

    /**
     * @param bytes the largest request body accepted (default 1 MiB); checked on {@code Content-Length} and while
     *     the body is read
     * @return this builder
     * @throws IllegalArgumentException if negative
     */
    public Builder maxBodyBytes(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("maxBodyBytes must not be negative, was " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * The API versions the application serves. A tenant is served its pinned version
     * ({@code TenantConfiguration.apiVersion}) or the default; a request may ask for another with
     * {@value #API_VERSION_HEADER} if it is supported and, when the tenant has the setting
     * {@value #ALLOWED_API_VERSIONS_SETTING}, listed there.
     *
     * @param defaultVersion the version of tenants that pin none
     * @param supported every version the application serves
     * @return this builder
     */
    public Builder apiVersions(String defaultVersion, String... supported) {
      this.defaultApiVersion = Objects.requireNonNull(defaultVersion, "defaultVersion");
      Set<String> all = new LinkedHashSet<>(List.of(supported));
      all.add(defaultVersion);
      this.supportedApiVersions = all;
      return this;
    }

    /**
     * @return the filter
     * @throws IllegalStateException if the token service or tenant service is missing
     */
    public TenantFilter build() {
      if (tokens == null || tenants == null) {
        throw new IllegalStateException("TenantFilter needs tokens(TenantTokenService) and tenants(TenantService)");
      }
      return new TenantFilter(this);
    }

    private static String slashed(String prefix, String name) {
      if (!Objects.requireNonNull(prefix, name).startsWith("/") || !prefix.endsWith("/")) {
        throw new IllegalArgumentException(name + " must start and end with '/', was '" + prefix + "'");
      }
      return prefix;
    }

    private static String absolute(String path, String name) {
      if (!Objects.requireNonNull(path, name).startsWith("/")) {
        throw new IllegalArgumentException(name + " must start with '/', was '" + path + "'");
      }
      return path.endsWith("/**") ? path.substring(0, path.length() - 2) : path;
    }
  }
}
