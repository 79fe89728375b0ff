package dev.tenancy.redis;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md's rules for an adapter module, checked on tenancy-redis's production classes. */
class RedisArchitectureTest {

  private static JavaClasses redis;

  @BeforeAll
  static void importModule() {
    redis = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.tenancy.redis");
  }

  @Test
  void adapter_dependsOnCoreButNeverOnAnotherAdapterOrFramework() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "dev.tenancy.jdbc..", "dev.tenancy.servlet..", "dev.tenancy.crypto..", "dev.tenancy.spring..",
            "jakarta.servlet..", "org.springframework..", "java.sql..", "org.bouncycastle..")
        .because("adapters depend on core, never on each other; only the Spring module and examples wire several")
        .check(redis);
  }

  @Test
  void publicConcreteClasses_areFinal() {
    classes().that().arePublic().and().areTopLevelClasses()
        .and().areNotInterfaces().and().areNotEnums().and().areNotRecords()
        .and(DescribedPredicate.not(JavaClass.Predicates.assignableTo(Throwable.class)))
        .and().doNotHaveModifier(JavaModifier.ABSTRACT)
        .should().haveModifier(JavaModifier.FINAL)
        .because("public types are API and final unless meant for extension")
        .check(redis);
  }

  @Test
  void lettuceInternals_areNotUsed() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("io.lettuce.core.internal..",
            "io.lettuce.core.protocol..")
        .because("Lettuce's internal packages change without notice between releases")
        .check(redis);
  }

  @Test
  void noStandardStreams() {
    GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.because("library code logs through SLF4J")
        .check(redis);
  }
}
