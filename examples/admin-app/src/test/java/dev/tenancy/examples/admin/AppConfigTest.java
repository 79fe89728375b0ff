package dev.tenancy.examples.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AppConfigTest {

  @Test
  void defaults_areTheDocumentedOnes() {
    AppConfig config = AppConfig.from(Map.of());
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.dbUrl()).isNull();
    assertThat(config.effectiveIsolation()).isEqualTo("schema");
    assertThat(config.jwtIssuer()).isEqualTo("tenancy-example");
    assertThat(config.redisUrl()).isNull();
    assertThat(config.demo()).isFalse();
  }

  @Test
  void flagsWinOverTheEnvironment_inEverySpelling() {
    AppConfig config = AppConfig.from(Map.of("PORT", "9000", "TENANCY_DB_URL", "jdbc:postgresql://db/x"),
        "--port=0", "--TENANCY_JWT_ISSUER=me", "--redis-url", "redis://r:6379", "--demo");
    assertThat(config.port()).isZero();
    assertThat(config.postgres()).isTrue();
    assertThat(config.effectiveIsolation()).isEqualTo("rls");
    assertThat(config.jwtIssuer()).isEqualTo("me");
    assertThat(config.redisUrl()).isEqualTo("redis://r:6379");
    assertThat(config.demo()).isTrue();
  }

  @Test
  void wrongValues_nameWhatToFix() {
    assertThatThrownBy(() -> AppConfig.from(Map.of("PORT", "http"))).hasMessageContaining("PORT");
    assertThatThrownBy(() -> AppConfig.from(Map.of(), "--port=70000")).hasMessageContaining("65535");
    assertThatThrownBy(() -> AppConfig.from(Map.of(), "--isolation=tables")).hasMessageContaining("TENANCY_ISOLATION");
    assertThatThrownBy(() -> AppConfig.from(Map.of(), "--jwt-secret=short")).hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> AppConfig.from(Map.of(), "--colour=red")).hasMessageContaining("Unknown flag --colour");
  }
}
