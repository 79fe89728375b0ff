package dev.tenancy.servlet.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tenancy.core.Tenant;
import dev.tenancy.servlet.metrics.MicrometerTenantMetrics;
import io.micrometer.core.instrument.Meter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Thousands of tenants through the real filter: the registry's tenant tags stay bounded, the view answers for all. */
class MetricsCardinalityIT {

  @Test
  void twoThousandTenants_overHttp_tagValuesBounded_viewAnswersForEach() throws Exception {
    try (FilterServer server = new FilterServer()) {
      List<Tenant> tenants = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        Tenant tenant = server.tenant("card-" + i, Map.of());
        tenants.add(tenant);
        assertThat(server.get("/api/v1/leads", server.token(tenant, "u" + i)).statusCode()).isEqualTo(200);
      }

      Set<String> tags = server.registry.getMeters().stream()
          .map(Meter::getId)
          .filter(id -> id.getName().startsWith("tenancy.request"))
          .map(id -> id.getTag("tenant"))
          .collect(Collectors.toSet());
      assertThat(tags).hasSize(MicrometerTenantMetrics.DEFAULT_TAGGED_TENANTS + 1).contains("other");
      Tenant last = tenants.get(1999);
      await().atMost(Duration.ofSeconds(5)).until(() -> server.metrics.stats(last.id()).requests() == 1);
      assertThat(server.metrics.stats(tenants.get(1234).id()).requests()).isEqualTo(1);
      assertThat(server.metrics.all()).hasSize(2000);
    }
  }
}
