package dev.tenancy.jdbc.migration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tenancy.core.data.TenantMigrationStatus;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;

/** The error text a status record keeps: readable, complete enough, and free of credentials. */
class ErrorTextTest {

  @Test
  void of_driverFailureWithTheUrlAndPassword_keepsNeitherPasswordNorUserInfo() {
    FlywayException failure = new FlywayException("Unable to obtain connection from database"
        + " (jdbc:postgresql://app:s3cr3t-Pass@db:5432/tenant_acme?sslmode=require&password=s3cr3t-Pass) for user"
        + " 'app': FATAL: password authentication failed", new SQLException("FATAL: password authentication failed"
        + " for user \"app\"", "28P01"));

    String text = ErrorText.of(failure, Arrays.asList("s3cr3t-Pass", null));

    assertThat(text).doesNotContain("s3cr3t").doesNotContain("app:").contains("//***@db:5432/tenant_acme")
        .contains("password=***").contains("password authentication failed");
  }

  @Test
  void of_secretNotInKeyValueForm_isRemovedLiterally() {
    String text = ErrorText.of(new IllegalStateException("login hunter2hunter2 refused"), List.of("hunter2hunter2"));

    assertThat(text).isEqualTo("IllegalStateException: login *** refused");
  }

  @Test
  void of_chainOfCauses_namesEachDistinctMessageOnce() {
    SQLException driver = new SQLException("relation \"attachments\" already exists", "42P07");
    FlywayException flyway = new FlywayException("Migration V2__attachments.sql failed: relation \"attachments\""
        + " already exists", driver);

    String text = ErrorText.of(flyway, List.of());

    assertThat(text).startsWith("FlywayException: Migration V2__attachments.sql failed")
        .doesNotContain("Caused by");
  }

  @Test
  void of_differentCauseMessage_isAppended() {
    String text = ErrorText.of(new FlywayException("Validate failed", new SQLException("disk full")), List.of());

    assertThat(text).isEqualTo("FlywayException: Validate failed\nCaused by: SQLException: disk full");
  }

  @Test
  void of_hugeMessage_isCutToTheRecordLimit() {
    String text = ErrorText.of(new RuntimeException("x".repeat(20_000)), List.of());

    assertThat(text).hasSize(TenantMigrationStatus.MAX_ERROR_LENGTH).endsWith("…");
  }
}
