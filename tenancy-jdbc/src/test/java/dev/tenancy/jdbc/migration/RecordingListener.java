package dev.tenancy.jdbc.migration;

import dev.tenancy.core.data.TenantMigrationStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts, per target, how often a run started Flyway on it — shared by several runs to catch double migrations. */
class RecordingListener implements MigrationListener {

  final Map<String, AtomicInteger> started = new ConcurrentHashMap<>();
  final List<TenantMigrationStatus> finished = new CopyOnWriteArrayList<>();
  final List<Integer> waves = new CopyOnWriteArrayList<>();

  @Override
  public void started(TenantMigrationStatus running) {
    started.computeIfAbsent(running.location(), key -> new AtomicInteger()).incrementAndGet();
  }

  @Override
  public void finished(TenantMigrationStatus status) {
    finished.add(status);
  }

  @Override
  public void waveFinished(int wave, int total) {
    waves.add(wave);
  }

  int startedTotal() {
    return started.values().stream().mapToInt(AtomicInteger::get).sum();
  }
}
