package dev.tenancy.examples.admin;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.tenancy.archunit.TenancyRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The example runs the same tenant-boundary rules a user would: AdminApp is the wiring class (it builds the pools,
 * the shutdown thread and the LeadStore), the servlets are the tenant-scoped entry points, LeadStore the repository.
 */
class TenancyRulesTest {

  private static final TenancyRules RULES = TenancyRules.builder()
      .configurationClasses(AdminApp.class)
      .repositorySuffixes("Store")
      .build();

  private static JavaClasses app;

  @BeforeAll
  static void importApp() {
    app = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.tenancy.examples.admin");
  }

  @Test
  void noRawDataSourceOutsideAdminApp() {
    RULES.noRawDataSource().check(app);
  }

  @Test
  void noTenantFromRequest() {
    RULES.noTenantFromRequest().check(app);
  }

  @Test
  void noUnpropagatedThreads() {
    RULES.noUnpropagatedThreads().check(app);
  }

  @Test
  void noPlatformAccessFromApplicationCode() {
    RULES.platformAccessOnlyFromPlatformPackages().check(app);
  }

  @Test
  void leadStoreOnlyRunsInATenantScope() {
    RULES.repositoriesOnlyInTenantScope().check(app);
  }

  @Test
  void withoutItsWiringClassTheAppWouldViolate_soTheRulesSeeIt() {
    // Proves the rules actually inspect this app: AdminApp builds Hikari pools and a plain shutdown thread.
    ArchRule unconfigured = TenancyRules.NO_RAW_DATA_SOURCE;
    assertThatThrownBy(() -> unconfigured.check(app)).hasMessageContaining("AdminApp")
        .hasMessageContaining("HikariDataSource");
    assertThatThrownBy(() -> TenancyRules.NO_UNPROPAGATED_THREADS.check(app)).hasMessageContaining("AdminApp.main(");
    // LeadStore is a repository under the "Store" convention: only AdminApp (wiring) builds it outside a servlet.
    assertThatThrownBy(() -> TenancyRules.builder().repositorySuffixes("Store").build()
        .repositoriesOnlyInTenantScope().check(app)).hasMessageContaining("AdminApp")
        .hasMessageContaining("LeadStore");
  }
}
