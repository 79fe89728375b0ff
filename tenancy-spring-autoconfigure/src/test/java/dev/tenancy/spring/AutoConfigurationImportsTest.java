package dev.tenancy.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.lifecycle.TenantService;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every auto-configuration listed in {@code AutoConfiguration.imports} together, as an application gets them: with
 * every optional module on the class path, and with none of them (a jar missing must switch its part off, not break
 * start-up).
 */
class AutoConfigurationImportsTest {

  private static final String IMPORTS =
      "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports";

  @Test
  void everyImport_loadsAndStartsWithTheOthers() throws Exception {
    List<Class<?>> classes = imports();
    assertThat(classes).contains(TenancyTaskAutoConfiguration.class,
        TenancyDataSourceInitializationAutoConfiguration.class, TenancyRedisAutoConfiguration.class,
        TenancyActuatorAutoConfiguration.class, TenancyHibernateAutoConfiguration.class);
    new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(classes.toArray(Class<?>[]::new)))
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(TenantService.class)
            .hasSingleBean(TenantJobs.class));
  }

  @Test
  void withoutAnyOptionalModule_theCoreStillStarts() throws Exception {
    new ApplicationContextRunner()
        .withClassLoader(new FilteredClassLoader("dev.tenancy.jdbc", "dev.tenancy.redis", "dev.tenancy.servlet",
            "org.hibernate", "org.flywaydb", "org.springframework.boot.health", "org.springframework.boot.actuate",
            "org.springframework.boot.jdbc", "org.springframework.boot.sql", "io.lettuce"))
        .withConfiguration(AutoConfigurations.of(imports().toArray(Class<?>[]::new)))
        .run(context -> assertThat(context).hasNotFailed().hasSingleBean(TenantJobs.class)
            .doesNotHaveBean(TenantDataSourceWrapper.class));
  }

  private static List<Class<?>> imports() throws IOException, ClassNotFoundException {
    try (InputStream in = AutoConfigurationImportsTest.class.getClassLoader().getResourceAsStream(IMPORTS)) {
      assertThat(in).isNotNull();
      List<String> names = Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
          .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
      List<Class<?>> classes = new ArrayList<>();
      for (String name : names) {
        classes.add(Class.forName(name));
      }
      return classes;
    }
  }
}
