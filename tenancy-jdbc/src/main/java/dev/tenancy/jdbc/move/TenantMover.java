package dev.tenancy.jdbc.move;

import dev.tenancy.core.TenantConflictException;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantNotFoundException;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.Tenant;
import dev.tenancy.jdbc.Sharded;
import dev.tenancy.jdbc.TenantAwareDataSource;
import dev.tenancy.jdbc.backup.TenantTables;
import dev.tenancy.jdbc.spi.MutableShardDirectory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Moves a tenant between the shards of a {@link Sharded} strategy — between servers, and between isolation tiers
 * (shared tables under row-level security, a schema of its own, a database of its own) — without losing a row and
 * without serving it from a half-made place.
 *
 * <pre>{@code
 * TenantMover mover = TenantMover.builder(sharded, directory, tenantService)
 *     .place("shared", Place.sharedTables())
 *     .place("schemas", Place.ownSchema(schemaStep, adminDataSource))
 *     .place("dedicated", Place.ownDatabase(databaseStep, adminDataSource))
 *     .build();
 * TenantMove move = mover.move(acme.id(), "dedicated");
 * }</pre>
 *
 * <p>A move runs the {@link MoveStep steps} in order: {@link MoveStep#SUSPEND suspend} the tenant and wait the drain
 * period; {@link MoveStep#PREPARE prepare} the target (refused if it already holds anything of the tenant);
 * {@link MoveStep#COPY copy} the rows in one target transaction; {@link MoveStep#VERIFY verify} that the digests
 * (row counts and SHA-256 per table) are equal; {@link MoveStep#SWITCH switch} the directory with a compare-and-set;
 * after the directory's propagation delay, {@link MoveStep#PURGE purge} the old copy in a way that can still be undone
 * (after checking the source did not change); {@link MoveStep#RESTORE restore} the tenant's status, which commits the
 * move, and erase the old copy for good. A failure at any step before the commit undoes every step done, in reverse:
 * the tenant serves from its original place with its original status and the half-made target is removed; the
 * {@link TenantMoveException} names the step. Each step is logged (logger {@code dev.tenancy.jdbc.move.TenantMover})
 * and told to the {@link MoveListener}s, so an operator sees where a move stopped.
 *
 * <p>The directory must be the one the {@code Sharded} strategy reads. The tenant is out of service for the whole
 * move (it is suspended; a tenant that was not serving is left as it is). Run one move per tenant at a time: this
 * mover refuses a second concurrent move of the same tenant, and the directory's compare-and-set stops a second mover
 * elsewhere from switching it. Call it inside {@code TenantContext.asPlatform(...)} so that the status changes are
 * recorded as platform work by whoever moved the tenant.
 */
public final class TenantMover {

  /** The drain period when none is configured: the default cache TTL of {@code JdbcTenantStore}. */
  public static final Duration DEFAULT_DRAIN_PERIOD = Duration.ofSeconds(5);

  final Map<String, Shard> shards;
  final MutableShardDirectory directory;
  final TenantService tenants;
  final Duration drainPeriod;
  final String tenantColumn;
  final List<MoveListener> listeners;
  final Clock clock;
  final Sleeper sleeper;
  final StepHook hook;
  private final Set<TenantId> moving = ConcurrentHashMap.newKeySet();

  private TenantMover(Builder builder) {
    this.shards = Map.copyOf(builder.shards);
    this.directory = builder.directory;
    this.tenants = builder.tenants;
    this.drainPeriod = builder.drainPeriod;
    this.tenantColumn = builder.tenantColumn;
    this.listeners = List.copyOf(builder.listeners);
    this.clock = builder.clock;
    this.sleeper = builder.sleeper;
    this.hook = builder.hook;
  }

  /**
   * Starts a configuration.
   *
   * @param sharded the strategy whose shards are the places
   * @param directory the directory that strategy reads, writable
   * @param tenants the service that suspends the tenant and restores its status
   * @return a builder
   */
  public static Builder builder(Sharded sharded, MutableShardDirectory directory, TenantService tenants) {
    return new Builder(Objects.requireNonNull(sharded, "sharded"), Objects.requireNonNull(directory, "directory"),
        Objects.requireNonNull(tenants, "tenants"));
  }

  /** @return the shards that take part in moves, each with its place */
  public Map<String, Place> places() {
    Map<String, Place> places = new LinkedHashMap<>();
    shards.forEach((name, shard) -> places.put(name, shard.place()));
    return places;
  }

  /**
   * Moves a tenant to another shard.
   *
   * @param tenant the tenant
   * @param targetShard the shard it is to serve from
   * @return what was moved, with the journal
   * @throws IllegalArgumentException if the target shard takes no part in moves, or the tenant is on it already
   * @throws IllegalStateException if the tenant is on no shard, or on one that takes no part in moves
   * @throws TenantNotFoundException if there is no such tenant
   * @throws TenantConflictException if the tenant is provisioning or deleted, or already being moved
   * @throws TenantMoveException if a step failed; {@link TenantMoveException#rolledBack()} tells whether the tenant
   *     serves from its original place with its original status again
   */
  public TenantMove move(TenantId tenant, String targetShard) {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(targetShard, "targetShard");
    Shard target = shards.get(targetShard);
    if (target == null) {
      throw new IllegalArgumentException("Shard '" + targetShard + "' takes no part in moves; shards with a place: "
          + shards.keySet() + ". Configure it with TenantMover.Builder.place(name, Place...)");
    }
    Tenant current = tenants.find(tenant).orElseThrow(() -> new TenantNotFoundException(tenant.toString()));
    if (current.status() == TenantStatus.PROVISIONING || current.status() == TenantStatus.DELETED) {
      throw new TenantConflictException("Tenant " + tenant + " is " + current.status() + "; only a provisioned,"
          + " not deleted tenant can be moved");
    }
    String from = directory.shardOf(tenant).orElseThrow(() -> new IllegalStateException("Tenant " + tenant
        + " is on no shard of the directory; place it where its data is before moving it"));
    if (from.equals(targetShard)) {
      throw new IllegalArgumentException("Tenant " + tenant + " is on shard '" + from + "' already");
    }
    Shard source = shards.get(from);
    if (source == null) {
      throw new IllegalStateException("Tenant " + tenant + " is on shard '" + from + "', which takes no part in"
          + " moves; configure it with TenantMover.Builder.place(\"" + from + "\", Place...)");
    }
    if (!moving.add(tenant)) {
      throw new TenantConflictException("Tenant " + tenant + " is being moved already; wait for that move to end");
    }
    try {
      return new MoveRun(this, current, source, target).run();
    } finally {
      moving.remove(tenant);
    }
  }

  @Override
  public String toString() {
    return "TenantMover" + places();
  }

  /** Configures a {@link TenantMover}; {@link #build()} checks the places against the shards. */
  public static final class Builder {
    private final Sharded sharded;
    private final MutableShardDirectory directory;
    private final TenantService tenants;
    private final Map<String, Shard> shards = new LinkedHashMap<>();
    private final List<MoveListener> listeners = new ArrayList<>();
    private Duration drainPeriod = DEFAULT_DRAIN_PERIOD;
    private String tenantColumn = TenantTables.DEFAULT_TENANT_COLUMN;
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.THREAD;
    private StepHook hook = StepHook.NONE;

    private Builder(Sharded sharded, MutableShardDirectory directory, TenantService tenants) {
      this.sharded = sharded;
      this.directory = directory;
      this.tenants = tenants;
    }

    /**
     * Lets a shard take part in moves.
     *
     * @param shard the shard's name in the {@code Sharded} strategy
     * @param place how it holds its tenants; must fit its strategy ({@link Place#sharedTables()} a
     *     {@code RowLevelSecurity} shard, {@link Place#ownSchema} a {@code SchemaPerTenant} one,
     *     {@link Place#ownDatabase} a {@code DatabasePerTenant} one)
     * @return this builder
     * @throws IllegalArgumentException if there is no such shard, it has a place already, or the place does not fit
     */
    public Builder place(String shard, Place place) {
      Objects.requireNonNull(shard, "shard");
      Objects.requireNonNull(place, "place");
      var strategy = sharded.shard(shard);
      place.check(shard, strategy);
      if (shards.containsKey(shard)) {
        throw new IllegalArgumentException("Shard '" + shard + "' has a place already");
      }
      shards.put(shard, new Shard(shard, strategy, TenantAwareDataSource.of(strategy), place));
      return this;
    }

    /**
     * How long to wait after suspending the tenant before copying: long enough for requests in flight to finish and
     * for every app instance to see the suspension (the tenant store's cache TTL, 5 s for {@code JdbcTenantStore}).
     *
     * @param period zero or positive; default {@link #DEFAULT_DRAIN_PERIOD}
     * @return this builder
     */
    public Builder drainPeriod(Duration period) {
      Objects.requireNonNull(period, "period");
      if (period.isNegative()) {
        throw new IllegalArgumentException("drainPeriod must be zero or positive, was " + period);
      }
      this.drainPeriod = period;
      return this;
    }

    /**
     * The tenant column of shared tables, the one the row-level security policies compare.
     *
     * @param column default {@value TenantTables#DEFAULT_TENANT_COLUMN}
     * @return this builder
     */
    public Builder tenantColumn(String column) {
      Objects.requireNonNull(column, "column");
      if (column.isBlank()) {
        throw new IllegalArgumentException("tenantColumn must not be blank");
      }
      this.tenantColumn = column;
      return this;
    }

    /**
     * Adds a listener that hears every journal line.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(MoveListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /**
     * @param time the clock for the journal and the waits; {@link Clock#systemUTC()} if not set
     * @return this builder
     */
    public Builder clock(Clock time) {
      this.clock = Objects.requireNonNull(time, "time");
      return this;
    }

    /** How waits are waited; for tests. */
    Builder sleeper(Sleeper waits) {
      this.sleeper = Objects.requireNonNull(waits, "waits");
      return this;
    }

    /** Failure injection; for tests. */
    Builder hook(StepHook steps) {
      this.hook = Objects.requireNonNull(steps, "steps");
      return this;
    }

    /**
     * @return the mover
     * @throws IllegalStateException if fewer than two shards have a place
     */
    public TenantMover build() {
      if (shards.size() < 2) {
        throw new IllegalStateException("A mover needs at least two shards with a place to move between; configure"
            + " them with place(name, Place...), has " + shards.keySet());
      }
      return new TenantMover(this);
    }
  }
}
