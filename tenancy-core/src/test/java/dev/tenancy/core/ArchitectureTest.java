package dev.tenancy.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.GeneralCodingRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The house rules of ARCHITECTURE.md and HOUSE-STYLE.md, checked on tenancy-core's production classes. */
class ArchitectureTest {

  private static JavaClasses core;

  @BeforeAll
  static void importCore() {
    core = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.tenancy.core");
  }

  @Test
  void core_importsNoServletJdbcDriverSpringRedisOrBouncyCastleType() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "jakarta.servlet..", "javax.servlet..", "org.postgresql..", "org.h2..", "com.zaxxer..",
            "org.springframework..", "io.lettuce..", "redis..", "org.bouncycastle..", "org.flywaydb..")
        .because("tenancy-core is framework-neutral: technology belongs in an adapter module")
        .check(core);
  }

  @Test
  void noInheritableThreadLocalAndNoThreadLocalWithDefault() {
    noClasses().should().dependOnClassesThat().areAssignableTo(InheritableThreadLocal.class)
        .because("an inheritable tenant leaks into pooled threads created while it was set")
        .check(core);
    noClasses().should().callMethod(ThreadLocal.class, "withInitial", java.util.function.Supplier.class)
        .because("a ThreadLocal with an initial value turns a cleared thread into a default tenant")
        .check(core);
  }

  @Test
  void internalTypes_neverAppearInPublicSignaturesOfApiTypes() {
    methods().that().arePublic()
        .and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
        .should(new ArchCondition<JavaMethod>("not expose an internal type") {
          @Override
          public void check(JavaMethod method, ConditionEvents events) {
            boolean exposes = method.getRawReturnType().getPackageName().contains(".internal")
                || method.getRawParameterTypes().stream().anyMatch(t -> t.getPackageName().contains(".internal"));
            if (exposes) {
              events.add(SimpleConditionEvent.violated(method, method.getFullName() + " exposes an internal type"));
            }
          }
        })
        .because("users must never need to import dev.tenancy.core.internal")
        .allowEmptyShould(true)
        .check(core);
  }

  @Test
  void spiPackage_holdsInterfacesAndTheValuesTheyExchange() {
    classes().that().resideInAPackage("dev.tenancy.core.spi").and().areTopLevelClasses()
        .should().beInterfaces().orShould().beRecords().orShould().beEnums()
        .because("the spi package holds what users implement; implementations live in memory or adapter modules")
        .check(core);
  }

  @Test
  void publicConcreteClasses_areFinal_unlessExceptionsMeantForSubclassing() {
    classes().that().arePublic().and().areTopLevelClasses()
        .and().areNotInterfaces().and().areNotEnums().and().areNotRecords()
        .and(not(assignableToThrowable()))
        .and().doNotHaveModifier(JavaModifier.ABSTRACT)
        .should().haveModifier(JavaModifier.FINAL)
        .because("public types are API and final unless meant for extension (Caffeine, ArchUnit PublicAPIRules)")
        .check(core);
  }

  @Test
  void rootPackage_dependsOnNoSubPackage() {
    noClasses().that().resideInAPackage("dev.tenancy.core")
        .should().dependOnClassesThat().resideInAnyPackage("dev.tenancy.core.(*)..")
        .because("the model and TenantContext are the bottom layer every other package builds on")
        .check(core);
  }

  @Test
  void namesFollowTheHouseStyle() {
    noClasses().should().haveSimpleNameEndingWith("Impl")
        .orShould().haveSimpleNameEndingWith("Utils")
        .orShould().haveSimpleNameEndingWith("Helper")
        .because("names explain themselves: implementations carry their technology as prefix")
        .check(core);
  }

  @Test
  void noStandardStreamsNoJavaUtilLogging() {
    GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS.because("library code logs through SLF4J").check(core);
    GeneralCodingRules.NO_CLASSES_SHOULD_USE_JAVA_UTIL_LOGGING.check(core);
  }

  private static DescribedPredicate<JavaClass> assignableToThrowable() {
    return JavaClass.Predicates.assignableTo(Throwable.class);
  }

  private static <T> DescribedPredicate<T> not(DescribedPredicate<T> predicate) {
    return DescribedPredicate.not(predicate);
  }
}
