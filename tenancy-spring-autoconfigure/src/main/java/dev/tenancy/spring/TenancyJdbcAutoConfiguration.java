package dev.tenancy.spring;

import dev.tenancy.core.spi.AuditSink;
import dev.tenancy.core.spi.TenantStore;
import dev.tenancy.jdbc.TenantAwareDataSource;
import dev.tenancy.jdbc.audit.JdbcAuditSink;
import dev.tenancy.jdbc.store.JdbcTenantStore;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * When tenancy-jdbc is on the class path and the application has one {@link DataSource}: the JDBC tenant store and
 * audit sink on it, and the DataSource bean itself wrapped into a {@link TenantAwareDataSource}
 * ({@code tenancy.datasource.wrap=false} to opt out). Runs after Spring Boot's DataSource auto-configuration and
 * before {@link TenancyAutoConfiguration}, whose in-memory fallbacks then stand back.
 */
@AutoConfiguration(before = TenancyAutoConfiguration.class,
    afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnClass({DataSource.class, JdbcTenantStore.class})
@EnableConfigurationProperties(TenancyProperties.class)
public class TenancyJdbcAutoConfiguration {

  /** Creates the configuration (used by Spring). */
  public TenancyJdbcAutoConfiguration() {
  }

  /**
   * Static, and binding the properties itself, because a bean post-processor is created before ordinary beans
   * such as {@link TenancyProperties}.
   *
   * @param environment the environment to read {@code tenancy.datasource.*} from
   * @return the wrapper
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(DataSource.class)
  @ConditionalOnProperty(prefix = "tenancy.datasource", name = "wrap", havingValue = "true", matchIfMissing = true)
  public static TenantDataSourceWrapper tenancyDataSourceWrapper(Environment environment) {
    TenancyProperties.DataSource settings = Binder.get(environment)
        .bind("tenancy.datasource", TenancyProperties.DataSource.class)
        .orElseGet(TenancyProperties.DataSource::new);
    return new TenantDataSourceWrapper(settings);
  }

  /**
   * @param dataSource the application's DataSource (wrapped or not)
   * @param wrapper the wrapper, when wrapping is on, to reach the pool beneath
   * @param properties the bound properties
   * @return the JDBC tenant store, creating its tables unless {@code tenancy.store.migrate=false}
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  @ConditionalOnSingleCandidate(DataSource.class)
  public TenantStore tenancyJdbcTenantStore(DataSource dataSource, ObjectProvider<TenantDataSourceWrapper> wrapper,
      TenancyProperties properties) {
    JdbcTenantStore.Builder builder = JdbcTenantStore.builder().dataSource(pool(dataSource, wrapper))
        .migrate(properties.getStore().isMigrate());
    String schema = properties.getStore().getSchema();
    if (schema != null) {
      builder.schema(schema);
    }
    return builder.build();
  }

  /**
   * @param dataSource the application's DataSource (wrapped or not)
   * @param wrapper the wrapper, when wrapping is on, to reach the pool beneath
   * @param properties the bound properties
   * @return the JDBC audit sink, creating its table unless {@code tenancy.audit.migrate=false} (as
   *     {@code tenancy.audit.migration-username} when set, which then grants the pool's role what it needs)
   * @throws TenancyPropertyException if a migration role is set but spring-boot-jdbc, which derives its DataSource,
   *     is missing
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnSingleCandidate(DataSource.class)
  @ConditionalOnProperty(prefix = "tenancy.audit", name = "enabled", havingValue = "true", matchIfMissing = true)
  public AuditSink tenancyJdbcAuditSink(DataSource dataSource, ObjectProvider<TenantDataSourceWrapper> wrapper,
      TenancyProperties properties) {
    TenancyProperties.Audit audit = properties.getAudit();
    DataSource pool = pool(dataSource, wrapper);
    JdbcAuditSink.Builder builder = JdbcAuditSink.builder().dataSource(pool).schema(audit.getSchema())
        .migrate(audit.isMigrate());
    String owner = audit.getMigrationUsername();
    if (owner != null && !owner.isBlank() && audit.isMigrate()) {
      if (!PoolCredentials.canDerive()) {
        throw new TenancyPropertyException("tenancy.audit.migration-username",
            "tenancy.audit.migration-username is set, but spring-boot-jdbc, which derives that role's DataSource from "
                + "the pool, is not on the class path.",
            "Add spring-boot-starter-jdbc, or declare your own AuditSink bean with JdbcAuditSink.Builder"
                + ".migrationDataSource(..).");
      }
      builder.migrationDataSource(PoolCredentials.as(pool, owner, audit.getMigrationPassword()));
    }
    return builder.build();
  }

  private static DataSource pool(DataSource dataSource, ObjectProvider<TenantDataSourceWrapper> wrapper) {
    TenantDataSourceWrapper found = wrapper.getIfAvailable();
    return found == null ? dataSource : found.poolOf(dataSource);
  }
}
