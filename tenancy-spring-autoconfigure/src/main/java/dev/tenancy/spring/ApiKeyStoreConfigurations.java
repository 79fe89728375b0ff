package dev.tenancy.spring;

import dev.tenancy.core.memory.InMemoryApiKeyStore;
import dev.tenancy.core.spi.ApiKeyStore;
import dev.tenancy.jdbc.identity.JdbcApiKeyStore;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@link ApiKeyStore} choices, imported in this order by {@link TenancyIdentityAutoConfiguration}: JDBC first, so
 * the in-memory fallback sees it. Top-level (not nested in the auto-configuration) because Spring processes an
 * auto-configuration's member classes in class-file order, which is not the declaration order.
 */
final class ApiKeyStoreConfigurations {

  private ApiKeyStoreConfigurations() {
  }

  /** API keys in the database, on the pool beneath the tenant-aware wrapper (they are platform rows). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({DataSource.class, JdbcApiKeyStore.class})
  @ConditionalOnSingleCandidate(DataSource.class)
  static final class Jdbc {

    @Bean
    @ConditionalOnMissingBean
    ApiKeyStore tenancyJdbcApiKeyStore(DataSource dataSource, ObjectProvider<TenantDataSourceWrapper> wrapper,
        TenancyProperties properties) {
      TenantDataSourceWrapper found = wrapper.getIfAvailable();
      DataSource pool = found == null ? dataSource : found.poolOf(dataSource);
      return JdbcApiKeyStore.builder().dataSource(pool).migrate(properties.getStore().isMigrate()).build();
    }
  }

  /** Keys in memory: lost on restart, right for tests and single-instance demos. */
  @Configuration(proxyBeanMethods = false)
  static final class InMemory {

    @Bean
    @ConditionalOnMissingBean
    ApiKeyStore tenancyInMemoryApiKeyStore() {
      return new InMemoryApiKeyStore();
    }
  }
}
