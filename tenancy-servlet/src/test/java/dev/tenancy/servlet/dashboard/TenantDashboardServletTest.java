package dev.tenancy.servlet.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TenantDashboardServletTest {

  @Test
  void defaults_apiUnderApiV1_pollEvery3s() {
    TenantDashboardServlet servlet = new TenantDashboardServlet();

    assertThat(servlet.apiBasePath()).isEqualTo("/api/v1");
    assertThat(servlet.pollInterval()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void apiBasePath_notAPlainAbsolutePath_rejectedWithWhatToWrite() {
    for (String bad : new String[] {"", "/", "api/v1", "/api/v1/", "//evil.example/api", "/api\"><script>",
        "https://evil.example/api", "/api/../x y"}) {
      assertThatThrownBy(() -> TenantDashboardServlet.builder().apiBasePath(bad))
          .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("such as /api/v1");
    }
    assertThat(TenantDashboardServlet.builder().apiBasePath("/platform/api/v2").build().apiBasePath())
        .isEqualTo("/platform/api/v2");
  }

  @Test
  void pollInterval_outsideOneSecondToOneMinute_rejected() {
    assertThatThrownBy(() -> TenantDashboardServlet.builder().pollInterval(Duration.ofMillis(999)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 1 s and 1 min");
    assertThatThrownBy(() -> TenantDashboardServlet.builder().pollInterval(Duration.ofSeconds(61)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(TenantDashboardServlet.builder().pollInterval(Duration.ofSeconds(5)).build().pollInterval())
        .isEqualTo(Duration.ofSeconds(5));
  }
}
