package dev.tenancy.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantContext;
import dev.tenancy.core.lifecycle.NewTenant;
import dev.tenancy.core.lifecycle.TenantService;
import dev.tenancy.core.memory.InMemoryAuditSink;
import dev.tenancy.core.memory.InMemoryTenantStore;
import dev.tenancy.core.spi.AuditSink;
import dev.tenancy.core.spi.TenantStore;
import dev.tenancy.jdbc.RowLevelSecurity;
import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.TenantAwareDataSource;
import dev.tenancy.jdbc.audit.JdbcAuditSink;
import dev.tenancy.jdbc.store.JdbcTenantStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class TenancyJdbcAutoConfigurationTest {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(TenancyJdbcAutoConfiguration.class, TenancyAutoConfiguration.class));

  @Test
  void aDataSourceGetsJdbcStoreAndSinkOnThePoolAndIsWrappedForRls() {
    runner.withUserConfiguration(OneDataSource.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(TenantStore.class)).isInstanceOf(JdbcTenantStore.class);
      assertThat(context.getBean(AuditSink.class)).isInstanceOf(JdbcAuditSink.class);
      DataSource app = context.getBean(DataSource.class);
      assertThat(app).isInstanceOf(TenantAwareDataSource.class);
      assertThat(((TenantAwareDataSource) app).strategy()).isInstanceOf(RowLevelSecurity.class);

      // The store writes through the pool beneath the wrapper: the row is there, outside any tenant scope.
      Tenant created = context.getBean(TenantService.class).create(NewTenant.of("acme", "Acme"));
      DataSource pool = context.getBean(TenantDataSourceWrapper.class).poolOf(app);
      assertThat(pool).isNotInstanceOf(TenantAwareDataSource.class);
      try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
           ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM \"tenancy\".tenants WHERE slug = 'acme'")) {
        rows.next();
        assertThat(rows.getLong(1)).isEqualTo(1);
      }
      assertThat(context.getBean(TenantStore.class).findById(created.id())).isPresent();

      // Application code that asks the DataSource bean outside a tenant scope is refused, not handed a raw pool.
      assertThatThrownBy(app::getConnection).isInstanceOf(SQLException.class)
          .hasMessageContaining("outside any tenant scope");
    });
  }

  @Test
  void wrapFalseLeavesTheApplicationsDataSourceAlone() {
    runner.withUserConfiguration(OneDataSource.class).withPropertyValues("tenancy.datasource.wrap=false")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(TenantDataSourceWrapper.class);
          assertThat(context.getBean(DataSource.class)).isNotInstanceOf(TenantAwareDataSource.class);
          assertThat(context.getBean(TenantStore.class)).isInstanceOf(JdbcTenantStore.class);
        });
  }

  @Test
  void schemaStrategyFromProperties() {
    runner.withUserConfiguration(OneDataSource.class).withPropertyValues("tenancy.datasource.strategy=schema",
            "tenancy.datasource.schema-prefix=cust_")
        .run(context -> {
          TenantAwareDataSource app = context.getBean(TenantAwareDataSource.class);
          assertThat(app.strategy()).isInstanceOf(SchemaPerTenant.class);
          assertThat(((SchemaPerTenant) app.strategy()).schemaPrefix()).isEqualTo("cust_");
        });
  }

  /** H2 folds unquoted names to upper case, so its platform schema is PUBLIC, not the library's default public. */
  @Test
  void platformSchemaFromPropertiesIsWherePlatformConnectionsLand() {
    runner.withUserConfiguration(OneDataSource.class).withPropertyValues("tenancy.datasource.strategy=schema",
            "tenancy.datasource.platform-schema=PUBLIC")
        .run(context -> {
          TenantAwareDataSource app = context.getBean(TenantAwareDataSource.class);
          String schema = TenantContext.asPlatform("test", "read the platform schema", () -> {
            try (Connection connection = app.getConnection()) {
              return connection.getSchema();
            }
          });
          assertThat(schema).isEqualTo("PUBLIC");
        });
  }

  @Test
  void auditOffMeansNoJdbcSinkEither() {
    runner.withUserConfiguration(OneDataSource.class).withPropertyValues("tenancy.audit.enabled=false")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(AuditSink.class);
          assertThat(context.getBean(TenantStore.class)).isInstanceOf(JdbcTenantStore.class);
        });
  }

  @Test
  void userStoreAndSinkWinOverTheJdbcOnes() {
    runner.withUserConfiguration(OneDataSource.class, OwnStoreAndSink.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(TenantStore.class)).isInstanceOf(InMemoryTenantStore.class);
      assertThat(context.getBean(AuditSink.class)).isInstanceOf(InMemoryAuditSink.class);
    });
  }

  @Test
  void twoDataSourcesWithoutAPrimaryFallBackToInMemoryRatherThanGuess() {
    runner.withUserConfiguration(TwoDataSources.class).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(TenantStore.class)).isInstanceOf(InMemoryTenantStore.class);
      assertThat(context.getBean(AuditSink.class)).isInstanceOf(InMemoryAuditSink.class);
    });
  }

  @Test
  void withoutTenancyJdbcOnTheClassPathNothingJdbcIsConfigured() {
    runner.withUserConfiguration(OneDataSource.class)
        .withClassLoader(new org.springframework.boot.test.context.FilteredClassLoader(JdbcTenantStore.class))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(TenantStore.class)).isInstanceOf(InMemoryTenantStore.class);
          assertThat(context.getBean(DataSource.class)).isNotInstanceOf(TenantAwareDataSource.class);
        });
  }

  static DataSource h2() {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return dataSource;
  }

  @Configuration(proxyBeanMethods = false)
  static class OneDataSource {
    @Bean
    DataSource dataSource() {
      return h2();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class TwoDataSources {
    @Bean
    DataSource first() {
      return h2();
    }

    @Bean
    DataSource second() {
      return h2();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class OwnStoreAndSink {
    @Bean
    TenantStore myStore() {
      return new InMemoryTenantStore();
    }

    @Bean
    AuditSink mySink() {
      return new InMemoryAuditSink();
    }
  }
}
