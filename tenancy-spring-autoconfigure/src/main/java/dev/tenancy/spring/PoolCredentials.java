package dev.tenancy.spring;

import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.util.ClassUtils;

/**
 * The pool's database as another role, the way Spring Boot derives {@code spring.sql.init.username}'s DataSource:
 * same URL and driver, other credentials, no pool (the work it is for runs once at start-up).
 */
final class PoolCredentials {

  private static final String BUILDER = "org.springframework.boot.jdbc.DataSourceBuilder";

  private PoolCredentials() {
  }

  /** @return whether spring-boot-jdbc, which reads a pool's URL, is on the class path */
  static boolean canDerive() {
    return ClassUtils.isPresent(BUILDER, PoolCredentials.class.getClassLoader());
  }

  /**
   * @param pool the pool whose URL and driver to use
   * @param username the role
   * @param password its password, or null
   * @return a non-pooling DataSource connecting as {@code username}
   */
  static DataSource as(DataSource pool, String username, @Nullable String password) {
    return as(pool, username, password, null);
  }

  /**
   * @param pool the pool whose URL (and driver, unless given) to use
   * @param username the role
   * @param password its password, or null
   * @param driverClassName the driver to use instead of the pool's, or null/blank for the pool's
   * @return a non-pooling DataSource connecting as {@code username}
   */
  static DataSource as(DataSource pool, String username, @Nullable String password,
      @Nullable String driverClassName) {
    DataSourceBuilder<?> builder = DataSourceBuilder.derivedFrom(pool).type(SimpleDriverDataSource.class)
        .username(username).password(password);
    if (driverClassName != null && !driverClassName.isBlank()) {
      builder.driverClassName(driverClassName);
    }
    return builder.build();
  }
}
