package dev.tenancy.examples.admin;

import java.util.Map;

/** The seed's scenarios on the default set-up: embedded H2 in memory, a schema per tenant, in-memory quotas. */
class AdminAppH2IT extends AppScenarios {

  @Override
  AppConfig config() {
    return AppConfig.from(Map.of("TENANCY_JWT_SECRET", SECRET, "TENANCY_JWT_ISSUER", ISSUER),
        "--port=0", "--tenancy-db-url=h2:mem");
  }
}
