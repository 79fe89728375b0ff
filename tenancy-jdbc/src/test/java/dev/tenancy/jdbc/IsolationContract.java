package dev.tenancy.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.NoTenantException;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantScope;
import dev.tenancy.core.TenantSlug;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The isolation tests every strategy that separates tenants by schema or database must pass. Tenant data lives in a
 * table {@code leads(id, name)} that exists once per tenant; subclasses create it in {@link #prepareTenant}.
 */
abstract class IsolationContract {

  /** A data source over a pool of at most {@code poolSize} connections (per database, where there are several). */
  protected abstract TenantAwareDataSource dataSource(int poolSize) throws Exception;

  /** Creates the tenant's schema or database with an empty {@code leads} table. */
  protected abstract void prepareTenant(TenantInfo tenant) throws Exception;

  protected TenantInfo newTenant(String slug) throws Exception {
    TenantInfo tenant = TenantInfo.of(TenantId.random(), TenantSlug.of(slug + "-" + UUID.randomUUID().toString()
        .substring(0, 6)));
    prepareTenant(tenant);
    return tenant;
  }

  @Test
  void connectionUsedByA_thenTakenByB_seesOnlyB() throws Exception {
    TenantInfo a = newTenant("alpha");
    TenantInfo b = newTenant("beta");
    try (TenantAwareDataSource dataSource = dataSource(1)) {
      inScope(a, dataSource, connection -> insert(connection, "a-lead"));
      inScope(b, dataSource, connection -> insert(connection, "b-lead"));
      inScope(a, dataSource, connection -> assertThat(names(connection)).containsExactly("a-lead"));
      inScope(b, dataSource, connection -> assertThat(names(connection)).containsExactly("b-lead"));
    }
  }

  @Test
  void getConnection_withoutTenant_throws() throws Exception {
    try (TenantAwareDataSource dataSource = dataSource(1)) {
      assertThatThrownBy(dataSource::getConnection).isInstanceOf(SQLException.class)
          .hasCauseInstanceOf(NoTenantException.class);
    }
  }

  @Test
  void concurrentMixedWork_staysInsideEachTenant() throws Exception {
    List<TenantInfo> tenants = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      tenants.add(newTenant("agency" + i));
    }
    ConcurrentLinkedQueue<String> leaks = new ConcurrentLinkedQueue<>();
    java.util.concurrent.atomic.AtomicInteger rowsRead = new java.util.concurrent.atomic.AtomicInteger();
    int threads = 4;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (TenantAwareDataSource dataSource = dataSource(2)) {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Random random = new Random(42 + t);
        workers.add(pool.submit(() -> {
          start.await();
          for (int op = 0; op < 400; op++) {
            TenantInfo tenant = tenants.get(random.nextInt(tenants.size()));
            inScope(tenant, dataSource, connection -> {
              if (random.nextBoolean()) {
                insert(connection, tenant.slug().value());
              } else {
                List<String> seen = names(connection);
                rowsRead.addAndGet(seen.size());
                seen.stream().filter(n -> !n.equals(tenant.slug().value()))
                    .forEach(n -> leaks.add(tenant.slug() + " saw " + n));
              }
            });
          }
          return null;
        }));
      }
      for (Future<?> worker : workers) {
        worker.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(leaks).isEmpty();
    assertThat(rowsRead.get()).as("reads must have found the tenants' own rows").isGreaterThan(1_000);
  }

  interface ConnectionWork {
    void run(Connection connection) throws SQLException;
  }

  static void inScope(TenantInfo tenant, TenantAwareDataSource dataSource, ConnectionWork work) throws SQLException {
    try (TenantScope scope = TenantContext.enter(tenant); Connection connection = dataSource.getConnection()) {
      work.run(connection);
      if (!connection.getAutoCommit()) {
        connection.commit();
      }
    }
  }

  static void insert(Connection connection, String name) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement("INSERT INTO leads (id, name) VALUES (?, ?)")) {
      statement.setObject(1, UUID.randomUUID());
      statement.setString(2, name);
      statement.executeUpdate();
    }
  }

  static List<String> names(Connection connection) throws SQLException {
    List<String> names = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement("SELECT name FROM leads ORDER BY name");
        ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        names.add(rows.getString(1));
      }
    }
    return names;
  }
}
