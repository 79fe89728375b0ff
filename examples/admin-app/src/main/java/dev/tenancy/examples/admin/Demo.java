package dev.tenancy.examples.admin;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantStatus;
import dev.tenancy.core.identity.NewApiKey;
import dev.tenancy.core.identity.TenantPrincipal;
import dev.tenancy.core.lifecycle.NewTenant;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.Set;

/** {@code --demo}: three agencies, each with an admin, an agent and a viewer, and a few leads. */
final class Demo {

  private static final String[][] AGENCIES = {
      {"harbour-homes", "Harbour Homes", "free"},
      {"summit-realty", "Summit Realty", "pro"},
      {"meadow-estates", "Meadow Estates", "enterprise"}};

  private Demo() {
  }

  static void provision(AdminApp app, PrintStream out) throws SQLException {
    TenantPrincipal platform = app.apiKeys().authenticate(app.adminApiKey());
    for (String[] agency : AGENCIES) {
      if (app.tenants().findBySlug(dev.tenancy.core.TenantSlug.of(agency[0])).isPresent()) {
        out.println("Demo agency " + agency[0] + " exists already; keys are only shown when created");
        continue;
      }
      Tenant tenant = app.tenants().create(NewTenant.of(agency[0], agency[1]).withTier(agency[2])
          .withInitialStatus(TenantStatus.ACTIVE));
      out.println("Demo agency " + agency[0] + " (" + tenant.id() + ", tier " + agency[2] + ")");
      for (String[] user : new String[][] {{"admin", "tenant_admin"}, {"agent", "agent"}, {"viewer", "viewer"}}) {
        String key = app.apiKeys().create(platform, NewApiKey.of(tenant.id(), user[0] + "@" + agency[0],
            Set.of(user[1]))).secret();
        out.println("  " + user[1] + " key: " + key);
      }
      try {
        TenantContext.call(app.tenants().info(tenant), () -> {
          for (int i = 1; i <= 3; i++) {
            app.leads().create(tenant.id(), agency[1] + " lead " + i, "lead" + i + "@" + agency[0] + ".example",
                "+1-555-01" + i + "0", "Interested in a " + (i + 1) + "-bedroom flat");
          }
          return null;
        });
      } catch (SQLException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException("Seeding demo leads failed", e);
      }
    }
  }
}
