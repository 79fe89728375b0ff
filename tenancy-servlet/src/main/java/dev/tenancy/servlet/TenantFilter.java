package dev.tenancy.servlet;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.alert.AlertCenter;
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
import java.util.Objects;
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

  private final TenantTokenService tokens;
  private final TenantService tenants;
  private final TenantResolution resolution;
  private final ApiVersionPin versions;
  private final @Nullable RequestLimits limits;
  private final @Nullable AuditLog audit;
  private final TenantMetricsRecorder metrics;
  private final AccessControl access;
  private final String apiPrefix;
  private final List<String> publicPaths;
  private final List<String> platformPaths;
  private final long maxBodyBytes;

  private TenantFilter(Builder builder) {
    this.tokens = Objects.requireNonNull(builder.tokens);
    this.tenants = Objects.requireNonNull(builder.tenants);
    this.audit = builder.audit;
    this.metrics = builder.metrics;
    this.resolution = new TenantResolution(tenants, builder.resolvers, builder.audit, builder.alerts);
    this.versions = new ApiVersionPin(builder.defaultApiVersion, builder.supportedApiVersions);
    this.limits = builder.quotas == null ? null : new RequestLimits(builder.quotas, builder.metrics);
    this.access = builder.access == null ? AccessControl.of(RoleCatalog.builtIn()) : builder.access;
    this.apiPrefix = builder.apiPrefix;
    this.publicPaths = List.copyOf(builder.publicPaths);
    this.platformPaths = List.copyOf(builder.platformPaths);
    this.maxBodyBytes = builder.maxBodyBytes;
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
    String path = RequestPath.of(request);
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
        Refusal.send(request, response, ProblemType.INTERNAL,
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
    Tenant tenant = principal.isPlatform() ? resolution.platformTarget(request, response, principal)
        : resolution.ownTenant(request, response, principal, traceId);
    if (tenant == null) {
      return;
    }
    if (!tenant.status().isServing()) {
      Refusal.send(request, response, ProblemType.TENANT_SUSPENDED, "The tenant is not serving requests.");
      return;
    }
    TenantInfo info = tenants.info(tenant);
    if (!versions.pin(request, response, info)) {
      return;
    }
    QuotaPermit permit = null;
    if (limits != null) {
      QuotaDecision decision = limits.admit(request, response, info);
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
        Refusal.send(request, response, ProblemType.TENANT_SUSPENDED, "The tenant is not serving requests.");
      } else {
        response.setHeader("WWW-Authenticate", "Bearer");
        Refusal.send(request, response, ProblemType.INVALID_TOKEN,
            header == null ? "An 'Authorization: Bearer <token>' header is required."
                : "The bearer token is invalid, expired or not trusted.");
      }
      return null;
    }
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
      LOG.error("Unhandled exception in {} {} (trace {})", request.getMethod(), RequestPath.of(request),
          request.getAttribute(TenancyRequest.TRACE_ID), failure);
      if (!response.isCommitted()) {
        Refusal.send(request, response, ProblemType.INTERNAL,
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
    Refusal.send(request, response, ProblemType.PAYLOAD_TOO_LARGE,
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
        .resource(request.getMethod() + " " + cut(RequestPath.of(request), 200))
        .outcome(AuditOutcome.SUCCESS)
        .traceId(traceId)
        .sourceAddress(request.getRemoteAddr())
        .detail("reason", cut(reason, TenantResolution.MAX_REASON_LENGTH))
        .build());
  }

  // ------------------------------------------------------------------------------------------------ helpers



  private static void safely(Runnable observer) {
    try {
      observer.run();
    } catch (RuntimeException e) {
      LOG.warn("Tenant metrics recorder failed; ignored", e);
    }
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
    return "TenantFilter[resolvers=" + resolution.resolvers().stream().map(TenantResolver::source).toList() + ", public="
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
