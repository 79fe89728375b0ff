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
    assertThat(config.dbPrefix()).isEqualTo("tenant_");
  }

  @Test
  void databasePrefix_comesFromTheEnvironmentOrTheFlag_andMustBeAPlainName() {
    assertThat(AppConfig.from(Map.of("TENANCY_DB_PREFIX", "crm_")).dbPrefix()).isEqualTo("crm_");
    assertThat(AppConfig.from(Map.of("TENANCY_DB_PREFIX", "crm_"), "--db-prefix=run42_").dbPrefix())
        .isEqualTo("run42_");
    assertThat(AppConfig.from(Map.of(), "--tenancy-db-prefix", "x_").withPort(0).dbPrefix()).isEqualTo("x_");
    for (String bad : new String[] {"Tenant_", "1tenant_", "tenant-", "t\"; DROP DATABASE x;--", "a".repeat(22)}) {
      assertThatThrownBy(() -> AppConfig.from(Map.of(), "--db-prefix=" + bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TENANCY_DB_PREFIX");
    }
  }

  @Test
  void databaseUrlTemplate_replacesOnlyTheDatabaseName() {
    assertThat(AdminApp.databaseUrlTemplate("jdbc:postgresql://db:5432/crm"))
        .isEqualTo("jdbc:postgresql://db:5432/{database}");
    assertThat(AdminApp.databaseUrlTemplate("jdbc:postgresql://db/crm?sslmode=require&options=a/b"))
        .isEqualTo("jdbc:postgresql://db/{database}?sslmode=require&options=a/b");
    for (String bad : new String[] {"jdbc:postgresql://db:5432", "jdbc:postgresql://db:5432/", "jdbc:h2:mem:x"}) {
      assertThatThrownBy(() -> AdminApp.databaseUrlTemplate(bad)).hasMessageContaining("TENANCY_DB_URL");
    }
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
