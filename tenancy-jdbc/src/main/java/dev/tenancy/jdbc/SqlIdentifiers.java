package dev.tenancy.jdbc;

import dev.tenancy.core.TenantSlug;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The only way Tenancy puts a name into SQL text: quoted identifiers and tenant schema names derived from validated
 * slugs. Values never go into SQL text at all — they are bound as parameters.
 *
 * <pre>{@code
 * String schema = SqlIdentifiers.tenantSchema("tenant_", TenantSlug.of("acme-realty"));   // tenant_acme_realty
 * statement.execute("CREATE SCHEMA IF NOT EXISTS " + SqlIdentifiers.quote(schema));       // "tenant_acme_realty"
 * }</pre>
 */
public final class SqlIdentifiers {

  /** PostgreSQL truncates identifiers beyond this many bytes; we refuse them instead. */
  public static final int MAX_IDENTIFIER_BYTES = 63;

  private SqlIdentifiers() {
  }

  /**
   * Quotes an identifier for PostgreSQL and H2: wrapped in double quotes, embedded double quotes doubled, so no text
   * can end the identifier early.
   *
   * @param identifier the raw identifier
   * @return the quoted identifier
   * @throws IllegalArgumentException if it is empty, longer than {@value #MAX_IDENTIFIER_BYTES} bytes, or holds a NUL
   *     or another control character
   */
  public static String quote(String identifier) {
    Objects.requireNonNull(identifier, "identifier");
    if (identifier.isEmpty()) {
      throw new IllegalArgumentException("An SQL identifier must not be empty");
    }
    if (identifier.getBytes(StandardCharsets.UTF_8).length > MAX_IDENTIFIER_BYTES) {
      throw new IllegalArgumentException("SQL identifier longer than " + MAX_IDENTIFIER_BYTES
          + " bytes would be truncated by PostgreSQL: '" + identifier + "'");
    }
    if (identifier.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("An SQL identifier must not contain control characters");
    }
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /**
   * Quotes a possibly schema-qualified name such as {@code public.leads}; each part is quoted separately.
   *
   * @param qualifiedName one or two dot-separated parts
   * @return the quoted name, e.g. {@code "public"."leads"}
   */
  public static String quoteQualified(String qualifiedName) {
    Objects.requireNonNull(qualifiedName, "qualifiedName");
    int dot = qualifiedName.indexOf('.');
    if (dot < 0) {
      return quote(qualifiedName);
    }
    return quote(qualifiedName.substring(0, dot)) + "." + quote(qualifiedName.substring(dot + 1));
  }

  /**
   * The schema name of a tenant: the prefix followed by the slug with hyphens as underscores. Built only from a
   * validated {@link TenantSlug}, so it consists of {@code [a-z0-9_]} and needs no quoting — it is quoted anyway.
   *
   * @param prefix a prefix of lower-case letters, digits and underscores, e.g. {@code tenant_}
   * @param slug the tenant's slug
   * @return the schema name, e.g. {@code tenant_acme_realty}
   * @throws IllegalArgumentException if the prefix has other characters or the name gets too long
   */
  public static String tenantSchema(String prefix, TenantSlug slug) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(slug, "slug");
    if (!prefix.matches("[a-z][a-z0-9_]{0,20}")) {
      throw new IllegalArgumentException("A schema prefix is 1 to 21 characters a-z, 0-9 or '_', starting with a letter;"
          + " was '" + prefix + "'");
    }
    String name = prefix + slug.value().replace('-', '_');
    if (name.length() > MAX_IDENTIFIER_BYTES) {
      throw new IllegalArgumentException("Schema name '" + name + "' exceeds " + MAX_IDENTIFIER_BYTES
          + " characters; use a shorter prefix");
    }
    return name;
  }
}
