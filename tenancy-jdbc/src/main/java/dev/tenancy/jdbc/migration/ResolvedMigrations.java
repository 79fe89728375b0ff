package dev.tenancy.jdbc.migration;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.extensibility.MigrationType;
import org.jspecify.annotations.Nullable;

/**
 * The migrations Flyway finds in the configured locations — resolved once per run — and the check that a target's
 * history already holds exactly them, which is what lets a run skip a current target without starting Flyway.
 *
 * <p>The check only ever answers "current" when Flyway's own {@code migrate} would do nothing and its validation would
 * pass: every resolved versioned migration applied with the same checksum, no applied version unknown to the
 * locations, every repeatable migration applied at its current checksum, no failed row and no row type it does not
 * know. Anything else — including a history it cannot read — goes to Flyway, which then migrates or reports the
 * problem in its own words.
 */
final class ResolvedMigrations {

  /** History row types the check understands; any other (DELETE, UNDO_…) sends the target to Flyway. */
  private static final Set<String> KNOWN_TYPES = Set.of("SQL", "JDBC", "SCRIPT", "CUSTOM", "BASELINE", "SCHEMA",
      "TABLE");
  /** Rows Flyway writes about itself (schema created, history table created), not migrations. */
  private static final Set<String> MARKERS = Set.of("SCHEMA", "TABLE");

  private final Map<MigrationVersion, @Nullable Integer> versioned;
  private final Map<String, @Nullable Integer> repeatable;
  private final @Nullable MigrationVersion latest;

  private ResolvedMigrations(Map<MigrationVersion, @Nullable Integer> versioned,
      Map<String, @Nullable Integer> repeatable) {
    this.versioned = versioned;
    this.repeatable = repeatable;
    this.latest = versioned.keySet().stream().max(MigrationVersion::compareTo).orElse(null);
  }

  /**
   * @param infos what {@code flyway.info().all()} reported for one target
   * @return the migrations resolved from the locations (applied or not)
   */
  static ResolvedMigrations of(MigrationInfo[] infos) {
    Map<MigrationVersion, @Nullable Integer> versioned = new HashMap<>();
    Map<String, @Nullable Integer> repeatable = new HashMap<>();
    for (MigrationInfo info : infos) {
      // getResolvedType() is null for applied migrations; getType() is the resolved type for resolved ones.
      MigrationType type = info.getType();
      if (!info.getState().isResolved() || type == null || type.isSynthetic() || type.isBaseline()
          || type.isUndo()) {
        continue;
      }
      MigrationVersion version = info.getVersion();
      if (version != null) {
        versioned.put(version, info.getResolvedChecksum());
      } else {
        String description = info.getResolvedDescription();
        repeatable.put(description != null ? description : info.getDescription(), info.getResolvedChecksum());
      }
    }
    return new ResolvedMigrations(versioned, repeatable);
  }

  /**
   * @param history the rows of a history table in installation order
   * @return the highest successfully applied version, or {@code null}
   */
  static @Nullable String appliedVersion(List<AppliedMigration> history) {
    return new ResolvedMigrations(Map.of(), Map.of()).check(history).appliedVersion();
  }

  /** @return the highest resolved version, or {@code null} if there are only repeatable migrations */
  @Nullable String latestVersion() {
    return latest == null ? null : latest.toString();
  }

  /**
   * Compares a target's history with the resolved migrations.
   *
   * @param history the rows of its history table in installation order, or {@code null} if there is no table
   * @return whether it is current, and its applied version
   */
  Currency check(@Nullable List<AppliedMigration> history) {
    if (history == null) {
      return new Currency(false, null);
    }
    boolean clean = true;
    MigrationVersion applied = null;
    MigrationVersion baseline = null;
    Map<MigrationVersion, @Nullable Integer> appliedVersioned = new HashMap<>();
    Map<String, @Nullable Integer> appliedRepeatable = new HashMap<>();
    for (AppliedMigration row : history) {
      clean &= row.success() && KNOWN_TYPES.contains(row.type());
      if (MARKERS.contains(row.type()) || !row.success()) {
        continue;
      }
      MigrationVersion version = row.version() == null ? null : MigrationVersion.fromVersion(row.version());
      if (version == null) {
        appliedRepeatable.put(row.description(), row.checksum());   // later rows supersede earlier ones
        continue;
      }
      applied = applied == null || version.isNewerThan(applied) ? version : applied;
      if ("BASELINE".equals(row.type())) {
        baseline = baseline == null || version.isNewerThan(baseline) ? version : baseline;
      } else {
        appliedVersioned.put(version, row.checksum());
      }
    }
    String appliedText = applied == null ? null : applied.toString();
    return new Currency(clean && matches(appliedVersioned, baseline, appliedRepeatable), appliedText);
  }

  private boolean matches(Map<MigrationVersion, @Nullable Integer> appliedVersioned,
      @Nullable MigrationVersion baseline, Map<String, @Nullable Integer> appliedRepeatable) {
    for (Map.Entry<MigrationVersion, @Nullable Integer> migration : versioned.entrySet()) {
      MigrationVersion version = migration.getKey();
      if (baseline != null && !version.isNewerThan(baseline)) {
        continue;
      }
      if (!appliedVersioned.containsKey(version)
          || !Objects.equals(appliedVersioned.get(version), migration.getValue())) {
        return false;
      }
    }
    return versioned.keySet().containsAll(appliedVersioned.keySet())
        && repeatable.equals(appliedRepeatable);
  }

  @Override
  public String toString() {
    return "ResolvedMigrations[latest=" + latest + ", versioned=" + versioned.size() + ", repeatable="
        + repeatable.size() + "]";
  }

  /**
   * What the check found.
   *
   * @param current {@code true} if Flyway would have nothing to do
   * @param appliedVersion the highest applied version, or {@code null}
   */
  record Currency(boolean current, @Nullable String appliedVersion) {
  }
}
