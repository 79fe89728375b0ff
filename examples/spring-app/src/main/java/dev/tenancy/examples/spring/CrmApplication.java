package dev.tenancy.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The real-estate CRM of {@code examples/admin-app}, written the way a Spring developer would: controllers, a
 * {@code JdbcClient} repository, an {@code @Async} listener and a {@code @Scheduled} job. Nothing here wires Tenancy:
 * the tenant filter, token verification, quotas, audit, the tenant-bound {@code DataSource} and the admin API all come
 * from {@code tenancy-spring-boot-starter} and {@code application.properties}.
 *
 * <p>Run it on H2 with {@code mvn -pl examples/spring-app -am spring-boot:run}; see {@code docs/spring-example.md}
 * for PostgreSQL with row-level security.
 */
@SpringBootApplication
@EnableAsync
@EnableScheduling
public class CrmApplication {

  /** Created by Spring. */
  public CrmApplication() {
  }

  /**
   * Starts the application.
   *
   * @param args Spring Boot command-line arguments, e.g. {@code --spring.profiles.active=postgres}
   */
  public static void main(String[] args) {
    SpringApplication.run(CrmApplication.class, args);
  }
}
