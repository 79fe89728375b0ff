package dev.tenancy.archunit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaConstructor;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.lang.ArchRule;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Ready ArchUnit rules that keep application code inside the tenant boundary. Add them to your own test suite:
 *
 * <pre>{@code
 * JavaClasses app = new ClassFileImporter()
 *     .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
 *     .importPackages("com.acme.crm");
 * TenancyRules rules = TenancyRules.builder()
 *     .configurationClasses(CrmApplication.class)
 *     .platformPackages("com.acme.crm.ops..")
 *     .build();
 * rules.all().forEach(rule -> rule.check(app));
 * }</pre>
 *
 * <p>Every rule exempts <em>configuration</em> (the packages, classes and annotations given to the builder: the code
 * that wires pools, filters and executors) and the Tenancy library's own packages. Each rule's failure message ends
 * with one sentence that says how to fix the violation. The rules are static: they see which methods and
 * constructors a class calls, never the values it passes; {@code docs/archunit.md} lists what each one cannot see.
 *
 * <p>The constants ({@link #NO_RAW_DATA_SOURCE} and friends) are the rules with {@link #defaults()}; instances are
 * immutable and thread-safe.
 */
public final class TenancyRules {

  /** Why {@link #noRawDataSource()} fails, and how to fix it. */
  public static final String RAW_DATA_SOURCE_FIX = "tenant data must go through TenantAwareDataSource,"
      + " so inject the wrapped DataSource and build pools or DriverManager connections only in configuration";
  /** Why {@link #noTenantFromRequest()} fails, and how to fix it. */
  public static final String REQUEST_FIX = "only TenantFilter turns a request into a tenant,"
      + " so read the tenant with TenantContext.require() instead of request headers or parameters";
  /** Why {@link #noUnpropagatedThreads()} fails, and how to fix it. */
  public static final String THREADS_FIX = "a new thread or pool does not carry the tenant,"
      + " so wrap the executor, task or thread body with TenantContext.wrap(...) in the same method";
  /** Why {@link #platformAccessOnlyFromPlatformPackages()} fails, and how to fix it. */
  public static final String PLATFORM_FIX = "cross-tenant access must stay few and reviewable,"
      + " so move the TenantContext.asPlatform(...) call into a configured platform package";
  /** Why {@link #repositoriesOnlyInTenantScope()} fails, and how to fix it. */
  public static final String REPOSITORY_FIX = "a repository called outside a tenant scope sees no tenant or the wrong one,"
      + " so call it from a tenant-scoped entry point or inside TenantContext.run/call/get(...)";

  /** The Tenancy library's own packages: they implement the boundary and are never checked. */
  static final List<String> LIBRARY_PACKAGES = List.of("dev.tenancy.core..", "dev.tenancy.jdbc..",
      "dev.tenancy.redis..", "dev.tenancy.crypto..", "dev.tenancy.servlet..", "dev.tenancy.test..",
      "dev.tenancy.spring..", "dev.tenancy.archunit");

  private static final String TENANT_CONTEXT = "dev.tenancy.core.TenantContext";
  private static final String PROVISIONING_STEP = "dev.tenancy.core.spi.ProvisioningStep";
  private static final Set<String> REQUEST_READS = Set.of("getHeader", "getHeaders", "getIntHeader",
      "getDateHeader", "getHeaderNames", "getParameter", "getParameterValues", "getParameterMap",
      "getParameterNames", "getQueryString");
  private static final Set<String> SCOPE_OPENERS = Set.of("run", "call", "get", "enter");

  private static final TenancyRules DEFAULTS = builder().build();

  /** {@link #noRawDataSource()} with {@link #defaults()}. */
  public static final ArchRule NO_RAW_DATA_SOURCE = DEFAULTS.noRawDataSource();
  /** {@link #noTenantFromRequest()} with {@link #defaults()}. */
  public static final ArchRule NO_TENANT_FROM_REQUEST = DEFAULTS.noTenantFromRequest();
  /** {@link #noUnpropagatedThreads()} with {@link #defaults()}. */
  public static final ArchRule NO_UNPROPAGATED_THREADS = DEFAULTS.noUnpropagatedThreads();
  /** {@link #platformAccessOnlyFromPlatformPackages()} with {@link #defaults()}. */
  public static final ArchRule PLATFORM_ACCESS_ONLY_FROM_PLATFORM_PACKAGES =
      DEFAULTS.platformAccessOnlyFromPlatformPackages();
  /** {@link #repositoriesOnlyInTenantScope()} with {@link #defaults()}. */
  public static final ArchRule REPOSITORIES_ONLY_IN_TENANT_SCOPE = DEFAULTS.repositoriesOnlyInTenantScope();

  private final List<String> configurationPackages;
  private final Set<String> configurationClasses;
  private final Set<String> configurationAnnotations;
  private final List<String> requestPackages;
  private final List<String> threadPackages;
  private final List<String> platformPackages;
  private final Set<String> rawDataSourceTypes;
  private final Set<String> repositorySuffixes;
  private final Set<String> repositoryAnnotations;
  private final Set<String> entryPointSuffixes;
  private final Set<String> entryPointAnnotations;

  private TenancyRules(Builder b) {
    configurationPackages = List.copyOf(b.configurationPackages);
    configurationClasses = Set.copyOf(b.configurationClasses);
    configurationAnnotations = Set.copyOf(b.configurationAnnotations);
    requestPackages = List.copyOf(b.requestPackages);
    threadPackages = List.copyOf(b.threadPackages);
    platformPackages = List.copyOf(b.platformPackages);
    rawDataSourceTypes = Set.copyOf(b.rawDataSourceTypes);
    repositorySuffixes = Set.copyOf(b.repositorySuffixes);
    repositoryAnnotations = Set.copyOf(b.repositoryAnnotations);
    entryPointSuffixes = Set.copyOf(b.entryPointSuffixes);
    entryPointAnnotations = Set.copyOf(b.entryPointAnnotations);
  }

  /**
   * The rules with no configuration beyond the defaults listed on {@link Builder}.
   *
   * @return the default rules
   */
  public static TenancyRules defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a configuration; every setter adds to the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * All five rules, in the order of this class.
   *
   * @return the rules, to {@code check} against your imported classes
   */
  public List<ArchRule> all() {
    return List.of(noRawDataSource(), noTenantFromRequest(), noUnpropagatedThreads(),
        platformAccessOnlyFromPlatformPackages(), repositoriesOnlyInTenantScope());
  }

  /**
   * No class outside configuration depends on a raw connection source: {@code java.sql.DriverManager} or a pool or
   * driver {@code DataSource} type (HikariCP, DBCP2, Tomcat JDBC, c3p0, H2, PostgreSQL, plus
   * {@link Builder#rawDataSourceTypes}). Depending on {@code javax.sql.DataSource} itself is fine: that is what the
   * wrapped {@code TenantAwareDataSource} is injected as.
   *
   * @return the rule
   */
  public ArchRule noRawDataSource() {
    DescribedPredicate<JavaClass> raw = DescribedPredicate.describe("are raw connection sources "
        + new java.util.TreeSet<>(rawDataSourceTypes), c -> rawDataSourceTypes.contains(c.getName()));
    return noClasses().that(checked(List.of())).should().dependOnClassesThat(raw)
        .because(RAW_DATA_SOURCE_FIX).allowEmptyShould(true);
  }

  /**
   * No class outside configuration and {@link Builder#requestPackages} reads request headers or parameters
   * ({@code HttpServletRequest.getHeader*}, {@code getParameter*}, {@code getQueryString}, Jakarta or javax). The
   * rule cannot see which header a call names, so it forbids all of them where they are not allowed.
   *
   * @return the rule
   */
  public ArchRule noTenantFromRequest() {
    DescribedPredicate<JavaMethodCall> read = DescribedPredicate.describe(
        "HttpServletRequest header or parameter reads", call -> REQUEST_READS.contains(call.getName())
            && (call.getTargetOwner().isAssignableTo("jakarta.servlet.http.HttpServletRequest")
                || call.getTargetOwner().isAssignableTo("javax.servlet.http.HttpServletRequest")));
    return noClasses().that(checked(requestPackages)).should().callMethodWhere(read)
        .because(REQUEST_FIX).allowEmptyShould(true);
  }

  /**
   * No class outside configuration and {@link Builder#threadPackages} constructs a {@code Thread} (or subclass) or
   * a {@code ForkJoinPool}, calls {@code ForkJoinPool.commonPool()} or an {@code Executors.new...} factory, unless the
   * same method (or lambda body) also calls {@code TenantContext.wrap(...)}.
   *
   * @return the rule
   */
  public ArchRule noUnpropagatedThreads() {
    DescribedPredicate<JavaCall<?>> unwrapped = DescribedPredicate.describe(
        "thread or pool creation without TenantContext.wrap in the same method",
        call -> createsThreads(call) && !callsTenantContext(call.getOrigin(), Set.of("wrap")));
    return noClasses().that(checked(threadPackages)).should().callCodeUnitWhere(unwrapped)
        .because(THREADS_FIX).allowEmptyShould(true);
  }

  /**
   * No class outside configuration and {@link Builder#platformPackages} calls {@code TenantContext.asPlatform(...)}.
   *
   * @return the rule
   */
  public ArchRule platformAccessOnlyFromPlatformPackages() {
    DescribedPredicate<JavaMethodCall> platform = DescribedPredicate.describe("TenantContext.asPlatform",
        call -> call.getName().equals("asPlatform") && call.getTargetOwner().getName().equals(TENANT_CONTEXT));
    return noClasses().that(checked(platformPackages)).should().callMethodWhere(platform)
        .because(PLATFORM_FIX).allowEmptyShould(true);
  }

  /**
   * Repositories (simple name ends with a {@link Builder#repositorySuffixes} entry, default {@code Repository}, or
   * annotated with a {@link Builder#repositoryAnnotations} entry) are only accessed by: other repositories,
   * tenant-scoped entry points (name suffix, default {@code Servlet} and {@code Controller}, or annotation), classes
   * that open a scope themselves (call {@code TenantContext.run/call/get/enter}), provisioning steps (the tenant
   * service runs them inside the tenant's scope), and configuration. Nested classes count as their top-level class.
   *
   * @return the rule
   */
  public ArchRule repositoriesOnlyInTenantScope() {
    DescribedPredicate<JavaClass> repository = DescribedPredicate.describe("are repositories",
        c -> named(c, repositorySuffixes, repositoryAnnotations));
    DescribedPredicate<JavaClass> allowed = DescribedPredicate.describe(
        "are repositories, tenant-scoped entry points, open a tenant scope, are provisioning steps or configuration",
        c -> named(c, repositorySuffixes, repositoryAnnotations) || named(c, entryPointSuffixes, entryPointAnnotations)
            || opensScope(c) || opensScope(top(c)) || top(c).isAssignableTo(PROVISIONING_STEP) || isConfiguration(c)
            || isLibrary(c));
    return classes().that(repository).should().onlyBeAccessed().byClassesThat(allowed)
        .because(REPOSITORY_FIX).allowEmptyShould(true);
  }

  /** Classes the rule checks: neither the library, configuration nor in the rule's own allowed packages. */
  private DescribedPredicate<JavaClass> checked(List<String> allowedPackages) {
    return DescribedPredicate.describe("are not configuration"
        + (allowedPackages.isEmpty() ? "" : " or in " + allowedPackages),
        c -> !isLibrary(c) && !isConfiguration(c) && !inPackages(c, allowedPackages));
  }

  private boolean isConfiguration(JavaClass c) {
    JavaClass top = top(c);
    return inPackages(c, configurationPackages) || configurationClasses.contains(top.getName())
        || annotated(top, configurationAnnotations);
  }

  private static boolean isLibrary(JavaClass c) {
    return inPackages(c, LIBRARY_PACKAGES);
  }

  private static boolean inPackages(JavaClass c, List<String> packages) {
    return !packages.isEmpty() && JavaClass.Predicates.resideInAnyPackage(packages.toArray(String[]::new)).test(c);
  }

  private static boolean named(JavaClass c, Set<String> suffixes, Set<String> annotations) {
    JavaClass top = top(c);
    return suffixes.stream().anyMatch(top.getSimpleName()::endsWith) || annotated(top, annotations);
  }

  private static boolean annotated(JavaClass c, Set<String> annotations) {
    return annotations.stream().anyMatch(c::isAnnotatedWith);
  }

  private static JavaClass top(JavaClass c) {
    JavaClass current = c;
    while (current.getEnclosingClass().isPresent()) {
      current = current.getEnclosingClass().get();
    }
    return current;
  }

  private static boolean opensScope(JavaClass c) {
    return c.getMethodCallsFromSelf().stream().anyMatch(call -> isTenantContext(call, SCOPE_OPENERS));
  }

  private static boolean callsTenantContext(JavaCodeUnit origin, Set<String> names) {
    return origin.getMethodCallsFromSelf().stream().anyMatch(call -> isTenantContext(call, names));
  }

  private static boolean isTenantContext(JavaMethodCall call, Set<String> names) {
    return names.contains(call.getName()) && call.getTargetOwner().getName().equals(TENANT_CONTEXT);
  }

  private static boolean createsThreads(JavaCall<?> call) {
    JavaClass owner = call.getTargetOwner();
    boolean constructor = call.getTarget().getName().equals(JavaConstructor.CONSTRUCTOR_NAME);
    return (constructor && owner.isAssignableTo(Thread.class))
        || (constructor && owner.isAssignableTo(java.util.concurrent.ForkJoinPool.class))
        || (owner.isEquivalentTo(java.util.concurrent.ForkJoinPool.class) && call.getName().equals("commonPool"))
        || (owner.isEquivalentTo(java.util.concurrent.Executors.class) && call.getName().startsWith("new"));
  }

  /**
   * Configures {@link TenancyRules}. Package arguments use ArchUnit's package identifiers ({@code "com.acme.config.."}
   * for a package and its sub-packages). Every setter adds to what is there.
   */
  public static final class Builder {
    private final List<String> configurationPackages = new ArrayList<>();
    private final Set<String> configurationClasses = new LinkedHashSet<>();
    private final Set<String> configurationAnnotations = new LinkedHashSet<>();
    private final List<String> requestPackages = new ArrayList<>();
    private final List<String> threadPackages = new ArrayList<>();
    private final List<String> platformPackages = new ArrayList<>();
    private final Set<String> rawDataSourceTypes = new LinkedHashSet<>(List.of("java.sql.DriverManager",
        "com.zaxxer.hikari.HikariDataSource", "org.apache.commons.dbcp2.BasicDataSource",
        "org.apache.tomcat.jdbc.pool.DataSource", "com.mchange.v2.c3p0.ComboPooledDataSource",
        "org.h2.jdbcx.JdbcDataSource", "org.postgresql.ds.PGSimpleDataSource",
        "org.postgresql.ds.PGConnectionPoolDataSource"));
    private final Set<String> repositorySuffixes = new LinkedHashSet<>(List.of("Repository"));
    private final Set<String> repositoryAnnotations = new LinkedHashSet<>();
    private final Set<String> entryPointSuffixes = new LinkedHashSet<>(List.of("Servlet", "Controller"));
    private final Set<String> entryPointAnnotations = new LinkedHashSet<>();

    private Builder() {
    }

    /**
     * Packages holding wiring code, exempt from every rule.
     *
     * @param packages ArchUnit package identifiers
     * @return this builder
     */
    public Builder configurationPackages(String... packages) {
      configurationPackages.addAll(nonNull(packages));
      return this;
    }

    /**
     * Wiring classes (with their nested classes), exempt from every rule; use this when the wiring class shares a
     * package with application code.
     *
     * @param types the classes
     * @return this builder
     */
    public Builder configurationClasses(Class<?>... types) {
      nonNull(types).forEach(t -> configurationClasses.add(t.getName()));
      return this;
    }

    /**
     * Annotations (for example Spring's {@code @Configuration}) whose classes are exempt from every rule.
     *
     * @param annotations the annotation types
     * @return this builder
     */
    @SafeVarargs
    public final Builder configurationAnnotations(Class<? extends Annotation>... annotations) {
      nonNull(annotations).forEach(a -> configurationAnnotations.add(a.getName()));
      return this;
    }

    /**
     * Packages that may read request headers and parameters (for example a web layer that reads paging parameters).
     *
     * @param packages ArchUnit package identifiers
     * @return this builder
     */
    public Builder requestPackages(String... packages) {
      requestPackages.addAll(nonNull(packages));
      return this;
    }

    /**
     * Packages that may create threads and pools without {@code TenantContext.wrap} (code that propagates the tenant
     * some other way).
     *
     * @param packages ArchUnit package identifiers
     * @return this builder
     */
    public Builder threadPackages(String... packages) {
      threadPackages.addAll(nonNull(packages));
      return this;
    }

    /**
     * Packages that may call {@code TenantContext.asPlatform}.
     *
     * @param packages ArchUnit package identifiers
     * @return this builder
     */
    public Builder platformPackages(String... packages) {
      platformPackages.addAll(nonNull(packages));
      return this;
    }

    /**
     * More fully qualified type names that count as a raw connection source.
     *
     * @param typeNames for example {@code "com.acme.pool.AcmeDataSource"}
     * @return this builder
     */
    public Builder rawDataSourceTypes(String... typeNames) {
      rawDataSourceTypes.addAll(nonNull(typeNames));
      return this;
    }

    /**
     * More simple-name suffixes that mark a repository (default {@code Repository}).
     *
     * @param suffixes for example {@code "Store"}, {@code "Dao"}
     * @return this builder
     */
    public Builder repositorySuffixes(String... suffixes) {
      repositorySuffixes.addAll(nonNull(suffixes));
      return this;
    }

    /**
     * Annotations that mark a repository (for example Spring's {@code @Repository}).
     *
     * @param annotations the annotation types
     * @return this builder
     */
    @SafeVarargs
    public final Builder repositoryAnnotations(Class<? extends Annotation>... annotations) {
      nonNull(annotations).forEach(a -> repositoryAnnotations.add(a.getName()));
      return this;
    }

    /**
     * More simple-name suffixes that mark a tenant-scoped entry point (default {@code Servlet}, {@code Controller}):
     * classes that only run behind {@code TenantFilter} or inside a per-tenant task.
     *
     * @param suffixes for example {@code "Resource"}, {@code "Job"}
     * @return this builder
     */
    public Builder entryPointSuffixes(String... suffixes) {
      entryPointSuffixes.addAll(nonNull(suffixes));
      return this;
    }

    /**
     * Annotations that mark a tenant-scoped entry point (for example Spring's {@code @RestController}).
     *
     * @param annotations the annotation types
     * @return this builder
     */
    @SafeVarargs
    public final Builder entryPointAnnotations(Class<? extends Annotation>... annotations) {
      nonNull(annotations).forEach(a -> entryPointAnnotations.add(a.getName()));
      return this;
    }

    /**
     * Builds the immutable rules.
     *
     * @return the rules
     */
    public TenancyRules build() {
      return new TenancyRules(this);
    }

    private static <T> List<T> nonNull(T[] values) {
      Objects.requireNonNull(values, "values");
      for (T value : values) {
        Objects.requireNonNull(value, "a null entry was passed to TenancyRules.Builder; remove it");
      }
      return List.of(values);
    }
  }
}
