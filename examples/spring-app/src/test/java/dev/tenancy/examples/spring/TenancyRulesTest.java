package dev.tenancy.examples.spring;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.tenancy.archunit.TenancyRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Repository;
import org.springframework.web.bind.annotation.RestController;

/**
 * The app runs the tenant-boundary rules a user would, configured the Spring way: {@code @Configuration} classes are
 * wiring, {@code @Repository} classes are repositories, {@code @RestController}s are tenant-scoped entry points (the
 * starter's filter is in front of them), and so are the {@code Job} (run per tenant by TenantJobs) and the
 * {@code Listener} (an {@code @Async} task that carries the request's tenant). Only the platform package may act
 * across tenants.
 */
class TenancyRulesTest {

  private static final TenancyRules RULES = TenancyRules.builder()
      .configurationAnnotations(Configuration.class)
      .repositoryAnnotations(Repository.class)
      .entryPointAnnotations(RestController.class)
      .entryPointSuffixes("Job", "Listener")
      .platformPackages("dev.tenancy.examples.spring.platform..")
      .build();

  private static JavaClasses app;

  @BeforeAll
  static void importApp() {
    app = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.tenancy.examples.spring");
  }

  @Test
  void allRulesPass() {
    RULES.all().forEach(rule -> rule.check(app));
  }

  @Test
  void withoutTheEntryPointConfiguration_theListenersUseOfTheStoreIsFlagged_soTheRulesSeeTheApp() {
    // Proves the rules inspect this app's classes: an @Async listener is only a tenant scope by configuration.
    assertThatThrownBy(() -> TenancyRules.builder().repositoryAnnotations(Repository.class)
        .entryPointAnnotations(RestController.class).build().repositoriesOnlyInTenantScope().check(app))
        .hasMessageContaining("LeadActivityListener").hasMessageContaining("LeadStore");
    assertThatThrownBy(() -> TenancyRules.PLATFORM_ACCESS_ONLY_FROM_PLATFORM_PACKAGES.check(app))
        .hasMessageContaining("TenantTables");
  }
}
