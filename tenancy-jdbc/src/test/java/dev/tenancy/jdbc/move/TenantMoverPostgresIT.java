package dev.tenancy.jdbc.move;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.jdbc.backup.TenantDataDigest;
import dev.tenancy.jdbc.move.MoveEvent.Kind;
import dev.tenancy.jdbc.move.StepHook.Phase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Moving a tenant between isolation tiers and servers on a real PostgreSQL ({@link MovePostgres}): shared tables under
 * row-level security → its own schema → its own database → shared tables on another server → back, every row and
 * every foreign key kept and the old place emptied each time; and a failure injected at each step of three kinds of
 * move leaves the tenant serving from where it was, with its status, its rows, and a usable old place.
 */
class TenantMoverPostgresIT {

  private static final AtomicInteger TENANTS = new AtomicInteger();
  private static MovePostgres places;
  private static Tenant globex;
  private static TenantDataDigest globexDigest;

  @BeforeAll
  static void createPlaces() throws Exception {
    places = new MovePostgres();
    globex = places.tenantOn("globex", "shared", 30);
    globexDigest = TenantDataDigest.of(places.app, places.info(globex));
  }

  @AfterAll
  static void dropPlaces() throws Exception {
    if (places != null) {
      places.close();
    }
  }

  private static String slug(String prefix) {
    return prefix + "-" + TENANTS.incrementAndGet();
  }

  private static TenantStatus status(Tenant tenant) {
    return places.tenants.find(tenant.id()).orElseThrow().status();
  }

  /** The tenant is served from {@code shard}, all its data there, and another tenant did not notice. */
  private static void assertServedFrom(Tenant tenant, String shard, TenantDataDigest digest, int customers) {
    assertThat(places.directory.shardOf(tenant.id())).contains(shard);
    assertThat(status(tenant)).isEqualTo(TenantStatus.ACTIVE);
    assertThat(TenantDataDigest.of(places.app, places.info(tenant))).isEqualTo(digest);
    assertThat(Shop.seen(places.app, places.info(tenant))).isEqualTo(Shop.expected(customers));
    assertThat(TenantDataDigest.of(places.app, places.info(globex))).isEqualTo(globexDigest);
    assertThat(Shop.seen(places.app, places.info(globex))).isEqualTo(Shop.expected(30));
  }

  @Test
  void tenant_movedRlsToSchemaToDatabaseToAnotherServerAndBack_keepsEveryRowAndKey() throws Exception {
    Tenant acme = places.tenantOn(slug("acme"), "shared", 200);
    TenantDataDigest original = TenantDataDigest.of(places.app, places.info(acme));
    TenantMover mover = places.mover().build();
    List<String> route = List.of("shared", "schemas", "dedicated", "eu-2", "shared");

    for (int hop = 1; hop < route.size(); hop++) {
      String from = route.get(hop - 1);
      String to = route.get(hop);

      TenantMove move = mover.move(acme.id(), to);

      assertThat(move.totalRows()).as("%s → %s", from, to).isEqualTo(600);
      assertThat(move.leftovers()).isEmpty();
      assertServedFrom(acme, to, original, 200);
      assertThat(places.heldBy(from, acme)).as("what %s still holds of acme", from).isEmpty();
      assertThat(places.heldBy(to, acme)).isNotEmpty();
    }
    // The application goes on writing: a new customer takes a fresh id (the copy moved the sequence past its ids).
    Shop.addCustomer(places.app, places.info(acme), null);
    assertThat(Shop.seen(places.app, places.info(acme))).containsEntry("customers", 201L);
    assertThat(places.heldBy("schemas", acme)).isEmpty();
    assertThat(places.heldBy("dedicated", acme)).isEmpty();
    assertThat(places.heldBy("eu-2", acme)).isEmpty();
  }

  static Stream<Arguments> failures() {
    List<Arguments> cases = new ArrayList<>();
    String[][] moves = {{"shared", "dedicated"}, {"dedicated", "schemas"}, {"schemas", "eu-2"}};
    for (String[] move : moves) {
      for (MoveStep step : MoveStep.values()) {
        // After a step's work is the harder case (there is more to undo); RESTORE's work commits the move.
        cases.add(Arguments.of(move[0], move[1], step, step == MoveStep.RESTORE ? Phase.BEFORE : Phase.AFTER));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} → {1}, failure {3} {2}")
  @MethodSource("failures")
  void failureAtAStep_leavesTheTenantServingFromItsOriginalPlace(String from, String to, MoveStep failing,
      Phase phase) throws Exception {
    Tenant acme = places.tenantOn(slug("fail"), from, 20);
    TenantDataDigest original = TenantDataDigest.of(places.app, places.info(acme));
    TenantMover mover = places.mover().hook((step, at) -> {
      if (step == failing && at == phase) {
        throw new IllegalStateException("injected " + at + " " + step);
      }
    }).build();

    TenantMoveException failure = catchThrowableOfType(() -> mover.move(acme.id(), to), TenantMoveException.class);

    assertThat(failure.failedStep()).isEqualTo(failing);
    assertThat(failure.rolledBack()).isTrue();
    assertThat(failure.leftovers()).isEmpty();
    assertThat(failure.journal()).noneMatch(e -> e.kind() == Kind.UNDO_FAILED);
    assertServedFrom(acme, from, original, 20);
    assertThat(places.heldBy(to, acme)).as("what the target %s still holds", to).isEmpty();
    // The old place is fully usable again: not closed, renamed or locked by the undone purge.
    Shop.addCustomer(places.app, places.info(acme), 10_000L);
    assertThat(Shop.seen(places.app, places.info(acme))).containsEntry("customers", 21L);
  }
}
