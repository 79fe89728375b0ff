package dev.tenancy.benchmarks;

import dev.tenancy.core.EnvironmentOverrides;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.Tier;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.alert.AlertCenter;
import dev.tenancy.core.audit.AuditLog;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.identity.PrincipalKind;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.core.identity.TenantTokenService;
import dev.tenancy.core.identity.TokenAlgorithm;
import dev.tenancy.core.identity.TokenKey;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryQuotaStore;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.quota.QuotaManager;
import dev.tenancy.core.spi.AuditSink;
import dev.tenancy.servlet.TenantFilter;
import dev.tenancy.servlet.metrics.MicrometerTenantMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@link TenantFilter} adds to a request: the whole filter (HS256 bearer token, resolver chain and agreement
 * check, tenant look-up and status, rate limit + monthly counter + bulkhead through {@link QuotaManager}, principal
 * and tenant scope with MDC, Micrometer metrics, and, for a platform operator acting in a tenant, the audit enqueue)
 * on a stub chain, against the stub chain alone; and the same handler end to end over an embedded Jetty with and
 * without the filter, in the same server and run.
 *
 * <ul>
 *   <li>{@link #stubChainAlone} and {@link #filter}: in-process, {@code doFilter} on hand-written request and response
 *       stubs (no proxies on the hot path). {@code caller=tenant} is a tenant user whose token names its tenant and
 *       whose {@code X-Tenant-ID} agrees; {@code caller=platform} is a platform operator with {@code X-Tenant-ID} and
 *       {@code X-Access-Reason}, audited on every request (the audit event is enqueued; a writer thread hashes and
 *       hands it to a sink that discards it). {@code tokenCache=true} is the token service's default (a token's
 *       signature is verified once, then its claims re-checked per call); {@code false} verifies HS256 every time.
 *   <li>{@link #jettyUnfiltered} and {@link #jettyFiltered}: one {@code GET} over HTTP/1.1 keep-alive through
 *       {@code java.net.http} to the same servlet in two contexts of one Jetty, one behind the filter.
 * </ul>
 *
 * <p>Limits are set so that nothing is refused (rate 10⁸/s, quota 10¹⁵ calls, 1,000 in flight): the benchmark measures
 * the admit path; a refusal is cheaper. The class and its states are not {@code final} because JMH subclasses them.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dslf4j.provider=" + BasicMdcServiceProvider.NAME)
public class TenantFilterBenchmark {

  static final byte[] SECRET = "benchmark-secret-0123456789abcdef-0123456789".getBytes(StandardCharsets.UTF_8);
  static final FilterChain STUB_CHAIN = (request, response) -> ((HttpServletResponse) response).setStatus(200);

  /** Core services, the filter and one tenant. */
  @State(Scope.Benchmark)
  public static class Services {
    @Param({"tenant", "platform"})
    public String caller;

    @Param({"true", "false"})
    public boolean tokenCache;

    AuditLog audit;
    QuotaManager quotas;
    TenantFilter filter;
    Tenant tenant;
    String token;
    TenantService tenants;

    @Setup(Level.Trial)
    public void setUp() {
      audit = AuditLog.builder().sink(new DiscardingSink()).build();
      tenants = TenantService.builder()
          .store(new InMemoryTenantStore())
          .resolver(TenantConfigurationResolver.of(TierCatalog.builder()
              .tier(new Tier("bench", Map.of("requestsPerSecond", 100_000_000L,
                  "apiCallsPerMonth", 1_000_000_000_000_000L, "maxConcurrentRequests", 1_000L,
                  "slaP95Millis", 500L), Map.of()))
              .build(), EnvironmentOverrides.none()))
          .build();
      tenant = tenants.create(NewTenant.of("acme", "Acme").withTier("bench"));
      TenantTokenService tokens = TenantTokenService.builder()
          .issuer("bench")
          .audience("tenancy")
          .key(TokenKey.hmac("k1", TokenAlgorithm.HS256, SECRET))
          .signingKey("k1")
          .tenants(id -> tenants.find(id).map(tenants::info))
          .audit(audit)
          .cacheSize(tokenCache ? TenantTokenService.DEFAULT_CACHE_SIZE : 0)
          .build();
      AlertCenter alerts = AlertCenter.builder().build();
      quotas = QuotaManager.builder().store(new InMemoryQuotaStore()).listener(alerts.quotaAlertListener()).build();
      filter = TenantFilter.builder()
          .tokens(tokens)
          .tenants(tenants)
          .quotas(quotas)
          .audit(audit)
          .alerts(alerts)
          .metrics(MicrometerTenantMetrics.builder().registry(new SimpleMeterRegistry()).alerts(alerts).build())
          .build();
      token = "platform".equals(caller)
          ? tokens.issue(new TenantPrincipal(null, "ops", Set.of(TenantPrincipal.PLATFORM_ADMIN),
              PrincipalKind.PLATFORM, null, null, null), Duration.ofHours(12))
          : tokens.issue(new TenantPrincipal(tenant.id(), "alice", Set.of("agent"), PrincipalKind.USER, null, null,
              null), Duration.ofHours(12));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      quotas.close();
      audit.close();
    }
  }

  /** One request and response per thread, reused (attributes and headers are overwritten, not accumulated). */
  @State(Scope.Thread)
  public static class Exchange {
    StubRequest request;
    StubResponse response;

    @Setup(Level.Trial)
    public void setUp(Services services) {
      Map<String, String> headers = new HashMap<>();
      headers.put("Authorization", "Bearer " + services.token);
      headers.put("X-Tenant-ID", services.tenant.id().toString());
      if ("platform".equals(services.caller)) {
        headers.put("X-Access-Reason", "benchmark");
      }
      request = new StubRequest("/api/v1/leads", headers);
      response = new StubResponse();
    }
  }

  @Benchmark
  public void stubChainAlone(Exchange exchange) throws Exception {
    STUB_CHAIN.doFilter(exchange.request, exchange.response);
  }

  @Benchmark
  public int filter(Services services, Exchange exchange) throws Exception {
    services.filter.doFilter(exchange.request, exchange.response, STUB_CHAIN);
    int status = exchange.response.getStatus();
    if (status != 200) {
      throw new IllegalStateException("the filter refused the benchmark request with " + status
          + ": the benchmark would measure the wrong path");
    }
    return status;
  }

  /** A Jetty serving one servlet twice: under {@code /f} behind the filter, under {@code /u} without. */
  @State(Scope.Benchmark)
  public static class Jetty {
    Server server;
    HttpClient client;
    HttpRequest filtered;
    HttpRequest unfiltered;

    @Setup(Level.Trial)
    public void setUp(Services services) throws Exception {
      server = new Server();
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      ServletContextHandler withFilter = new ServletContextHandler("/f");
      withFilter.addFilter(new FilterHolder(services.filter), "/*", EnumSet.of(DispatcherType.REQUEST));
      withFilter.addServlet(new ServletHolder(new Hello()), "/*");
      ServletContextHandler without = new ServletContextHandler("/u");
      without.addServlet(new ServletHolder(new Hello()), "/*");
      server.setHandler(new ContextHandlerCollection(withFilter, without));
      server.start();
      String base = "http://127.0.0.1:" + connector.getLocalPort();
      client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + "/f/api/v1/leads"))
          .header("Authorization", "Bearer " + services.token)
          .header("X-Tenant-ID", services.tenant.id().toString());
      if ("platform".equals(services.caller)) {
        builder.header("X-Access-Reason", "benchmark");
      }
      filtered = builder.GET().build();
      unfiltered = HttpRequest.newBuilder(URI.create(base + "/u/api/v1/leads")).GET().build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
      server.stop();
    }
  }

  @Benchmark
  public int jettyUnfiltered(Jetty jetty) throws Exception {
    return expectOk(jetty.client.send(jetty.unfiltered, HttpResponse.BodyHandlers.ofString()));
  }

  @Benchmark
  public int jettyFiltered(Jetty jetty) throws Exception {
    return expectOk(jetty.client.send(jetty.filtered, HttpResponse.BodyHandlers.ofString()));
  }

  private static int expectOk(HttpResponse<String> response) {
    if (response.statusCode() != 200) {
      throw new IllegalStateException("got " + response.statusCode() + ": " + response.body());
    }
    return response.statusCode();
  }

  /** The handler behind both contexts: a small JSON body. */
  static final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      response.setContentType("application/json");
      response.getWriter().write("{\"leads\":[]}");
    }
  }

  /** The request getters the filter reads, answered from fields; anything else fails loudly. */
  static final class StubRequest extends HttpServletRequestWrapper {
    private final String uri;
    private final Map<String, String> headers;
    private final Map<String, Object> attributes = new HashMap<>();

    StubRequest(String uri, Map<String, String> headers) {
      super(unsupported(HttpServletRequest.class));
      this.uri = uri;
      this.headers = Map.copyOf(headers);
    }

    @Override
    public @Nullable String getHeader(String name) {
      return headers.get(name);
    }

    @Override
    public String getRequestURI() {
      return uri;
    }

    @Override
    public String getContextPath() {
      return "";
    }

    @Override
    public String getMethod() {
      return "GET";
    }

    @Override
    public String getServerName() {
      return "localhost";
    }

    @Override
    public String getRemoteAddr() {
      return "127.0.0.1";
    }

    @Override
    public long getContentLengthLong() {
      return -1;
    }

    @Override
    public @Nullable String getCharacterEncoding() {
      return null;
    }

    @Override
    public @Nullable Object getAttribute(String name) {
      return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
      attributes.put(name, value);
    }
  }

  /** The response setters the filter calls, kept in fields. */
  static final class StubResponse extends HttpServletResponseWrapper {
    private final Map<String, String> headers = new HashMap<>();
    private int status = 200;

    StubResponse() {
      super(unsupported(HttpServletResponse.class));
    }

    @Override
    public void setHeader(String name, String value) {
      headers.put(name, value);
    }

    @Override
    public void setStatus(int sc) {
      status = sc;
    }

    @Override
    public int getStatus() {
      return status;
    }

    @Override
    public boolean isCommitted() {
      return false;
    }
  }

  private static <T> T unsupported(Class<T> type) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      throw new UnsupportedOperationException(type.getSimpleName() + "." + method.getName()
          + " is not stubbed; the benchmark only answers what TenantFilter reads");
    }));
  }

  /** Takes audit batches and forgets them, so a long run does not fill the heap. */
  static final class DiscardingSink implements AuditSink {
    @Override
    public void append(List<AuditRecord> records) {
      // discarded
    }

    @Override
    public Stream<AuditRecord> read(String chain, long fromSequence, long toSequence) {
      return Stream.empty();
    }

    @Override
    public Optional<AuditRecord> last(String chain) {
      return Optional.empty();
    }

    @Override
    public Set<String> chains() {
      return Set.of();
    }

    @Override
    public long deleteBefore(String chain, long beforeSequence) {
      return 0;
    }

    @Override
    public long erase(String chain) {
      return 0;
    }
  }

}
