package dev.tenancy.spring;

import dev.tenancy.core.spi.AuditSink;
import dev.tenancy.core.spi.TenantStore;
import java.util.Set;
import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDependsOnDatabaseInitializationDetector;

/**
 * Makes the tenant store and audit sink beans wait for the database initialisers (spring.sql.init scripts, Flyway),
 * as Spring Boot does for a {@code JdbcTemplate}: their tables may sit in a schema those scripts create, and their own
 * migrations must not race the scripts on the same database. Registered in {@code META-INF/spring.factories}, where
 * Spring Boot looks for such detectors; the in-memory store and sink wait too, which costs nothing.
 */
class TenancyDependsOnDatabaseInitializationDetector
    extends AbstractBeansOfTypeDependsOnDatabaseInitializationDetector {

  @Override
  protected Set<Class<?>> getDependsOnDatabaseInitializationBeanTypes() {
    return Set.of(TenantStore.class, AuditSink.class);
  }
}
