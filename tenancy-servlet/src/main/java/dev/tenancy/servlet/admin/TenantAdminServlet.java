package dev.tenancy.servlet.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tenancy.core.ConcurrentTenantModificationException;
import dev.tenancy.core.IllegalTenantTransitionException;
import dev.tenancy.core.SlugAlreadyTakenException;
import dev.tenancy.core.TenantConflictException;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantNotFoundException;
import dev.tenancy.core.TenantValidationException;
import dev.tenancy.core.alert.AlertCenter;
import dev.tenancy.core.audit.AuditAnonymisation;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.audit.AuditVerifier;
import dev.tenancy.core.data.BackupRefusedException;
import dev.tenancy.core.data.MigrationStatusView;
import dev.tenancy.core.data.TenantBackups;
import dev.tenancy.core.health.CheckResult;
import dev.tenancy.core.health.TenantHealthChecks;
import dev.tenancy.core.identity.ApiKeyService;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.metrics.TenantMetricsView;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.spi.AuditSink;
import dev.tenancy.servlet.TenancyRequest;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API of HTTP-API.md, for any Servlet 6 container: tenants (create with a tenant_admin key, list, read,
 * change with {@code If-Match}, delete, bulk, suspend, activate), usage, audit export and verification, backups and
 * restore, migration status, health, metrics and alerts. Mount it at {@code /api/v1/admin/*} behind the
 * {@code TenantFilter}, which verifies the bearer token; this servlet requires role {@value TenantPrincipal#PLATFORM_ADMIN}
 * (401 {@code invalid-token} without a principal, 403 {@code forbidden} with another), runs every call as platform
 * access, and audits it with the actor and the reason ({@code X-Access-Reason}).
 *
 * <pre>{@code
 * TenantAdminServlet admin = TenantAdminServlet.builder()
 *     .tenants(tenantService)
 *     .apiKeys(apiKeyService)
 *     .quotas(quotaManager)
 *     .audit(auditLog, auditSink)
 *     .backups(jdbcTenantBackups)
 *     .migrations(migrationStatusStore)
 *     .health(healthChecks)
 *     .metrics(metricsView)
 *     .alerts(alertCenter)
 *     .build();
 * context.addServlet(new ServletHolder(admin), "/api/v1/admin/*");
 * }</pre>
 *
 * <p>Every service but {@link Builder#tenants} is optional; the rows of a missing one answer 404 {@code not-found}
 * saying which builder option enables them. Errors are {@code application/problem+json} and never hold a stack trace,
 * SQL or another tenant's identifier.
 */
public final class TenantAdminServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(TenantAdminServlet.class);

  /** The largest request body read, unless configured: 1 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 1024L * 1024L;
  /** The request header that carries why a platform administrator makes a call; recorded with every call. */
  public static final String REASON_HEADER = "X-Access-Reason";

  private static final int MAX_REASON_LENGTH = 500;

  private final transient ObjectMapper mapper;
  private final transient TenantHandlers tenantHandlers;
  private final transient OperationHandlers operations;
  private final transient AuditHandlers auditHandlers;
  private final transient MonitoringHandlers monitoring;
  private final transient @Nullable AuditLog audit;
  private final long maxBodyBytes;

  private TenantAdminServlet(Builder builder, TenantService tenants) {
    this.mapper = mapper();
    this.audit = builder.audit;
    this.maxBodyBytes = builder.maxBodyBytes;
    this.tenantHandlers = new TenantHandlers(tenants, builder.apiKeys);
    this.operations = new OperationHandlers(tenants, tenantHandlers, builder.quotas, builder.backups,
        builder.migrations, builder.health);
    this.monitoring = new MonitoringHandlers(tenants, tenantHandlers, builder.metrics, builder.alerts,
        builder.quotas);
    AuditVerifier verifier = builder.verifier == null ? AuditVerifier.builder().build() : builder.verifier;
    this.auditHandlers = new AuditHandlers(tenantHandlers, builder.audit, builder.auditSink, verifier,
        builder.anonymisation, builder.clock);
  }

  /** @return a builder; {@link Builder#tenants} is required */
  public static Builder builder() {
    return new Builder();
  }

  static ObjectMapper mapper() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    mapper.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    return mapper;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String traceId = traceId(request);
    TenantPrincipal principal = TenancyRequest.principal(request).orElse(null);
    if (principal == null) {
      // The filter answers first in a normal set-up; this covers a servlet mounted without it.
      AdminProblems.write(mapper, request, response, traceId, new AdminException(401, "invalid-token",
          "The admin API needs a bearer token: POST /api/v1/auth/token with a platform-admin API key"));
      return;
    }
    if (!principal.isPlatform() || !principal.hasRole(TenantPrincipal.PLATFORM_ADMIN)) {
      CallAudit.denied(audit, request, principal, traceId);
      AdminProblems.write(mapper, request, response, traceId, new AdminException(403, "forbidden",
          "The admin API needs role " + TenantPrincipal.PLATFORM_ADMIN));
      return;
    }
    String given = request.getHeader(REASON_HEADER);
    String reason = given == null || given.isBlank() ? "admin API " + request.getMethod() + " "
        + request.getRequestURI() : reason(given);
    Exchange call = new Exchange(request, response, principal, reason, traceId, segments(request), mapper,
        maxBodyBytes);
    try {
      TenantContext.asPlatform(principal.subject(), reason, () -> {
        route(call);
        return null;
      });
    } catch (AdminException e) {
      fail(call, e);
    } catch (TenantValidationException e) {
      fail(call, AdminException.validation(e.field(), e.getMessage()));
    } catch (TenantNotFoundException e) {
      fail(call, AdminException.notFound("No tenant '" + Fields.clip(e.reference()) + "'"));
    } catch (ConcurrentTenantModificationException e) {
      fail(call, AdminException.conflict("Version conflict: the tenant is at version " + e.actualVersion()
          + ", not " + e.expectedVersion() + "; read it again (its ETag) and retry"));
    } catch (SlugAlreadyTakenException | IllegalTenantTransitionException e) {
      fail(call, AdminException.conflict(e.getMessage()));
    } catch (TenantConflictException e) {
      fail(call, AdminException.conflict(e.getMessage()));
    } catch (BackupRefusedException e) {
      fail(call, OperationHandlers.refusal(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(call, internal(call, e));
    } catch (Exception e) {
      fail(call, internal(call, e));
    } finally {
      CallAudit.record(audit, call);
    }
  }

  /** The caller's reason as recorded: printable, at most {@value #MAX_REASON_LENGTH} characters. */
  private static String reason(String given) {
    String printable = given.strip().replaceAll("\\p{Cntrl}", " ");
    return printable.length() > MAX_REASON_LENGTH ? printable.substring(0, MAX_REASON_LENGTH) + "..." : printable;
  }

  private static AdminException internal(Exchange call, Exception e) {
    LOG.error("Admin API {} {} failed (trace {})", call.method(), call.request.getRequestURI(), call.traceId, e);
    return new AdminException(500, "internal", "The server failed to answer; the error is logged under trace "
        + call.traceId);
  }

  private void route(Exchange call) throws Exception {
    List<String> p = call.path;
    String method = call.method();
    int n = p.size();
    if (n >= 1 && p.get(0).equals("tenants")) {
      if (n == 1) {
        switch (method) {
          case "GET" -> tenantHandlers.list(call);
          case "POST" -> tenantHandlers.create(call);
          default -> throw notAllowed("GET, POST");
        }
        return;
      }
      String id = p.get(1);
      if (n == 2 && id.equals("bulk") && method.equals("POST")) {
        tenantHandlers.bulk(call);
        return;
      }
      if (n == 2) {
        switch (method) {
          case "GET" -> tenantHandlers.read(call, id);
          case "PUT" -> tenantHandlers.update(call, id);
          case "DELETE" -> tenantHandlers.delete(call, id);
          default -> throw notAllowed("GET, PUT, DELETE");
        }
        return;
      }
      if (n == 3) {
        tenantRow(call, id, p.get(2), method);
        return;
      }
    } else if (n == 2 && p.get(0).equals("audit") && p.get(1).equals("verify")) {
      requireMethod(method, "GET");
      auditHandlers.verify(call);
      return;
    } else if (n == 3 && p.get(0).equals("alerts") && p.get(2).equals("resolve")) {
      requireMethod(method, "POST");
      monitoring.resolve(call, p.get(1));
      return;
    } else if (n == 1) {
      switch (p.get(0)) {
        case "health" -> {
          requireMethod(method, "GET");
          operations.platformHealth(call, Map.of());
          return;
        }
        case "migrations" -> {
          requireMethod(method, "GET");
          operations.migrations(call);
          return;
        }
        case "metrics" -> {
          requireMethod(method, "GET");
          monitoring.metrics(call);
          return;
        }
        case "alerts" -> {
          requireMethod(method, "GET");
          monitoring.alerts(call);
          return;
        }
        default -> {
        }
      }
    }
    throw AdminException.notFound("No admin API resource at " + Fields.clip(call.request.getRequestURI()));
  }

  private void tenantRow(Exchange call, String id, String row, String method) throws Exception {
    switch (row) {
      case "usage" -> {
        requireMethod(method, "GET");
        operations.usage(call, id);
      }
      case "audit" -> {
        requireMethod(method, "GET");
        auditHandlers.export(call, id);
      }
      case "backups" -> {
        if (method.equals("GET")) {
          operations.listBackups(call, id);
        } else {
          requireMethod(method, "POST");
          operations.backup(call, id);
        }
      }
      case "restore" -> {
        requireMethod(method, "POST");
        operations.restore(call, id);
      }
      case "health" -> {
        requireMethod(method, "GET");
        Map<String, CheckResult> extra = new LinkedHashMap<>();
        var tenant = tenantHandlers.require(call, id);
        CheckResult quota = operations.quotaCheck(tenant.id());
        if (quota != null) {
          extra.put("quota-store", quota);
        }
        CheckResult open = monitoring.alertCheck(tenant.id());
        if (open != null) {
          extra.put("alerts", open);
        }
        operations.tenantHealth(call, id, extra);
      }
      case "migration" -> {
        requireMethod(method, "GET");
        operations.migration(call, id);
      }
      case "suspend", "activate" -> {
        requireMethod(method, "POST");
        tenantHandlers.changeStatus(call, id, row.equals("suspend"));
      }
      default -> throw AdminException.notFound("No admin API resource at "
          + Fields.clip(call.request.getRequestURI()));
    }
  }

  private static void requireMethod(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw notAllowed(allowed);
    }
  }

  private static AdminException notAllowed(String allowed) {
    return new AdminException(405, "method-not-allowed", "This resource answers " + allowed, List.of(),
        Map.of("Allow", allowed));
  }

  private static List<String> segments(HttpServletRequest request) {
    String info = request.getPathInfo();
    if (info == null || info.isEmpty() || info.equals("/")) {
      return List.of();
    }
    return Arrays.stream(info.split("/")).filter(s -> !s.isEmpty()).toList();
  }

  private void fail(Exchange call, AdminException e) throws IOException {
    call.status(e.status());
    if (call.response.isCommitted()) {
      // A stream (audit export) already started: the status is sent; cutting the stream short is all that is left.
      LOG.warn("Admin API {} failed after its answer started (trace {}): {}", call.request.getRequestURI(),
          call.traceId, e.getMessage());
      return;
    }
    if (e.status() == 413) {
      // The rest of the body stays unread, so the connection cannot carry another request: tell the client, or it
      // sends its next request on a connection the server is closing.
      call.response.setHeader("Connection", "close");
    }
    AdminProblems.write(mapper, call.request, call.response, call.traceId, e);
  }

  private static String traceId(HttpServletRequest request) {
    return TenancyRequest.traceId(request).orElseGet(() -> UUID.randomUUID().toString().replace("-", ""));
  }

  /** Configures a {@link TenantAdminServlet}; each option may be set once. */
  public static final class Builder {
    private @Nullable TenantService tenants;
    private @Nullable ApiKeyService apiKeys;
    private @Nullable QuotaManager quotas;
    private @Nullable AuditLog audit;
    private @Nullable AuditSink auditSink;
    private @Nullable AuditVerifier verifier;
    private AuditAnonymisation anonymisation = AuditAnonymisation.of();
    private @Nullable TenantBackups backups;
    private @Nullable MigrationStatusView migrations;
    private @Nullable TenantHealthChecks health;
    private @Nullable TenantMetricsView metrics;
    private @Nullable AlertCenter alerts;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Clock clock = Clock.systemUTC();

    private Builder() {
    }

    /**
     * @param service creates, changes and removes tenants; required
     * @return this builder
     */
    public Builder tenants(TenantService service) {
      this.tenants = set(tenants, service, "tenants");
      return this;
    }

    /**
     * @param service creates the tenant_admin key returned once with each new tenant; without it, none is
     * @return this builder
     */
    public Builder apiKeys(ApiKeyService service) {
      this.apiKeys = set(apiKeys, service, "apiKeys");
      return this;
    }

    /**
     * @param manager reads usage against limits ({@code …/usage}, the tenant health's quota check)
     * @return this builder
     */
    public Builder quotas(QuotaManager manager) {
      this.quotas = set(quotas, manager, "quotas");
      return this;
    }

    /**
     * Enables the audit rows and audits every admin call.
     *
     * @param log where admin calls are recorded
     * @param sink where the log stores its records, read by export and verification
     * @return this builder
     */
    public Builder audit(AuditLog log, AuditSink sink) {
      this.audit = set(audit, log, "audit");
      this.auditSink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    /**
     * @param auditVerifier the verifier for {@code GET …/audit/verify}, with the audit key and checkpoints; a
     *     hash-only verifier if not set
     * @return this builder
     */
    public Builder auditVerifier(AuditVerifier auditVerifier) {
      this.verifier = set(verifier, auditVerifier, "auditVerifier");
      return this;
    }

    /**
     * @param what the detail keys an {@code anonymize=true} export replaces besides actor and source address
     * @return this builder
     */
    public Builder auditAnonymisation(AuditAnonymisation what) {
      this.anonymisation = Objects.requireNonNull(what, "what");
      return this;
    }

    /**
     * @param service backs up and restores a tenant's data (e.g. tenancy-jdbc's {@code JdbcTenantBackups})
     * @return this builder
     */
    public Builder backups(TenantBackups service) {
      this.backups = set(backups, service, "backups");
      return this;
    }

    /**
     * @param view the recorded migration state ({@code GET …/migrations}, {@code …/tenants/{id}/migration})
     * @return this builder
     */
    public Builder migrations(MigrationStatusView view) {
      this.migrations = set(migrations, view, "migrations");
      return this;
    }

    /**
     * @param checks the tenant and platform health checks
     * @return this builder
     */
    public Builder health(TenantHealthChecks checks) {
      this.health = set(health, checks, "health");
      return this;
    }

    /**
     * @param view per-tenant request statistics ({@code GET …/metrics}), e.g. the TenantFilter's recorder
     * @return this builder
     */
    public Builder metrics(TenantMetricsView view) {
      this.metrics = set(metrics, view, "metrics");
      return this;
    }

    /**
     * @param center the open alerts ({@code GET …/alerts}, {@code POST …/alerts/{id}/resolve}, tenant health)
     * @return this builder
     */
    public Builder alerts(AlertCenter center) {
      this.alerts = set(alerts, center, "alerts");
      return this;
    }

    /**
     * @param bytes the largest request body read; larger ones get 413 without being buffered
     * @return this builder
     */
    public Builder maxBodyBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("maxBodyBytes must be positive, was " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * @param time the clock for default export ranges; {@link Clock#systemUTC()} if not set
     * @return this builder
     */
    public Builder clock(Clock time) {
      this.clock = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * @return the servlet
     * @throws IllegalStateException if no tenant service was given
     */
    public TenantAdminServlet build() {
      if (tenants == null) {
        throw new IllegalStateException("TenantAdminServlet needs the tenant service: call tenants(tenantService)");
      }
      return new TenantAdminServlet(this, tenants);
    }

    private static <T> T set(@Nullable T current, T value, String option) {
      Objects.requireNonNull(value, option);
      if (current != null) {
        throw new IllegalStateException(option + " was already set");
      }
      return value;
    }
  }
}
