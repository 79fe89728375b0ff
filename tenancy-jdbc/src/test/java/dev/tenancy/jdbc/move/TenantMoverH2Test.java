package dev.tenancy.jdbc.move;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.EnvironmentOverrides;
import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantConfigurationResolver;
import dev.tenancy.core.TenantConflictException;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantNotFoundException;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.TierCatalog;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.jdbc.InMemoryShardDirectory;
import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.Sharded;
import dev.tenancy.jdbc.TenantAwareDataSource;
import dev.tenancy.jdbc.backup.TenantDataDigest;
import dev.tenancy.jdbc.move.MoveEvent.Kind;
import dev.tenancy.jdbc.move.StepHook.Phase;
import dev.tenancy.jdbc.provisioning.CreateSchemaStep;
import dev.tenancy.jdbc.spi.MutableShardDirectory;
import dev.tenancy.test.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The move orchestration on two embedded H2 databases, each a shard with a schema per tenant ("eu-1", "eu-2"): every
 * step in order, the waits, a failure injected before and after each step's work, and the refusals. The copy engine
 * is the real one; only the clock and the sleeping are the test's.
 */
class TenantMoverH2Test {

  private static final String MIGRATIONS = "classpath:dev/tenancy/jdbc/movetest/h2";
  private static final Duration DRAIN = Duration.ofSeconds(5);
  private static final Duration PROPAGATION = Duration.ofSeconds(6);

  private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T10:00:00Z"));
  private final List<Duration> waits = new ArrayList<>();
  private final Sleeper sleeper = duration -> {
    waits.add(duration);
    clock.advance(duration);
  };
  private final InMemoryShardDirectory placements = new InMemoryShardDirectory();
  /** The in-memory directory, but reporting a propagation delay as a cached one would. */
  private final MutableShardDirectory directory = new MutableShardDirectory() {
    @Override
    public Optional<String> shardOf(TenantId tenant) {
      return placements.shardOf(tenant);
    }

    @Override
    public boolean move(TenantId tenant, String expectedShard, String newShard) {
      return placements.move(tenant, expectedShard, newShard);
    }

    @Override
    public Duration propagationDelay() {
      return PROPAGATION;
    }
  };
  private final TenantService tenants = TenantService.builder().store(new InMemoryTenantStore())
      .resolver(TenantConfigurationResolver.of(TierCatalog.builtIn(), EnvironmentOverrides.none())).clock(clock)
      .build();

  private H2Shard eu1;
  private H2Shard eu2;
  private Sharded sharded;
  private TenantAwareDataSource app;

  @BeforeEach
  void startShards() {
    eu1 = new H2Shard("eu-1");
    eu2 = new H2Shard("eu-2");
    sharded = Sharded.builder(directory).shard("eu-1", eu1.strategy).shard("eu-2", eu2.strategy).build();
    app = TenantAwareDataSource.of(sharded);
  }

  @AfterEach
  void stopShards() {
    eu1.close();
    eu2.close();
  }

  private TenantMover.Builder mover() {
    return TenantMover.builder(sharded, directory, tenants)
        .place("eu-1", Place.ownSchema(eu1.step, eu1.admin))
        .place("eu-2", Place.ownSchema(eu2.step, eu2.admin))
        .drainPeriod(DRAIN)
        .clock(clock)
        .sleeper(sleeper);
  }

  private Tenant tenantOn(String slug, H2Shard shard, int customers, TenantStatus status) throws SQLException {
    Tenant tenant = tenants.create(NewTenant.of(slug, slug.toUpperCase()).withInitialStatus(TenantStatus.ACTIVE));
    shard.step.provision(tenant);
    placements.assign(tenant.id(), shard.name);
    Shop.seed(app, tenants.info(tenant), customers);
    if (status == TenantStatus.SUSPENDED) {
      tenants.suspend(tenant.id());
    } else if (status == TenantStatus.TRIAL) {
      tenants.suspend(tenant.id());
      tenants.changeStatus(tenant.id(), TenantStatus.TRIAL);
    }
    return tenants.find(tenant.id()).orElseThrow();
  }

  private TenantInfo info(Tenant tenant) {
    return tenants.info(tenant);
  }

  private TenantStatus status(Tenant tenant) {
    return tenants.find(tenant.id()).orElseThrow().status();
  }

  @Test
  void move_copiesEveryRow_servesFromTheTarget_andErasesTheOldSchema() throws Exception {
    Tenant acme = tenantOn("acme", eu1, 40, TenantStatus.ACTIVE);
    Tenant globex = tenantOn("globex", eu1, 7, TenantStatus.ACTIVE);
    TenantDataDigest acmeBefore = TenantDataDigest.of(app, info(acme));
    TenantDataDigest globexBefore = TenantDataDigest.of(app, info(globex));

    TenantMove move = mover().build().move(acme.id(), "eu-2");

    assertThat(move.from()).isEqualTo("eu-1");
    assertThat(move.to()).isEqualTo("eu-2");
    assertThat(move.totalRows()).isEqualTo(120);
    assertThat(move.leftovers()).isEmpty();
    assertThat(directory.shardOf(acme.id())).contains("eu-2");
    assertThat(TenantDataDigest.of(app, info(acme))).isEqualTo(acmeBefore);
    assertThat(Shop.seen(app, info(acme))).isEqualTo(Shop.expected(40));
    assertThat(eu1.schemas()).doesNotContain("tenant_acme").noneMatch(s -> s.startsWith("moved_"));
    assertThat(eu2.schemas()).contains("tenant_acme");
    assertThat(status(acme)).isEqualTo(TenantStatus.ACTIVE);
    assertThat(TenantDataDigest.of(app, info(globex))).isEqualTo(globexBefore);
    assertThat(move.journal()).filteredOn(e -> e.kind() == Kind.DONE).extracting(MoveEvent::step)
        .containsExactly(MoveStep.values());
  }

  @Test
  void move_thereAndBack_leavesTheSameData() throws Exception {
    Tenant acme = tenantOn("acme", eu1, 25, TenantStatus.ACTIVE);
    TenantDataDigest before = TenantDataDigest.of(app, info(acme));
    TenantMover mover = mover().build();

    mover.move(acme.id(), "eu-2");
    mover.move(acme.id(), "eu-1");

    assertThat(directory.shardOf(acme.id())).contains("eu-1");
    assertThat(TenantDataDigest.of(app, info(acme))).isEqualTo(before);
    assertThat(eu2.schemas()).doesNotContain("tenant_acme");
  }

  @Test
  void move_keepsTheTenantSuspendedThroughTheDrainAndThePropagationDelay() throws Exception {
    Tenant acme = tenantOn("acme", eu1, 5, TenantStatus.ACTIVE);
    List<String> seen = new ArrayList<>();
    TenantMover mover = mover().listener(event -> {
      if (event.kind() == Kind.STARTED) {
        seen.add(event.step() + "=" + status(acme) + "@" + directory.shardOf(acme.id()).orElseThrow());
      }
    }).build();

    mover.move(acme.id(), "eu-2");

    assertThat(waits).containsExactly(DRAIN, PROPAGATION);
    TenantMove move = mover.move(acme.id(), "eu-1");
    assertThat(move.stepDurations()).containsOnlyKeys(MoveStep.values());
    assertThat(move.stepDurations().get(MoveStep.SUSPEND)).isEqualTo(DRAIN);
    assertThat(move.stepDurations().get(MoveStep.PURGE)).isEqualTo(PROPAGATION);
    assertThat(move.took()).isEqualTo(DRAIN.plus(PROPAGATION));
    assertThat(seen.subList(0, 7)).containsExactly("SUSPEND=ACTIVE@eu-1", "PREPARE=SUSPENDED@eu-1", "COPY=SUSPENDED@eu-1",
        "VERIFY=SUSPENDED@eu-1", "SWITCH=SUSPENDED@eu-1", "PURGE=SUSPENDED@eu-2", "RESTORE=SUSPENDED@eu-2");
  }

  @Test
  void move_ofATrialOrSuspendedTenant_keepsItsStatus() throws Exception {
    Tenant trial = tenantOn("trial", eu1, 3, TenantStatus.TRIAL);
    Tenant suspended = tenantOn("unpaid", eu1, 3, TenantStatus.SUSPENDED);
    TenantMover mover = mover().build();

    mover.move(trial.id(), "eu-2");
    mover.move(suspended.id(), "eu-2");

    assertThat(status(trial)).isEqualTo(TenantStatus.TRIAL);
    assertThat(status(suspended)).isEqualTo(TenantStatus.SUSPENDED);
  }

  static Stream<Arguments> everyStep() {
    List<Arguments> cases = new ArrayList<>();
    for (MoveStep step : MoveStep.values()) {
      cases.add(Arguments.of(step, Phase.BEFORE));
      if (step != MoveStep.RESTORE) {
        cases.add(Arguments.of(step, Phase.AFTER));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "failure {1} {0}")
  @MethodSource("everyStep")
  void failureAtAnyStep_leavesTheTenantServingFromItsOriginalPlace(MoveStep failing, Phase phase) throws Exception {
    Tenant acme = tenantOn("acme", eu1, 30, TenantStatus.ACTIVE);
    Tenant globex = tenantOn("globex", eu1, 4, TenantStatus.ACTIVE);
    TenantDataDigest before = TenantDataDigest.of(app, info(acme));
    TenantDataDigest globexBefore = TenantDataDigest.of(app, info(globex));
    TenantMover mover = mover().hook((step, at) -> {
      if (step == failing && at == phase) {
        throw new IllegalStateException("injected at " + at + " " + step);
      }
    }).build();

    TenantMoveException failure = catchThrowableOfType(() -> mover.move(acme.id(), "eu-2"),
        TenantMoveException.class);

    assertThat(failure.failedStep()).isEqualTo(failing);
    assertThat(failure.rolledBack()).isTrue();
    assertThat(failure.leftovers()).isEmpty();
    assertThat(failure).hasMessageContaining("failed at step " + failing).hasMessageContaining("injected");
    assertThat(directory.shardOf(acme.id())).contains("eu-1");
    assertThat(status(acme)).isEqualTo(TenantStatus.ACTIVE);
    assertThat(TenantDataDigest.of(app, info(acme))).isEqualTo(before);
    assertThat(Shop.seen(app, info(acme))).isEqualTo(Shop.expected(30));
    assertThat(eu2.schemas()).doesNotContain("tenant_acme");
    assertThat(eu1.schemas()).noneMatch(s -> s.startsWith("moved_"));
    assertThat(TenantDataDigest.of(app, info(globex))).isEqualTo(globexBefore);
    assertThat(failure.journal()).anyMatch(e -> e.step() == failing && e.kind() == Kind.FAILED);
    assertThat(failure.journal()).noneMatch(e -> e.kind() == Kind.UNDO_FAILED);
  }

  @Test
  void failureAfterTheSwitch_waitsThePropagationDelayBeforeTheStatusComesBack() throws Exception {
    Tenant acme = tenantOn("acme", eu1, 3, TenantStatus.ACTIVE);
    TenantMover mover = mover().hook((step, at) -> {
      if (step == MoveStep.PURGE && at == Phase.BEFORE) {
        throw new IllegalStateException("injected");
      }
    }).build();

    TenantMoveException failure = catchThrowableOfType(() -> mover.move(acme.id(), "eu-2"),
        TenantMoveException.class);

    // drain, then the wait after switching back: no instance may still route acme to eu-2 when it serves again
    assertThat(waits).containsExactly(DRAIN, PROPAGATION);
    List<Kind> undo = failure.journal().stream().filter(e -> e.kind() == Kind.UNDONE).map(MoveEvent::kind).toList();
    assertThat(undo).hasSize(3);
    assertThat(failure.journal()).extracting(MoveEvent::step, MoveEvent::kind).endsWith(
        org.assertj.core.groups.Tuple.tuple(MoveStep.PURGE, Kind.FAILED),
        org.assertj.core.groups.Tuple.tuple(MoveStep.SWITCH, Kind.UNDONE),
        org.assertj.core.groups.Tuple.tuple(MoveStep.PREPARE, Kind.UNDONE),
        org.assertj.core.groups.Tuple.tuple(MoveStep.SUSPEND, Kind.UNDONE));
  }

  /**
   * A write that reaches the old place after verification (a request that outlived the drain period) must not be
   * lost by erasing the old copy: the purge sees the source changed and the move is undone with the write kept.
   */
  @Test
  void writeToTheSourceAfterVerification_failsThePurge_andTheWriteIsKept() throws Exception {
    Tenant acme = tenantOn("acme", eu1, 10, TenantStatus.ACTIVE);
    TenantAwareDataSource eu1Only = TenantAwareDataSource.of(eu1.strategy);
    TenantMover mover = mover().hook((step, at) -> {
      if (step == MoveStep.SWITCH && at == Phase.AFTER) {
        Shop.addCustomer(eu1Only, info(acme), 999L);
      }
    }).build();

    TenantMoveException failure = catchThrowableOfType(() -> mover.move(acme.id(), "eu-2"),
        TenantMoveException.class);

    assertThat(failure.failedStep()).isEqualTo(MoveStep.PURGE);
    assertThat(failure).hasMessageContaining("source changed");
    assertThat(failure.rolledBack()).isTrue();
    assertThat(directory.shardOf(acme.id())).contains("eu-1");
    assertThat(Shop.seen(app, info(acme))).containsEntry("customers", 11L);
    assertThat(eu2.schemas()).doesNotContain("tenant_acme");
  }

  @Test
  void tenantActivatedDuringTheMove_failsTheSwitch_andIsLeftAsItWasSet() throws Exception {
    Tenant acme = tenantOn("acme", eu1, 3, TenantStatus.ACTIVE);
    TenantMover mover = mover().hook((step, at) -> {
      if (step == MoveStep.VERIFY && at == Phase.AFTER) {
        tenants.activate(acme.id());
      }
    }).build();

    TenantMoveException failure = catchThrowableOfType(() -> mover.move(acme.id(), "eu-2"),
        TenantMoveException.class);

    assertThat(failure.failedStep()).isEqualTo(MoveStep.SWITCH);
    assertThat(failure).hasMessageContaining("changed by someone else");
    assertThat(directory.shardOf(acme.id())).contains("eu-1");
    assertThat(status(acme)).isEqualTo(TenantStatus.ACTIVE);
    assertThat(eu2.schemas()).doesNotContain("tenant_acme");
  }

  @Test
  void targetAlreadyHoldingTheTenantsSchema_isRefusedAndLeftUntouched() throws Exception {
    Tenant acme = tenantOn("acme", eu1, 3, TenantStatus.ACTIVE);
    eu2.step.provision(acme);
    eu2.execute("INSERT INTO \"tenant_acme\".customers (organization_id, id, name) VALUES ('" + acme.id()
        + "', 1, 'stale')");

    TenantMoveException failure = catchThrowableOfType(() -> mover().build().move(acme.id(), "eu-2"),
        TenantMoveException.class);

    assertThat(failure.failedStep()).isEqualTo(MoveStep.PREPARE);
    assertThat(failure).hasMessageContaining("already holds schema tenant_acme");
    assertThat(failure.rolledBack()).isTrue();
    assertThat(eu2.count("SELECT COUNT(*) FROM \"tenant_acme\".customers")).isEqualTo(1);
    assertThat(status(acme)).isEqualTo(TenantStatus.ACTIVE);
  }

  @Test
  void undoThatCannotBringTheOldCopyBack_keepsServingTheVerifiedCopy_andSaysSo() throws Exception {
    Tenant acme = tenantOn("acme", eu1, 6, TenantStatus.ACTIVE);
    TenantDataDigest before = TenantDataDigest.of(app, info(acme));
    TenantMover mover = mover().hook((step, at) -> {
      if (step == MoveStep.PURGE && at == Phase.AFTER) {
        String aside = eu1.schemas().stream().filter(s -> s.startsWith("moved_")).findFirst().orElseThrow();
        eu1.execute("DROP SCHEMA \"" + aside + "\" CASCADE");
        throw new IllegalStateException("injected");
      }
    }).build();

    TenantMoveException failure = catchThrowableOfType(() -> mover.move(acme.id(), "eu-2"),
        TenantMoveException.class);

    assertThat(failure.rolledBack()).isFalse();
    assertThat(failure).hasMessageContaining("could NOT be fully undone");
    assertThat(failure.leftovers()).anyMatch(l -> l.contains("stays on shard 'eu-2'"));
    assertThat(failure.journal()).anyMatch(e -> e.step() == MoveStep.PURGE && e.kind() == Kind.UNDO_FAILED);
    assertThat(directory.shardOf(acme.id())).contains("eu-2");
    assertThat(status(acme)).isEqualTo(TenantStatus.SUSPENDED);
    assertThat(TenantDataDigest.of(app, info(acme))).isEqualTo(before);
  }

  @Test
  void interruptedWhileDraining_undoesTheSuspensionAndKeepsTheInterrupt() throws Exception {
    Tenant acme = tenantOn("acme", eu1, 2, TenantStatus.ACTIVE);
    TenantMover mover = mover().sleeper(duration -> {
      throw new InterruptedException("stop");
    }).build();

    try {
      TenantMoveException failure = catchThrowableOfType(() -> mover.move(acme.id(), "eu-2"),
          TenantMoveException.class);
      assertThat(failure.failedStep()).isEqualTo(MoveStep.SUSPEND);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(status(acme)).isEqualTo(TenantStatus.ACTIVE);
  }

  @Test
  void secondMoveOfTheSameTenantWhileOneRuns_isRefused() throws Exception {
    Tenant acme = tenantOn("acme", eu1, 2, TenantStatus.ACTIVE);
    List<Throwable> second = new ArrayList<>();
    TenantMover[] holder = new TenantMover[1];
    holder[0] = mover().hook((step, at) -> {
      if (step == MoveStep.COPY && at == Phase.BEFORE) {
        second.add(catchThrowableOfType(() -> holder[0].move(acme.id(), "eu-2"), TenantConflictException.class));
      }
    }).build();

    holder[0].move(acme.id(), "eu-2");

    assertThat(second).singleElement().asString().contains("being moved already");
    assertThat(directory.shardOf(acme.id())).contains("eu-2");
  }

  @Test
  void failingListener_isIgnored() throws Exception {
    Tenant acme = tenantOn("acme", eu1, 2, TenantStatus.ACTIVE);

    TenantMove move = mover().listener(event -> {
      throw new IllegalStateException("listener down");
    }).build().move(acme.id(), "eu-2");

    assertThat(move.journal()).isNotEmpty();
    assertThat(directory.shardOf(acme.id())).contains("eu-2");
  }

  @Test
  void move_refusesWhatItCannotDo() throws Exception {
    Tenant acme = tenantOn("acme", eu1, 1, TenantStatus.ACTIVE);
    TenantMover mover = mover().build();

    assertThatThrownBy(() -> mover.move(acme.id(), "us-1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("takes no part in moves");
    assertThatThrownBy(() -> mover.move(acme.id(), "eu-1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already");
    assertThatThrownBy(() -> mover.move(TenantId.random(), "eu-2")).isInstanceOf(TenantNotFoundException.class);
    Tenant unplaced = tenants.create(NewTenant.of("nowhere", "Nowhere"));
    assertThatThrownBy(() -> mover.move(unplaced.id(), "eu-2")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("on no shard");
  }

  @Test
  void builder_refusesPlacesThatDoNotFitTheirShard() {
    CreateSchemaStep otherPrefix = CreateSchemaStep.builder().dataSource(eu1.admin).schemaPrefix("t_")
        .locations(MIGRATIONS).build();
    assertThatThrownBy(() -> TenantMover.builder(sharded, directory, tenants)
        .place("eu-1", Place.ownSchema(otherPrefix, eu1.admin)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same prefix");
    assertThatThrownBy(() -> TenantMover.builder(sharded, directory, tenants).place("eu-1", Place.sharedTables()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RowLevelSecurity");
    assertThatThrownBy(() -> TenantMover.builder(sharded, directory, tenants).place("ap-9", Place.sharedTables()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No shard 'ap-9'");
    assertThatThrownBy(() -> TenantMover.builder(sharded, directory, tenants)
        .place("eu-1", Place.ownSchema(eu1.step, eu1.admin)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least two");
  }

  /** One embedded database with a schema per tenant. */
  private static final class H2Shard implements AutoCloseable {
    final String name;
    final JdbcDataSource admin = new JdbcDataSource();
    final HikariDataSource pool;
    final SchemaPerTenant strategy;
    final CreateSchemaStep step;

    H2Shard(String name) {
      this.name = name;
      admin.setURL("jdbc:h2:mem:move-" + name + "-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      HikariConfig config = new HikariConfig();
      config.setDataSource(admin);
      config.setMaximumPoolSize(3);
      config.setPoolName("move-h2-" + name);
      pool = new HikariDataSource(config);
      strategy = SchemaPerTenant.builder(pool).platformSchema("PUBLIC").build();
      step = CreateSchemaStep.builder().dataSource(admin).locations(MIGRATIONS).build();
    }

    List<String> schemas() {
      List<String> names = new ArrayList<>();
      try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement();
          ResultSet rows = statement.executeQuery("SELECT SCHEMA_NAME FROM INFORMATION_SCHEMA.SCHEMATA")) {
        while (rows.next()) {
          names.add(rows.getString(1));
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      return names;
    }

    long count(String sql) throws SQLException {
      try (Connection connection = admin.getConnection();
          PreparedStatement statement = connection.prepareStatement(sql);
          ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }

    void execute(String sql) {
      try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement()) {
        statement.execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public void close() {
      execute("SHUTDOWN");
      pool.close();
    }
  }
}
