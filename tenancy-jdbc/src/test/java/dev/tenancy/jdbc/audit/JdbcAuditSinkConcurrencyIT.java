package dev.tenancy.jdbc.audit;

import static dev.tenancy.jdbc.audit.AuditChains.KEY;
import static dev.tenancy.jdbc.audit.AuditChains.seal;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.TenantId;
import dev.tenancy.core.audit.AuditChainConflictException;
import dev.tenancy.core.audit.AuditRecord;
import dev.tenancy.core.audit.AuditVerification;
import dev.tenancy.core.audit.AuditVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Several writers — as several app instances would — append to the same tenants' chains at once through one
 * PostgreSQL table. The primary key lets exactly one writer take each position; the loser gets a conflict, re-reads
 * the head and seals after it (what {@code AuditLog} does), so no chain forks and none loses a record.
 */
class JdbcAuditSinkConcurrencyIT {

  private static final int WRITERS = 8;
  private static final int BATCHES_PER_WRITER = 30;

  private static AuditPostgres database;

  @BeforeAll
  static void startDatabase() {
    database = AuditPostgres.start();
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    if (database != null) {
      database.close();
    }
  }

  @Test
  void writersSharingTenants_everyChainValidAndComplete() throws Exception {
    List<TenantId> tenants = Stream.generate(TenantId::random).limit(5).toList();
    AtomicLong appended = new AtomicLong();
    AtomicLong conflicts = new AtomicLong();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    try {
      List<Future<?>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        writers.add(pool.submit(() -> {
          start.await();
          for (int batch = 0; batch < BATCHES_PER_WRITER; batch++) {
            TenantId tenant = tenants.get(ThreadLocalRandom.current().nextInt(tenants.size()));
            int size = 1 + ThreadLocalRandom.current().nextInt(8);
            while (true) {
              AuditRecord head = database.sink.last(tenant.toString()).orElse(null);
              try {
                database.sink.append(seal(tenant, head, size, KEY));
                appended.addAndGet(size);
                break;
              } catch (AuditChainConflictException lostTheRace) {
                conflicts.incrementAndGet();
              }
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> writer : writers) {
        writer.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    AuditVerifier verifier = AuditVerifier.builder().key(KEY).build();
    long verified = 0;
    for (TenantId tenant : tenants) {
      AuditVerification result = verifier.verify(database.sink, tenant.toString());
      assertThat(result.isIntact()).as(result.detail()).isTrue();
      verified += result.verified();
    }
    assertThat(verified).as("every acknowledged record is there (" + conflicts.get() + " lost races retried)")
        .isEqualTo(appended.get());
  }
}
