package dev.tenancy.spring;

import dev.tenancy.jdbc.IsolationStrategy;
import dev.tenancy.jdbc.RowLevelSecurity;
import dev.tenancy.jdbc.SchemaPerTenant;
import dev.tenancy.jdbc.TenantAwareDataSource;
import java.util.IdentityHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Replaces every {@link DataSource} bean by a {@link TenantAwareDataSource} over it, so application code
 * (JdbcTemplate, JdbcClient, repositories) only ever gets connections bound to the current tenant.
 *
 * <p>It remembers the pool behind each wrapper because the tenant store and the audit sink hold platform tables
 * and must connect outside any tenant scope, which the wrapper refuses by design (and does not unwrap).
 */
public final class TenantDataSourceWrapper implements BeanPostProcessor {

  private final TenancyProperties.DataSource settings;
  private final Map<DataSource, DataSource> pools = new IdentityHashMap<>();

  /**
   * @param settings the {@code tenancy.datasource.*} properties
   */
  public TenantDataSourceWrapper(TenancyProperties.DataSource settings) {
    this.settings = settings;
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (!(bean instanceof DataSource pool) || bean instanceof TenantAwareDataSource) {
      return bean;
    }
    TenantAwareDataSource wrapped = TenantAwareDataSource.of(strategy(pool));
    synchronized (pools) {
      pools.put(wrapped, pool);
    }
    return wrapped;
  }

  /**
   * The pool under a data source this wrapper created, or the data source itself when it did not wrap it.
   *
   * @param dataSource a DataSource bean
   * @return the pool to use for platform tables
   */
  public DataSource poolOf(DataSource dataSource) {
    synchronized (pools) {
      @Nullable DataSource pool = pools.get(dataSource);
      return pool == null ? dataSource : pool;
    }
  }

  private IsolationStrategy strategy(DataSource pool) {
    switch (settings.getStrategy()) {
      case SCHEMA -> {
        SchemaPerTenant.Builder builder = SchemaPerTenant.builder(pool);
        if (settings.getSchemaPrefix() != null) {
          builder.schemaPrefix(settings.getSchemaPrefix());
        }
        if (settings.getPlatformSchema() != null) {
          builder.platformSchema(settings.getPlatformSchema());
        }
        return builder.build();
      }
      default -> {
        RowLevelSecurity.Builder builder = RowLevelSecurity.builder(pool);
        if (settings.getRlsSetting() != null) {
          builder.setting(settings.getRlsSetting());
        }
        return builder.build();
      }
    }
  }
}
