package dev.tenancy.benchmarks.scale;

import java.util.Locale;

/** The isolation mode a scale scenario provisions its tenants in. */
enum ScaleMode {
  /** Row-level security: one shared table, a tenant is its row in the tenants table. */
  RLS(10_000, 1_000),
  /** Schema per tenant: a schema with five tables per tenant, created by Flyway through {@code CreateSchemaStep}. */
  SCHEMA(1_000, 200);

  private final int fullTenants;
  private final int quickTenants;

  ScaleMode(int fullTenants, int quickTenants) {
    this.fullTenants = fullTenants;
    this.quickTenants = quickTenants;
  }

  /** @return how many tenants a run provisions */
  int tenants(boolean quick) {
    return quick ? quickTenants : fullTenants;
  }

  /** @return {@code rls} or {@code schema}, as on the command line and in file names */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses the command-line word. */
  static ScaleMode parse(String word) {
    for (ScaleMode mode : values()) {
      if (mode.label().equals(word)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("mode must be rls or schema, was " + word);
  }
}
