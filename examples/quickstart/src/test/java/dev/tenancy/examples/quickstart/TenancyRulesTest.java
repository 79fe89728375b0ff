package dev.tenancy.examples.quickstart;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.tenancy.archunit.TenancyRules;
import org.junit.jupiter.api.Test;

/** The quick start keeps to every rule with the defaults: its one pool is created inside TenantContext.wrap. */
class TenancyRulesTest {

  @Test
  void quickStartKeepsTheTenantBoundary() {
    JavaClasses app = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.tenancy.examples.quickstart");
    TenancyRules.defaults().all().forEach(rule -> rule.check(app));
  }
}
