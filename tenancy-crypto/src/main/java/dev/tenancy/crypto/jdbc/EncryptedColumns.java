package dev.tenancy.crypto.jdbc;

import dev.tenancy.core.TenantId;
import dev.tenancy.crypto.DecryptionFailedException;
import dev.tenancy.crypto.TenantCipher;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Encrypts and decrypts chosen text columns in one line each: the column holds {@link TenantCipher#encryptString}'s
 * base64url text ({@code VARCHAR}/{@code TEXT}), SQL {@code NULL} stays {@code NULL} (not encrypted, so whether a
 * value is present is visible).
 *
 * <p>The purpose names the column (use one per column, e.g. {@code leads.email}): it is bound into every ciphertext,
 * so a value copied into another column, or another tenant's row, fails to decrypt.
 *
 * <pre>{@code
 * EncryptedColumns columns = EncryptedColumns.of(cipher);
 * columns.set(insert, 3, tenant, "leads.email", email);
 * String email = columns.get(rows, "email", tenant, "leads.email");
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class EncryptedColumns {

  private final TenantCipher cipher;

  private EncryptedColumns(TenantCipher cipher) {
    this.cipher = cipher;
  }

  /**
   * @param cipher the cipher that encrypts under the tenants' data keys
   * @return the helper
   */
  public static EncryptedColumns of(TenantCipher cipher) {
    return new EncryptedColumns(Objects.requireNonNull(cipher, "cipher"));
  }

  /**
   * Binds a value encrypted under the tenant's current key version, or SQL {@code NULL} for {@code null}.
   *
   * @param statement the statement
   * @param index the 1-based parameter index
   * @param tenant the tenant owning the row
   * @param purpose the column's purpose, e.g. {@code leads.email}
   * @param value the plaintext, or {@code null}
   * @throws SQLException if the driver refuses the parameter
   */
  public void set(PreparedStatement statement, int index, TenantId tenant, String purpose, @Nullable String value)
      throws SQLException {
    Objects.requireNonNull(statement, "statement");
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, cipher.encryptString(tenant, purpose, value));
    }
  }

  /**
   * Reads and decrypts a column by name.
   *
   * @param row the result set, positioned on a row
   * @param column the column label
   * @param tenant the tenant owning the row
   * @param purpose the purpose the column was encrypted for
   * @return the plaintext, or {@code null} for SQL {@code NULL}
   * @throws SQLException if the driver cannot read the column
   * @throws DecryptionFailedException if the value was altered or belongs to another column or tenant
   */
  public @Nullable String get(ResultSet row, String column, TenantId tenant, String purpose) throws SQLException {
    Objects.requireNonNull(row, "row");
    return decrypt(row.getString(Objects.requireNonNull(column, "column")), tenant, purpose);
  }

  /**
   * Reads and decrypts a column by position.
   *
   * @param row the result set, positioned on a row
   * @param index the 1-based column index
   * @param tenant the tenant owning the row
   * @param purpose the purpose the column was encrypted for
   * @return the plaintext, or {@code null} for SQL {@code NULL}
   * @throws SQLException if the driver cannot read the column
   * @throws DecryptionFailedException if the value was altered or belongs to another column or tenant
   */
  public @Nullable String get(ResultSet row, int index, TenantId tenant, String purpose) throws SQLException {
    Objects.requireNonNull(row, "row");
    return decrypt(row.getString(index), tenant, purpose);
  }

  private @Nullable String decrypt(@Nullable String stored, TenantId tenant, String purpose) {
    return stored == null ? null : cipher.decryptString(tenant, purpose, stored);
  }

  @Override
  public String toString() {
    return "EncryptedColumns[" + cipher + "]";
  }
}
