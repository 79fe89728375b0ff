package dev.tenancy.spring;

import dev.tenancy.jdbc.TenantAwareDataSource;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.flyway.autoconfigure.FlywayConnectionDetails;
import org.springframework.boot.flyway.autoconfigure.FlywayProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.jdbc.autoconfigure.ApplicationDataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.boot.sql.autoconfigure.init.ApplicationScriptDatabaseInitializer;
import org.springframework.boot.sql.autoconfigure.init.ConditionalOnSqlInitialization;
import org.springframework.boot.sql.autoconfigure.init.SqlInitializationProperties;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.DatabasePopulator;
import org.springframework.util.StringUtils;

/**
 * Platform work on the pool beneath the tenant-aware DataSource: the tenant-bound wrapper refuses connections outside
 * a tenant scope, so Spring Boot's {@code spring.sql.init} scripts, Flyway and Actuator's {@code db} health check
 * would fail (or, worse, run as one tenant). Each runs here on {@link TenantDataSourceWrapper#poolOf} instead:
 *
 * <ul>
 *   <li>a script initialiser in place of Spring Boot's (which backs off when it sees an
 *       {@link ApplicationScriptDatabaseInitializer}), honouring {@code spring.sql.init.username}/{@code password} as
 *       Spring Boot does, so an application can create tables and RLS policies as their owner while it serves as a
 *       role that does not own them (and so is subject to RLS);</li>
 *   <li>a {@link FlywayConfigurationCustomizer} that points Flyway at the pool;</li>
 *   <li>the {@code dbHealthContributor} on the pool (Spring Boot's backs off by that name).</li>
 * </ul>
 *
 * <p>Only when the DataSource is wrapped ({@code tenancy.datasource.wrap}, on by default): otherwise Spring Boot's own
 * beans work as they are.
 */
@AutoConfiguration(after = TenancyJdbcAutoConfiguration.class,
    afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    beforeName = {
        "org.springframework.boot.jdbc.autoconfigure.DataSourceInitializationAutoConfiguration",
        "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration"})
// TenantAwareDataSource, not our TenantDataSourceWrapper (always there): tenancy-jdbc is what may be missing.
@ConditionalOnClass({DataSource.class, TenantAwareDataSource.class})
public final class TenancyDataSourceInitializationAutoConfiguration {

  /** Creates the configuration (used by Spring). */
  public TenancyDataSourceInitializationAutoConfiguration() {
  }

  /** {@code spring.sql.init} on the pool. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({DatabasePopulator.class, ApplicationDataSourceScriptDatabaseInitializer.class})
  @ConditionalOnBean(TenantDataSourceWrapper.class)
  @ConditionalOnSingleCandidate(DataSource.class)
  @ConditionalOnMissingBean(ApplicationScriptDatabaseInitializer.class)
  @ConditionalOnSqlInitialization
  @EnableConfigurationProperties(SqlInitializationProperties.class)
  // Spring Boot's own configuration imports this too, but it backs off when ours exists; without the import nothing
  // would order JdbcTemplate, JPA or our store after the scripts.
  @Import(DatabaseInitializationDependencyConfigurer.class)
  static class SqlInitializationOnPool {

    /**
     * @param dataSource the application's (wrapped) DataSource
     * @param wrapper the wrapper that knows the pool beneath
     * @param properties {@code spring.sql.init.*}
     * @return the initialiser, which Spring Boot detects as a database initialiser like its own
     */
    @Bean
    ApplicationDataSourceScriptDatabaseInitializer tenancyDataSourceScriptDatabaseInitializer(DataSource dataSource,
        TenantDataSourceWrapper wrapper, SqlInitializationProperties properties) {
      return new ApplicationDataSourceScriptDatabaseInitializer(
          withCredentials(wrapper.poolOf(dataSource), properties.getUsername(), properties.getPassword()),
          properties);
    }

    /** What Spring Boot's DataSourceInitializationAutoConfiguration does, applied to the pool. */
    private static DataSource withCredentials(DataSource pool, String username, String password) {
      if (StringUtils.hasText(username) && StringUtils.hasText(password)) {
        return PoolCredentials.as(pool, username, password);
      }
      return pool;
    }
  }

  /** Flyway on the pool. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({Flyway.class, FlywayConfigurationCustomizer.class})
  @ConditionalOnBean(TenantDataSourceWrapper.class)
  @EnableConfigurationProperties(FlywayProperties.class)
  static class FlywayOnPool {

    /**
     * {@code spring.flyway.*} as Spring Boot reads them, except that a user without a URL is left to
     * {@link #tenancyFlywayOnPool}: Spring Boot would derive that user's DataSource from the wrapper, whose type it
     * cannot copy (start-up fails with "Unable to find suitable method for url").
     *
     * @param properties {@code spring.flyway.*}
     * @return the connection details, in place of Spring Boot's
     */
    @Bean
    @ConditionalOnMissingBean(FlywayConnectionDetails.class)
    FlywayConnectionDetails tenancyFlywayConnectionDetails(FlywayProperties properties) {
      return new PoolFlywayConnectionDetails(properties);
    }

    /**
     * Replaces the wrapper Spring Boot chose with the pool beneath, with {@code spring.flyway.user}/{@code password}
     * when they are set without a URL (as Spring Boot would derive them). A {@code @FlywayDataSource} or a
     * DataSource built from {@code spring.flyway.url} was not wrapped and is kept.
     *
     * @param wrapper the wrapper that knows the pool beneath
     * @param properties {@code spring.flyway.*}
     * @return the customizer
     */
    @Bean
    FlywayConfigurationCustomizer tenancyFlywayOnPool(TenantDataSourceWrapper wrapper, FlywayProperties properties) {
      return configuration -> {
        DataSource chosen = configuration.getDataSource();
        if (chosen == null) {
          return;
        }
        DataSource pool = wrapper.poolOf(chosen);
        if (pool != chosen && properties.getUrl() == null && StringUtils.hasText(properties.getUser())) {
          pool = PoolCredentials.as(pool, properties.getUser(), properties.getPassword(),
              properties.getDriverClassName());
        }
        configuration.dataSource(pool);
      };
    }
  }

  /** Spring Boot's properties-based details, minus a user without a URL (which the customizer applies instead). */
  static final class PoolFlywayConnectionDetails implements FlywayConnectionDetails {
    private final FlywayProperties properties;

    PoolFlywayConnectionDetails(FlywayProperties properties) {
      this.properties = properties;
    }

    @Override
    public @Nullable String getUsername() {
      return properties.getUrl() == null ? null : properties.getUser();
    }

    @Override
    public @Nullable String getPassword() {
      return properties.getUrl() == null ? null : properties.getPassword();
    }

    @Override
    public @Nullable String getJdbcUrl() {
      return properties.getUrl();
    }

    @Override
    public @Nullable String getDriverClassName() {
      return properties.getDriverClassName();
    }
  }

  /** Actuator's {@code db} health check on the pool. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({JdbcTemplate.class, DataSourceHealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
  @ConditionalOnBean(TenantDataSourceWrapper.class)
  static class DbHealthOnPool {

    /**
     * One {@link DataSourceHealthIndicator} per DataSource bean, each on its pool; a composite by bean name when there
     * are several, as Spring Boot builds it.
     *
     * @param dataSources the DataSource beans by name
     * @param wrapper the wrapper that knows the pools beneath
     * @return the contributor, under the name Spring Boot's backs off for
     */
    @Bean
    @ConditionalOnMissingBean(name = {"dbHealthIndicator", "dbHealthContributor"})
    @ConditionalOnEnabledHealthIndicator("db")
    HealthContributor dbHealthContributor(Map<String, DataSource> dataSources, TenantDataSourceWrapper wrapper) {
      if (dataSources.size() == 1) {
        return new DataSourceHealthIndicator(wrapper.poolOf(dataSources.values().iterator().next()));
      }
      Map<String, HealthContributor> byName = new LinkedHashMap<>();
      dataSources.forEach((name, dataSource) -> byName.put(name,
          new DataSourceHealthIndicator(wrapper.poolOf(dataSource))));
      return CompositeHealthContributor.fromMap(byName);
    }
  }
}
