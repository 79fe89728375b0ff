package dev.tenancy.jdbc;

import dev.tenancy.core.PlatformAccess;
import dev.tenancy.core.TenantInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A schema per tenant in one database: each connection's current schema ({@code search_path} on PostgreSQL,
 * {@code SET SCHEMA} on H2) is the tenant's, named {@code <prefix><slug>} with hyphens as underscores
 * ({@link SqlIdentifiers#tenantSchema}). The schemas are created by a provisioning step.
 *
 * <pre>{@code
 * TenantAwareDataSource dataSource =
 *     TenantAwareDataSource.of(SchemaPerTenant.builder(hikari).schemaPrefix("tenant_").build());
 * }</pre>
 *
 * <p>Binding is cached per physical connection like {@link RowLevelSecurity}'s session mode, and is set through the
 * physical connection with auto-commit on, so neither a rollback (which would revert a {@code SET} made inside a
 * transaction) nor the pool's own reset-on-return can leave it stale. Platform checkouts use the platform schema
 * ({@code public}, or {@code PUBLIC} on H2 if configured so). Unlike row-level security, a schema binding is not
 * enforced by the database if application SQL names another schema explicitly — qualify nothing, and let
 * {@code IsolationVerifier} and the ArchUnit rules check the code.
 */
public final class SchemaPerTenant extends IsolationStrategy {

  private final DataSource pool;
  private final String prefix;
  private final String platformSchema;
  private final SessionBindings sessions = new SessionBindings(Connection::setSchema);

  private SchemaPerTenant(Builder builder) {
    this.pool = builder.pool;
    this.prefix = builder.prefix;
    this.platformSchema = builder.platformSchema;
  }

  /**
   * Starts a configuration over a pool.
   *
   * @param pool the connection pool
   * @return a builder
   */
  public static Builder builder(DataSource pool) {
    return new Builder(Objects.requireNonNull(pool, "pool"));
  }

  /**
   * The schema of a tenant under this strategy.
   *
   * @param tenant the tenant
   * @return its schema name (unquoted)
   */
  public String schemaOf(TenantInfo tenant) {
    return SqlIdentifiers.tenantSchema(prefix, tenant.slug());
  }

  /** @return the prefix of every tenant schema */
  public String schemaPrefix() {
    return prefix;
  }

  @Override
  Connection connect(TenantInfo tenant) throws SQLException {
    return sessions.bind(pool.getConnection(), schemaOf(tenant));
  }

  @Override
  Connection connectAsPlatform(PlatformAccess access) throws SQLException {
    return sessions.bind(pool.getConnection(), platformSchema);
  }

  @Override
  BindingStatistics statistics() {
    return sessions.statistics();
  }

  /** Configures {@link SchemaPerTenant}. */
  public static final class Builder {
    private final DataSource pool;
    private String prefix = "tenant_";
    private String platformSchema = "public";

    private Builder(DataSource pool) {
      this.pool = pool;
    }

    /**
     * @param schemaPrefix prefix of tenant schemas, lower-case letters, digits and '_' (default {@code tenant_})
     * @return this builder
     */
    public Builder schemaPrefix(String schemaPrefix) {
      Objects.requireNonNull(schemaPrefix, "schemaPrefix");
      SqlIdentifiers.tenantSchema(schemaPrefix, dev.tenancy.core.TenantSlug.of("probe"));
      this.prefix = schemaPrefix;
      return this;
    }

    /**
     * @param schema the schema platform (cross-tenant) checkouts use (default {@code public}; {@code PUBLIC} on H2)
     * @return this builder
     */
    public Builder platformSchema(String schema) {
      this.platformSchema = Objects.requireNonNull(schema, "schema");
      return this;
    }

    /** @return the strategy */
    public SchemaPerTenant build() {
      return new SchemaPerTenant(this);
    }
  }
}
