package dev.tenancy.jdbc.migration;

import dev.tenancy.core.TenantSlug;
import java.util.List;

/**
 * How a {@link MigrationWaves} run paces itself, as the builder set it.
 *
 * @param canarySlugs named canaries, in order; empty to count them instead
 * @param canaryCount how many of the first tenants needing migration are canaries, when none are named
 * @param waveSize tenants per wave
 * @param parallelism targets migrated or checked at once
 * @param maxFailures failures after which no further wave starts
 * @param fastCheck whether current targets are recognised without Flyway
 * @param repairOnRetry whether failed history rows of a FAILED target are removed before retrying it
 * @param listeners progress listeners
 */
record WaveSettings(List<TenantSlug> canarySlugs, int canaryCount, int waveSize, int parallelism, int maxFailures,
    boolean fastCheck, boolean repairOnRetry, List<MigrationListener> listeners) {

  WaveSettings {
    canarySlugs = List.copyOf(canarySlugs);
    listeners = List.copyOf(listeners);
  }
}
