package dev.tenancy.servlet.filter;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** House rules for the filter's packages: container-neutral, small final public surface. */
class FilterArchitectureTest {

  private static JavaClasses filter;

  @BeforeAll
  static void importFilterPackages() {
    filter = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.tenancy.servlet", "dev.tenancy.servlet.resolve", "dev.tenancy.servlet.metrics");
  }

  @Test
  void filterCode_dependsOnNoContainer() {
    noClasses().that().resideInAnyPackage("dev.tenancy.servlet", "dev.tenancy.servlet.resolve",
            "dev.tenancy.servlet.metrics")
        .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..", "org.apache.catalina..",
            "io.undertow..", "org.springframework..")
        .because("the filter runs in any Servlet 6 container; only the Jakarta Servlet API is allowed")
        .check(filter);
  }

  @Test
  void publicClasses_areFinal() {
    classes().that().resideInAnyPackage("dev.tenancy.servlet", "dev.tenancy.servlet.resolve",
            "dev.tenancy.servlet.metrics")
        .and().arePublic().and().areNotInterfaces().and().areNotEnums().and().areNotRecords()
        .and().areTopLevelClasses()
        .should().haveModifier(JavaModifier.FINAL)
        .because("public types are API and final unless meant for extension (Caffeine, ArchUnit PublicAPIRules)")
        .check(filter);
  }
}
