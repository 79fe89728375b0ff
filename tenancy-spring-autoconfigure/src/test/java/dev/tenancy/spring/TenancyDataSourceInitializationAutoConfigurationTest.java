package dev.tenancy.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantId;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.core.TenantSlug;
import dev.tenancy.core.spi.TenantStore;
import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.ApplicationDataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

class TenancyDataSourceInitializationAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TenancyJdbcAutoConfiguration.class, TenancyAutoConfiguration.class,
          TenancyDataSourceInitializationAutoConfiguration.class, DataSourceInitializationAutoConfiguration.class,
          JdbcTemplateAutoConfiguration.class, DataSourceHealthContributorAutoConfiguration.class))
      .withPropertyValues("tenancy.datasource.strategy=schema",
          "spring.sql.init.schema-locations=classpath:tenancy-init/schema.sql",
          "spring.sql.init.data-locations=classpath:tenancy-init/data.sql");

  @Test
  void sqlInit_wrappedDataSource_runsTheScriptsOnThePoolAndTheWrapperStillFailsClosed() {
    runner.withUserConfiguration(H2.class).run(context -> {
      assertThat(context).hasNotFailed();
      // Ours, in place of Spring Boot's, which backed off.
      assertThat(context).hasSingleBean(ApplicationDataSourceScriptDatabaseInitializer.class)
          .hasBean("tenancyDataSourceScriptDatabaseInitializer");
      DataSource app = context.getBean(DataSource.class);
      DataSource pool = context.getBean(TenantDataSourceWrapper.class).poolOf(app);
      assertThat(app).isInstanceOf(TenantAwareDataSource.class);
      assertThat(count(pool, "SELECT COUNT(*) FROM PUBLIC.notes")).isEqualTo(1);

      // The application's DataSource bean is still tenant-bound: refused outside a scope...
      assertThatThrownBy(app::getConnection).isInstanceOf(SQLException.class)
          .hasMessageContaining("outside any tenant scope");
      // ...and served inside one, where the table the scripts created is there.
      SchemaPerTenant strategy = (SchemaPerTenant) ((TenantAwareDataSource) app).strategy();
      TenantInfo acme = TenantInfo.of(TenantId.of(UUID.randomUUID()), TenantSlug.of("acme"));
      execute(pool, "CREATE SCHEMA \"" + strategy.schemaOf(acme) + "\"");
      long inside = TenantContext.call(acme, () -> count(app, "SELECT COUNT(*) FROM PUBLIC.notes"));
      assertThat(inside).isEqualTo(1);
    });
  }

  @Test
  void sqlInit_usernameAndPassword_runTheScriptsAsThatUser() {
    String url = "jdbc:h2:mem:owner-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    JdbcDataSource admin = h2(url);
    execute(admin, "CREATE USER schema_owner PASSWORD 'secret' ADMIN");
    runner.withBean(DataSource.class, () -> h2(url))
        .withPropertyValues("spring.sql.init.username=schema_owner", "spring.sql.init.password=secret")
        .run(context -> {
          assertThat(context).hasNotFailed();
          try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement();
               ResultSet rows = statement.executeQuery("SELECT created_by FROM PUBLIC.notes WHERE id = 1")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualToIgnoringCase("schema_owner");
          }
        });
  }

  @Test
  void sqlInit_beansThatUseTheDatabase_waitForTheScripts() {
    runner.withUserConfiguration(H2.class).run(context -> {
      assertThat(dependsOn(context.getBeanFactory().getBeanDefinition(
          context.getBeanNamesForType(JdbcTemplate.class)[0])))
          .contains("tenancyDataSourceScriptDatabaseInitializer");
      assertThat(dependsOn(context.getBeanFactory().getBeanDefinition("tenancyJdbcTenantStore")))
          .contains("tenancyDataSourceScriptDatabaseInitializer");
      assertThat(dependsOn(context.getBeanFactory().getBeanDefinition("tenancyJdbcAuditSink")))
          .contains("tenancyDataSourceScriptDatabaseInitializer");
      assertThat(context.getBean(TenantStore.class)).isNotNull();
    });
  }

  @Test
  void wrapFalse_springBootsOwnInitializerRunsOnTheDataSource() {
    runner.withUserConfiguration(H2.class).withPropertyValues("tenancy.datasource.wrap=false").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(ApplicationDataSourceScriptDatabaseInitializer.class)
          .doesNotHaveBean("tenancyDataSourceScriptDatabaseInitializer");
      assertThat(count(context.getBean(DataSource.class), "SELECT COUNT(*) FROM PUBLIC.notes")).isEqualTo(1);
    });
  }

  @Test
  void flyway_wrappedDataSource_migratesThroughThePool() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TenancyJdbcAutoConfiguration.class, TenancyAutoConfiguration.class,
            TenancyDataSourceInitializationAutoConfiguration.class, FlywayAutoConfiguration.class))
        .withPropertyValues("spring.flyway.locations=classpath:tenancy-flyway")
        .withUserConfiguration(H2.class).run(context -> {
          assertThat(context).hasNotFailed();
          DataSource app = context.getBean(DataSource.class);
          DataSource pool = context.getBean(TenantDataSourceWrapper.class).poolOf(app);
          assertThat(context.getBean(Flyway.class).getConfiguration().getDataSource()).isSameAs(pool);
          assertThat(count(pool, "SELECT COUNT(*) FROM PUBLIC.flyway_notes")).isZero();
          // The store waits for the migration like a JdbcTemplate would.
          assertThat(dependsOn(context.getBeanFactory().getBeanDefinition("tenancyJdbcTenantStore")))
              .contains("flywayInitializer");
        });
  }

  @Test
  void flyway_userWithoutUrl_migratesAsThatUserOnThePool() {
    String url = "jdbc:h2:mem:flyway-owner-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    JdbcDataSource admin = h2(url);
    execute(admin, "CREATE USER flyway_owner PASSWORD 'secret' ADMIN");
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(TenancyJdbcAutoConfiguration.class, TenancyAutoConfiguration.class,
            TenancyDataSourceInitializationAutoConfiguration.class, FlywayAutoConfiguration.class))
        .withPropertyValues("spring.flyway.locations=classpath:tenancy-flyway", "spring.flyway.user=flyway_owner",
            "spring.flyway.password=secret")
        .withBean(DataSource.class, () -> h2(url)).run(context -> {
          assertThat(context).hasNotFailed();
          try (Connection connection = admin.getConnection(); Statement statement = connection.createStatement();
               ResultSet rows = statement.executeQuery(
                   "SELECT \"installed_by\" FROM PUBLIC.\"flyway_schema_history\" WHERE \"version\" = '1'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualToIgnoringCase("flyway_owner");
          }
        });
  }

  @Test
  void dbHealth_wrappedDataSource_checksThePoolAndIsUp() {
    runner.withUserConfiguration(H2.class).run(context -> {
      assertThat(context).hasSingleBean(HealthIndicator.class);
      HealthIndicator db = context.getBean("dbHealthContributor", HealthIndicator.class);
      Health health = db.health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("database", "H2");
    });
  }

  @Test
  void dbHealth_disabled_noContributor() {
    runner.withUserConfiguration(H2.class).withPropertyValues("management.health.db.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("dbHealthContributor"));
  }

  private static String[] dependsOn(BeanDefinition definition) {
    String[] names = definition.getDependsOn();
    return names == null ? new String[0] : Arrays.copyOf(names, names.length);
  }

  private static long count(DataSource dataSource, String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
         ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static void execute(DataSource dataSource, String sql) {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JdbcDataSource h2(String url) {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL(url);
    dataSource.setUser("sa");
    return dataSource;
  }

  @Configuration(proxyBeanMethods = false)
  static class H2 {
    @Bean
    DataSource dataSource() {
      return h2("jdbc:h2:mem:init-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }
  }
}
