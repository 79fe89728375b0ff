package dev.tenancy.jdbc;

import static dev.tenancy.jdbc.RlsFixture.tenant;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The isolation promise under load: 8 threads, 24 tenants, 12,000 seeded-random reads and writes through one pool of
 * 3 connections (so physical connections switch tenants all the time, and new ones are opened while busy). No read
 * may return another tenant's row, and every write must land in its own tenant.
 */
class RlsConcurrentLeakageIT {

  private static final int THREADS = 8;
  private static final int TENANTS = 24;
  private static final int OPERATIONS_PER_THREAD = 1_500;
  private static final long SEED = 20261127L;

  private static RlsFixture fixture;

  @BeforeAll
  static void createDatabase() {
    fixture = new RlsFixture();
  }

  @AfterAll
  static void dropDatabase() throws SQLException {
    if (fixture != null) {
      fixture.close();
    }
  }

  @Test
  void mixedReadsAndWritesFromManyTenants_neverSeeOrWriteAnotherTenantsRows() throws Exception {
    List<TenantInfo> tenants = new ArrayList<>();
    for (int i = 0; i < TENANTS; i++) {
      tenants.add(tenant("agency-" + i));
    }
    ConcurrentLinkedQueue<String> leaks = new ConcurrentLinkedQueue<>();
    AtomicInteger writes = new AtomicInteger();
    AtomicInteger rowsRead = new AtomicInteger();
    CyclicBarrier start = new CyclicBarrier(THREADS);
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);

    try (HikariDataSource pool = fixture.pool(3, true, "")) {
      TenantAwareDataSource dataSource = TenantAwareDataSource.of(RowLevelSecurity.builder(pool).build());
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Random random = new Random(SEED + t);
        workers.add(threads.submit(() -> {
          start.await();
          for (int op = 0; op < OPERATIONS_PER_THREAD; op++) {
            TenantInfo tenant = tenants.get(random.nextInt(TENANTS));
            try (TenantScope scope = TenantContext.enter(tenant); Connection connection = dataSource.getConnection()) {
              if (random.nextInt(3) == 0) {
                write(connection, tenant);
                writes.incrementAndGet();
              } else {
                rowsRead.addAndGet(readAndCheck(connection, tenant, leaks));
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get(5, TimeUnit.MINUTES);
      }
      assertThat(dataSource.statistics().checkouts()).isEqualTo((long) THREADS * OPERATIONS_PER_THREAD);
    } finally {
      threads.shutdownNow();
    }

    assertThat(leaks).as("rows of another tenant seen").isEmpty();
    assertThat(writes.get()).isGreaterThan(3_000);
    assertThat(rowsRead.get()).isGreaterThan(50_000);
    assertEveryRowLandedInItsOwnTenant(tenants, writes.get());
  }

  private static void write(Connection connection, TenantInfo tenant) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO leads VALUES (?, ?, ?)")) {
      insert.setObject(1, tenant.id().value());
      insert.setObject(2, UUID.randomUUID());
      insert.setString(3, tenant.slug().value());
      insert.executeUpdate();
    }
  }

  private static int readAndCheck(Connection connection, TenantInfo tenant, ConcurrentLinkedQueue<String> leaks)
      throws SQLException {
    int count = 0;
    try (PreparedStatement select = connection.prepareStatement("SELECT organization_id, name FROM leads");
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        count++;
        UUID organization = rows.getObject(1, UUID.class);
        String name = rows.getString(2);
        if (!organization.equals(tenant.id().value()) || !name.equals(tenant.slug().value())) {
          leaks.add(tenant.slug() + " saw a row of " + name);
        }
      }
    }
    return count;
  }

  /** As the superuser (bypassing RLS): each tenant's rows carry its own name, and none went missing. */
  private static void assertEveryRowLandedInItsOwnTenant(List<TenantInfo> tenants, int writes) throws SQLException {
    Map<UUID, String> slugById = new HashMap<>();
    tenants.forEach(t -> slugById.put(t.id().value(), t.slug().value()));
    int total = 0;
    try (Connection admin = fixture.database.adminDataSource().getConnection();
        Statement statement = admin.createStatement();
        ResultSet rows = statement.executeQuery("SELECT organization_id, name FROM leads")) {
      while (rows.next()) {
        total++;
        assertThat(rows.getString(2)).isEqualTo(slugById.get(rows.getObject(1, UUID.class)));
      }
    }
    assertThat(total).isEqualTo(writes);
  }
}
