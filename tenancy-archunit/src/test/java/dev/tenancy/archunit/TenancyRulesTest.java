package dev.tenancy.archunit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import dev.tenancy.archunit.fixtures.datasource.wiring.Wiring;
import org.junit.jupiter.api.Test;

/** Each rule against a fixture that violates it (message asserted) and one that is clean. */
class TenancyRulesTest {

  private static final String FIXTURES = "dev.tenancy.archunit.fixtures.";

  private static JavaClasses fixtures(String subPackage) {
    return new ClassFileImporter().importPackages(FIXTURES + subPackage);
  }

  private static void assertFlags(ArchRule rule, String subPackage, String fix, String... offenders) {
    assertThatThrownBy(() -> rule.check(fixtures(subPackage)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("because " + fix)
        .hasMessageContainingAll(offenders);
  }

  private static void assertPasses(ArchRule rule, String subPackage) {
    assertThatCode(() -> rule.check(fixtures(subPackage))).doesNotThrowAnyException();
  }

  @Test
  void rawDataSourceIsFlaggedOutsideConfiguration() {
    assertFlags(TenancyRules.NO_RAW_DATA_SOURCE, "datasource.bad", TenancyRules.RAW_DATA_SOURCE_FIX,
        "ReportExporter", "DriverManager.getConnection");
    assertPasses(TenancyRules.NO_RAW_DATA_SOURCE, "datasource.good");
  }

  @Test
  void configurationMayBuildRawConnections() {
    assertFlags(TenancyRules.NO_RAW_DATA_SOURCE, "datasource.wiring", TenancyRules.RAW_DATA_SOURCE_FIX, "Wiring");
    assertPasses(TenancyRules.builder().configurationClasses(Wiring.class).build().noRawDataSource(),
        "datasource.wiring");
    assertPasses(TenancyRules.builder().configurationPackages(FIXTURES + "datasource.wiring..").build()
        .noRawDataSource(), "datasource.wiring");
  }

  @Test
  void readingTheTenantFromARequestHeaderIsFlagged() {
    assertFlags(TenancyRules.NO_TENANT_FROM_REQUEST, "request.bad", TenancyRules.REQUEST_FIX,
        "TenantSniffer", "getHeader");
    assertPasses(TenancyRules.NO_TENANT_FROM_REQUEST, "request.good");
    assertPasses(TenancyRules.builder().requestPackages(FIXTURES + "request.bad..").build().noTenantFromRequest(),
        "request.bad");
  }

  @Test
  void threadsAndPoolsWithoutWrapAreFlagged() {
    assertFlags(TenancyRules.NO_UNPROPAGATED_THREADS, "threads.bad", TenancyRules.THREADS_FIX,
        "ReportScheduler.pool()", "Executors.newFixedThreadPool", "ReportScheduler.thread(", "Thread.<init>");
    assertPasses(TenancyRules.NO_UNPROPAGATED_THREADS, "threads.good");
  }

  @Test
  void threadSubclassesAreThreadsToo() {
    assertFlags(TenancyRules.NO_UNPROPAGATED_THREADS, "threads.subclass", TenancyRules.THREADS_FIX, "Worker");
    assertPasses(TenancyRules.builder().threadPackages(FIXTURES + "threads.subclass..").build()
        .noUnpropagatedThreads(), "threads.subclass");
  }

  @Test
  void platformAccessIsFlaggedOutsidePlatformPackages() {
    assertFlags(TenancyRules.PLATFORM_ACCESS_ONLY_FROM_PLATFORM_PACKAGES, "platform.bad", TenancyRules.PLATFORM_FIX,
        "LeadsOverview", "asPlatform");
    // The ops class is only clean once its package is named as a platform package.
    assertFlags(TenancyRules.PLATFORM_ACCESS_ONLY_FROM_PLATFORM_PACKAGES, "platform.good", TenancyRules.PLATFORM_FIX,
        "TenantReport");
    assertPasses(TenancyRules.builder().platformPackages(FIXTURES + "platform.good.ops..").build()
        .platformAccessOnlyFromPlatformPackages(), "platform.good");
  }

  @Test
  void repositoriesCalledOutsideATenantScopeAreFlagged() {
    assertFlags(TenancyRules.REPOSITORIES_ONLY_IN_TENANT_SCOPE, "repository.bad", TenancyRules.REPOSITORY_FIX,
        "CleanupJob");
    assertPasses(TenancyRules.REPOSITORIES_ONLY_IN_TENANT_SCOPE, "repository.good");
  }

  @Test
  void repositoryAndEntryPointConventionsAreConfigurable() {
    // "Job" as an entry point suffix: the unscoped job is then trusted to run per tenant.
    assertPasses(TenancyRules.builder().entryPointSuffixes("Job").build().repositoriesOnlyInTenantScope(),
        "repository.bad");
    // "Scheduler" as a repository suffix: the clean threads fixture has no caller, so it passes vacuously.
    assertPasses(TenancyRules.builder().repositorySuffixes("Scheduler").build().repositoriesOnlyInTenantScope(),
        "threads.good");
  }

  @Test
  void allRulesPassOnEveryCleanFixtureAndEachSentenceSaysHowToFix() {
    TenancyRules rules = TenancyRules.builder().platformPackages(FIXTURES + "platform.good.ops..").build();
    assertThat(rules.all()).hasSize(5);
    for (String clean : new String[] {"datasource.good", "request.good", "threads.good", "platform.good",
        "repository.good"}) {
      for (ArchRule rule : rules.all()) {
        assertThatCode(() -> rule.check(fixtures(clean))).as(clean + ": " + rule.getDescription())
            .doesNotThrowAnyException();
      }
    }
    for (String fix : new String[] {TenancyRules.RAW_DATA_SOURCE_FIX, TenancyRules.REQUEST_FIX,
        TenancyRules.THREADS_FIX, TenancyRules.PLATFORM_FIX, TenancyRules.REPOSITORY_FIX}) {
      assertThat(fix).contains(", so ").doesNotContain(". ");
    }
  }
}
