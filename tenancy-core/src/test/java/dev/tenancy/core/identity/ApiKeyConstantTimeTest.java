package dev.tenancy.core.identity;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Constant-time comparison cannot be shown reliably by timing in a unit test, so it is pinned in the byte code:
 * {@link ApiKeyService} compares hashes with {@link MessageDigest#isEqual} — constant time for equal-length inputs —
 * and no identity class compares byte arrays with the early-exit {@link Arrays#equals(byte[], byte[])}.
 */
class ApiKeyConstantTimeTest {

  private static final JavaClasses IDENTITY = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.tenancy.core.identity");

  @Test
  void apiKeyService_comparesHashesWithMessageDigestIsEqual() {
    classes().that().haveSimpleName("ApiKeyService")
        .should().callMethod(MessageDigest.class, "isEqual", byte[].class, byte[].class)
        .because("a hash comparison that exits early tells an attacker how many leading bytes were right")
        .check(IDENTITY);
  }

  @Test
  void noIdentityClass_comparesByteArraysWithArraysEquals() {
    noClasses().should().callMethod(Arrays.class, "equals", byte[].class, byte[].class)
        .because("Arrays.equals returns at the first differing byte; compare secrets with MessageDigest.isEqual")
        .check(IDENTITY);
  }
}
