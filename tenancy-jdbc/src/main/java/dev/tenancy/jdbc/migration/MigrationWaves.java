package dev.tenancy.jdbc.migration;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantPage;
import dev.tenancy.core.TenantQuery;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.spi.TenantStore;
import dev.tenancy.jdbc.SqlIdentifiers;
import dev.tenancy.jdbc.internal.TenantMigrations;
import dev.tenancy.jdbc.spi.MigrationStatusStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the application's tenant Flyway migrations over every tenant that has its own schema or database — canary
 * tenants first, then the others in waves of bounded size and parallelism — recording each tenant's progress in a
 * {@link MigrationStatusStore} so that a run can be resumed and watched from the admin API.
 *
 * <pre>{@code
 * MigrationWaves waves = MigrationWaves.builder()
 *     .tenants(tenantService)
 *     .schemas(adminPool)                          // schema per tenant: "tenant_<slug>" in this database
 *     .locations("classpath:db/tenant")            // the same migrations CreateSchemaStep provisions with
 *     .statusStore(JdbcMigrationStatusStore.builder().dataSource(adminPool).build())
 *     .canaries("acme", "globex")                  // or canaryCount(3)
 *     .waveSize(100)
 *     .parallelism(4)                              // adminPool needs at least 2 x 4 connections
 *     .build();
 * MigrationReport report = waves.run();
 * report.failures().forEach(f -> log.error("{}: {}", f.location(), f.error()));
 * }</pre>
 *
 * <p><b>A run</b> (1) migrates the shared schemas, if any, once each — a failure stops the run; (2) lists the tenants
 * (all but {@code DELETED} and {@code PROVISIONING}, by default) and finds those already current by reading each
 * tenant's history table and comparing it with the migrations Flyway resolves once per run, without starting Flyway
 * per tenant; (3) records the others {@code PENDING}; (4) migrates the canaries one at a time and stops, leaving
 * the rest pending, if one fails; (5) migrates the rest in waves of {@link Builder#waveSize} tenants, at most
 * {@link Builder#parallelism} at a time; a tenant's failure is recorded and does not stop the others (unless more than
 * {@link Builder#maxFailures} fail).
 *
 * <p><b>Connections.</b> Flyway holds up to two connections while it migrates a target (one for its lock and history
 * table, one for the migration), and the currency check one per worker, so a run needs {@code 2 × parallelism}
 * connections of the admin pool for schema tenants ({@link Builder#build()} refuses a HikariCP pool smaller than
 * that), and opens at most {@code 2 × parallelism} connections to the server for database tenants. Keep
 * {@code parallelism} well below the pool's size when the application shares that pool, and below the server's
 * {@code max_connections} minus what the application needs: the parallelism is the limit, not the executor's size.
 *
 * <p><b>Several instances.</b> Each target is claimed before it is migrated, with a compare-and-set on its status
 * record and a lease ({@link Builder#lease}) that the run renews while it holds the target. Another run skips a
 * target with a live lease and takes over one whose lease ran out — a runner that crashed. With
 * {@link JdbcMigrationStatusStore} the claim is a conditional {@code UPDATE} in the shared database, so two instances
 * never migrate one tenant at once; Flyway's own lock on the history table (PostgreSQL advisory lock) stays as the
 * second line.
 *
 * <p><b>Resume.</b> Run again: {@code FAILED} targets are retried, {@code PENDING} ones started, {@code RUNNING} ones
 * whose lease ran out taken over, and current ones skipped quickly.
 */
public final class MigrationWaves {

  /** The placeholder for the database name in a URL template. */
  public static final String DATABASE_PLACEHOLDER = "{database}";
  /** How many connections Flyway holds while it migrates one target. */
  static final int CONNECTIONS_PER_MIGRATION = 2;

  private static final Logger LOG = LoggerFactory.getLogger(MigrationWaves.class);
  private static final int PAGE_SIZE = TenantQuery.MAX_SIZE;

  private final @Nullable Function<TenantQuery, TenantPage> tenants;
  private final Predicate<Tenant> include;
  private final Place.@Nullable Schemas schemas;
  private final Place.@Nullable Databases databases;
  private final List<Place.Shared> shared;
  private final MigrationStatusStore store;
  private final WaveSettings settings;
  private final @Nullable Executor executor;
  private final Duration lease;
  private final Clock clock;

  private MigrationWaves(Builder builder, @Nullable TenantMigrations migrations, ClassLoader classLoader) {
    this.tenants = builder.tenants;
    this.include = builder.include;
    DataSource schemaSource = builder.schemaDataSource;
    String urlTemplate = builder.urlTemplate;
    this.schemas = schemaSource == null || migrations == null ? null
        : new Place.Schemas(schemaSource, builder.prefix, migrations, classLoader);
    this.databases = urlTemplate == null || migrations == null ? null
        : new Place.Databases(urlTemplate, builder.prefix, builder.user, builder.password, migrations, classLoader);
    List<Place.Shared> sharedPlaces = new ArrayList<>();
    for (SharedSchema schema : builder.shared) {
      sharedPlaces.add(new Place.Shared(schema.dataSource(), schema.schema(),
          new TenantMigrations(schema.locations(), builder.historyTable, builder.placeholders), classLoader));
    }
    this.shared = List.copyOf(sharedPlaces);
    this.store = builder.store;
    this.settings = new WaveSettings(builder.canarySlugs, builder.canaryCount, builder.waveSize, builder.parallelism,
        builder.maxFailures, builder.fastCheck, builder.repairOnRetry, builder.listeners);
    this.executor = builder.executor;
    this.lease = builder.lease;
    this.clock = builder.clock;
  }

  /** @return a builder; tenants with a place ({@code schemas} or {@code databases}), or a shared schema, are required */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the migrations once over every target, as the class description says, and returns when all started
   * migrations have ended. Safe to call from several threads or app instances at once: they share the work.
   *
   * @return what the run did
   * @throws MigrationStatusStoreAccessException (or another store's exception) if the status store fails; targets
   *     claimed until then stay {@code RUNNING} until their lease runs out
   * @throws dev.tenancy.core.TenancyConfigurationException if a named canary is not among the tenants
   */
  public MigrationReport run() {
    Claims claims = new Claims(store, clock, lease, UUID.randomUUID().toString());
    ExecutorService owned = executor == null
        ? Executors.newFixedThreadPool(settings.parallelism(), threads("worker")) : null;
    ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(threads("lease"));
    try {
      long period = Math.max(1, lease.toMillis() / 3);
      heartbeat.scheduleAtFixedRate(() -> {
        try {
          claims.renew();
        } catch (RuntimeException e) {
          LOG.warn("Renewing the leases of migration run {} failed; retrying in {} ms", claims.runId(), period, e);
        }
      }, period, period, TimeUnit.MILLISECONDS);
      return new WaveRun(this, settings, claims, owned != null ? owned : Objects.requireNonNull(executor)).run();
    } finally {
      heartbeat.shutdown();
      if (owned != null) {
        owned.shutdown();
      }
    }
  }

  /** @return the store the runs record into (also the admin API's view) */
  public MigrationStatusStore statusStore() {
    return store;
  }

  List<Target> tenantTargets() {
    Function<TenantQuery, TenantPage> lister = tenants;
    if (lister == null) {
      return List.of();
    }
    List<Target> targets = new ArrayList<>();
    TenantQuery query = new TenantQuery(null, null, null, 0, PAGE_SIZE);
    TenantPage page;
    do {
      page = lister.apply(query);
      for (Tenant tenant : page.items()) {
        if (include.test(tenant)) {
          targets.add(schemas != null ? schemas.target(tenant) : Objects.requireNonNull(databases).target(tenant));
        }
      }
      query = query.withPage(query.page() + 1);
    } while (page.hasNext());
    return targets;
  }

  List<Target> sharedTargets() {
    return shared.stream().map(Place.Shared::target).toList();
  }


  private static ThreadFactory threads(String role) {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory defaults = Executors.defaultThreadFactory();
    return runnable -> {
      Thread thread = defaults.newThread(runnable);
      thread.setName("tenancy-migration-" + role + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public String toString() {
    return "MigrationWaves[" + (schemas != null ? "schemas " + schemas.migrations : databases != null
        ? "databases " + databases.migrations : "no tenants") + ", shared=" + shared.size() + ", waveSize="
        + settings.waveSize() + ", parallelism=" + settings.parallelism() + ", store=" + store + "]";
  }

  /** A shared schema and its migrations. */
  private record SharedSchema(DataSource dataSource, String schema, List<String> locations) {
  }

  /** Configures {@link MigrationWaves}; each option is checked when set or in {@link #build()}. */
  public static final class Builder {

    private @Nullable Function<TenantQuery, TenantPage> tenants;
    private Predicate<Tenant> include = tenant -> tenant.status() != TenantStatus.DELETED
        && tenant.status() != TenantStatus.PROVISIONING;
    private @Nullable DataSource schemaDataSource;
    private @Nullable String urlTemplate;
    private @Nullable String user;
    private @Nullable String password;
    private String prefix = "tenant_";
    private List<String> locations = List.of(TenantMigrations.DEFAULT_LOCATION);
    private String historyTable = TenantMigrations.DEFAULT_HISTORY_TABLE;
    private Map<String, String> placeholders = Map.of();
    private final List<SharedSchema> shared = new ArrayList<>();
    private MigrationStatusStore store = new InMemoryMigrationStatusStore();
    private final List<TenantSlug> canarySlugs = new ArrayList<>();
    private int canaryCount = 1;
    private boolean canaryCountSet;
    private int waveSize = 50;
    private int parallelism = 2;
    private @Nullable Executor executor;
    private int maxFailures = Integer.MAX_VALUE;
    private Duration lease = Duration.ofMinutes(10);
    private boolean fastCheck = true;
    private boolean repairOnRetry;
    private Clock clock = Clock.systemUTC();
    private final List<MigrationListener> listeners = new ArrayList<>();

    private Builder() {
    }

    /**
     * Where the tenants come from: a tenant store, listed page by page at the start of each run.
     *
     * @param store the tenant store
     * @return this builder
     */
    public Builder tenants(TenantStore store) {
      Objects.requireNonNull(store, "store");
      this.tenants = store::list;
      return this;
    }

    /**
     * Where the tenants come from: the tenant service, listed page by page at the start of each run.
     *
     * @param service the tenant service
     * @return this builder
     */
    public Builder tenants(TenantService service) {
      Objects.requireNonNull(service, "service");
      this.tenants = service::list;
      return this;
    }

    /**
     * Which tenants to migrate.
     *
     * @param filter the test; default: every tenant that is neither {@code DELETED} (purged, nothing left to migrate)
     *     nor {@code PROVISIONING} (its provisioning step migrates it)
     * @return this builder
     */
    public Builder include(Predicate<Tenant> filter) {
      this.include = Objects.requireNonNull(filter, "filter");
      return this;
    }

    /**
     * Tenants have a schema each in one database (schema per tenant), named {@code <prefix><slug>} as
     * {@code CreateSchemaStep} creates them.
     *
     * @param adminDataSource the raw (admin) DataSource that owns the tenant schemas; never a tenant-bound one
     * @return this builder
     */
    public Builder schemas(DataSource adminDataSource) {
      this.schemaDataSource = Objects.requireNonNull(adminDataSource, "adminDataSource");
      return this;
    }

    /**
     * Tenants have a database each (database per tenant), named {@code <prefix><slug>} as {@code CreateDatabaseStep}
     * creates them; the migrations run in each database's {@code public} schema.
     *
     * @param template a JDBC URL with {@value MigrationWaves#DATABASE_PLACEHOLDER} where the database name goes
     * @return this builder
     */
    public Builder databases(String template) {
      this.urlTemplate = Objects.requireNonNull(template, "template");
      return this;
    }

    /**
     * The credentials Flyway connects to tenant databases with; by default the URL or the driver decides. The
     * password never appears in a recorded error.
     *
     * @param userName the role
     * @param secret its password, or {@code null}
     * @return this builder
     */
    public Builder credentials(String userName, @Nullable String secret) {
      this.user = Objects.requireNonNull(userName, "userName");
      this.password = secret;
      return this;
    }

    /**
     * The prefix of every tenant schema or database name; must match the provisioning step's.
     *
     * @param namePrefix 1 to 21 characters a-z, 0-9 or {@code _}, starting with a letter; default {@code tenant_}
     * @return this builder
     */
    public Builder prefix(String namePrefix) {
      Objects.requireNonNull(namePrefix, "namePrefix");
      SqlIdentifiers.tenantSchema(namePrefix, TenantSlug.of("probe"));
      this.prefix = namePrefix;
      return this;
    }

    /**
     * Where the tenant migrations are, in Flyway's notation; must match the provisioning step's.
     *
     * @param flywayLocations e.g. {@code classpath:db/tenant} (the default)
     * @return this builder
     */
    public Builder locations(String... flywayLocations) {
      this.locations = List.copyOf(Arrays.asList(flywayLocations));
      return this;
    }

    /**
     * The name of Flyway's history table in each target; must match the provisioning step's.
     *
     * @param table lower-case letters, digits and {@code _}; default {@code flyway_schema_history}
     * @return this builder
     */
    public Builder historyTable(String table) {
      this.historyTable = Objects.requireNonNull(table, "table");
      return this;
    }

    /**
     * Extra Flyway placeholders, next to {@code tenant_id}, {@code tenant_slug} and {@code tenant_schema}; must match
     * the provisioning step's.
     *
     * @param values placeholder names and values
     * @return this builder
     */
    public Builder placeholders(Map<String, String> values) {
      this.placeholders = Map.copyOf(values);
      return this;
    }

    /**
     * A schema that tenants share (row-level security): migrated once per run, before any tenant, and recorded once
     * under the target {@code shared:<schema>}. A failure stops the run. May be called for several schemas (one per
     * shard, say).
     *
     * @param dataSource the raw (admin) DataSource of the shared schema's database
     * @param schema the schema, e.g. {@code public}
     * @param flywayLocations the shared migrations (tenant placeholders are not set for them)
     * @return this builder
     */
    public Builder sharedSchema(DataSource dataSource, String schema, String... flywayLocations) {
      Objects.requireNonNull(dataSource, "dataSource");
      SqlIdentifiers.quote(Objects.requireNonNull(schema, "schema"));
      List<String> where = List.copyOf(Arrays.asList(flywayLocations));
      if (where.isEmpty()) {
        throw new IllegalArgumentException("A shared schema needs the Flyway location of its migrations");
      }
      shared.add(new SharedSchema(dataSource, schema, where));
      return this;
    }

    /**
     * Where each target's status is recorded. Use {@link JdbcMigrationStatusStore} when several app instances may
     * run migrations, or when statuses must survive a restart (resume after a crash).
     *
     * @param statusStore the store; default a new {@link InMemoryMigrationStatusStore}
     * @return this builder
     */
    public Builder statusStore(MigrationStatusStore statusStore) {
      this.store = Objects.requireNonNull(statusStore, "statusStore");
      return this;
    }

    /**
     * Names the canary tenants, migrated one at a time, in this order, before any other; if one fails the run
     * stops. Canaries already current are not migrated again.
     *
     * @param slugs the canaries' slugs
     * @return this builder
     * @throws dev.tenancy.core.TenantValidationException if a slug is malformed
     */
    public Builder canaries(String... slugs) {
      for (String slug : slugs) {
        canarySlugs.add(TenantSlug.of(slug));
      }
      return this;
    }

    /**
     * Takes the first tenants that need migrating (by slug) as canaries, instead of naming them.
     *
     * @param count 0 for no canaries; default 1
     * @return this builder
     */
    public Builder canaryCount(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("canaryCount must not be negative, was " + count);
      }
      this.canaryCount = count;
      this.canaryCountSet = true;
      return this;
    }

    /**
     * @param size tenants per wave after the canaries; default 50
     * @return this builder
     */
    public Builder waveSize(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("waveSize must be at least 1, was " + size);
      }
      this.waveSize = size;
      return this;
    }

    /**
     * How many targets are migrated (and checked) at once; each migration holds up to two connections.
     *
     * @param count 1 or more; default 2
     * @return this builder
     */
    public Builder parallelism(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("parallelism must be at least 1, was " + count);
      }
      this.parallelism = count;
      return this;
    }

    /**
     * The threads migrations run on. The run still starts at most {@link #parallelism} tasks at once, so a larger
     * shared executor does not raise the connection count.
     *
     * @param threads an executor; default a pool of {@code parallelism} daemon threads per run
     * @return this builder
     */
    public Builder executor(Executor threads) {
      this.executor = Objects.requireNonNull(threads, "threads");
      return this;
    }

    /**
     * Stops the run after a wave when more targets than this have failed; the rest stay pending.
     *
     * @param count 0 or more; default no limit (a failure stays with its tenant)
     * @return this builder
     */
    public Builder maxFailures(int count) {
      if (count < 0) {
        throw new IllegalArgumentException("maxFailures must not be negative, was " + count);
      }
      this.maxFailures = count;
      return this;
    }

    /**
     * How long a claim holds without renewal. The run renews its claims every third of it; a run that crashed
     * leaves its targets {@code RUNNING} until it runs out, then the next run takes them over. Keep it well above
     * the clock difference between app instances.
     *
     * @param duration positive; default 10 minutes
     * @return this builder
     */
    public Builder lease(Duration duration) {
      Objects.requireNonNull(duration, "duration");
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("lease must be positive, was " + duration);
      }
      this.lease = duration;
      return this;
    }

    /**
     * Whether targets already current are recognised from their history table, without starting Flyway for each.
     * Turn it off to have Flyway look at every target (slower; Flyway then also validates each).
     *
     * @param enabled default {@code true}
     * @return this builder
     */
    public Builder fastCheck(boolean enabled) {
      this.fastCheck = enabled;
      return this;
    }

    /**
     * Whether a run, before retrying a target whose last attempt {@code FAILED}, removes the failed rows from the
     * target's Flyway history. Databases whose DDL is not transactional (H2, unlike PostgreSQL) leave such a row when
     * a migration fails, and Flyway refuses to migrate again until it is gone ("run repair"). Only the failed rows
     * go — applied migrations' checksums are not realigned as Flyway's {@code repair} would — so first remove what
     * the failed migration half-did, as Flyway asks.
     *
     * @param enabled default {@code false}
     * @return this builder
     */
    public Builder repairOnRetry(boolean enabled) {
      this.repairOnRetry = enabled;
      return this;
    }

    /**
     * @param time the clock for timestamps and leases; default the system UTC clock
     * @return this builder
     */
    public Builder clock(Clock time) {
      this.clock = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * Adds a listener of the run's progress.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(MigrationListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * @return the configured waves
     * @throws IllegalStateException if tenants are given without a place or the other way round, both places are
     *     given, nothing is to be migrated, or both named canaries and a canary count are set
     * @throws IllegalArgumentException if the URL template lacks its placeholder, a location or the history table is
     *     malformed, or a HikariCP pool is too small for the parallelism
     */
    public MigrationWaves build() {
      boolean place = schemaDataSource != null || urlTemplate != null;
      if (schemaDataSource != null && urlTemplate != null) {
        throw new IllegalStateException("Tenants live either in schemas or in databases: call schemas(...) or"
            + " databases(...), not both");
      }
      if (tenants != null && !place) {
        throw new IllegalStateException("Say where the tenants' migrations run: schemas(adminDataSource) for schema"
            + " per tenant, or databases(\"jdbc:postgresql://host/" + DATABASE_PLACEHOLDER + "\")");
      }
      if (tenants == null && place) {
        throw new IllegalStateException("Say which tenants to migrate: tenants(tenantService) or tenants(tenantStore)");
      }
      if (tenants == null && shared.isEmpty()) {
        throw new IllegalStateException("Nothing to migrate: configure tenants(...) with schemas(...) or"
            + " databases(...), and/or sharedSchema(...)");
      }
      if (urlTemplate != null && !urlTemplate.contains(DATABASE_PLACEHOLDER)) {
        throw new IllegalArgumentException("The URL template must contain " + DATABASE_PLACEHOLDER + " where the"
            + " tenant's database name goes; was '" + urlTemplate + "'");
      }
      if (!canarySlugs.isEmpty() && canaryCountSet) {
        throw new IllegalStateException("Name the canaries or count them, not both");
      }
      if (!canarySlugs.isEmpty()) {
        canaryCount = 0;
      }
      checkPool(schemaDataSource);
      shared.forEach(schema -> checkPool(schema.dataSource()));
      TenantMigrations migrations = place ? new TenantMigrations(locations, historyTable, placeholders) : null;
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      return new MigrationWaves(this, migrations, context != null ? context : MigrationWaves.class.getClassLoader());
    }

    private void checkPool(@Nullable DataSource dataSource) {
      if (dataSource instanceof HikariDataSource hikari
          && hikari.getMaximumPoolSize() < CONNECTIONS_PER_MIGRATION * parallelism) {
        throw new IllegalArgumentException("parallelism " + parallelism + " needs " + CONNECTIONS_PER_MIGRATION
            * parallelism + " connections (Flyway holds " + CONNECTIONS_PER_MIGRATION + " per migration), but pool '"
            + hikari.getPoolName() + "' has at most " + hikari.getMaximumPoolSize() + "; lower the parallelism or"
            + " give the migrations a larger pool");
      }
    }
  }
}
