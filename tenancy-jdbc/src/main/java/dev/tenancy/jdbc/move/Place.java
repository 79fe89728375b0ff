package dev.tenancy.jdbc.move;

import dev.tenancy.core.Tenant;
import dev.tenancy.core.TenantInfo;
import dev.tenancy.jdbc.IsolationStrategy;
import dev.tenancy.jdbc.provisioning.CreateDatabaseStep;
import dev.tenancy.jdbc.provisioning.CreateSchemaStep;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * How one shard holds its tenants, as far as moving them in and out is concerned: what must be made before a tenant's
 * rows can be copied in, and how its old copy is erased once it has moved out. One per shard that takes part in moves:
 *
 * <ul>
 *   <li>{@link #sharedTables()} — a {@code RowLevelSecurity} shard: the tables already exist; a tenant's old copy is
 *       its rows, deleted children first.</li>
 *   <li>{@link #ownSchema} — a {@code SchemaPerTenant} shard: the schema is created and migrated by a
 *       {@link CreateSchemaStep}; the old copy is the schema, dropped.</li>
 *   <li>{@link #ownDatabase} — a {@code DatabasePerTenant} shard: the database is created and migrated by a
 *       {@link CreateDatabaseStep}; the old copy is the database, dropped.</li>
 * </ul>
 *
 * <p>Users choose among these; they cannot write their own (the class has no public constructor), because a place
 * decides what is deleted.
 */
public abstract class Place {

  Place() {
  }

  /**
   * Shared tables under PostgreSQL row-level security: nothing to prepare, and the old copy is the tenant's rows.
   *
   * @return the place
   */
  public static Place sharedTables() {
    return new SharedTablesPlace();
  }

  /**
   * A schema of the tenant's own.
   *
   * @param step creates and migrates the schema, with the same prefix as the shard's {@code SchemaPerTenant}
   * @param adminDataSource the raw DataSource that may create, rename and drop schemas (normally the step's own)
   * @return the place
   */
  public static Place ownSchema(CreateSchemaStep step, DataSource adminDataSource) {
    return new SchemaPlace(Objects.requireNonNull(step, "step"),
        Objects.requireNonNull(adminDataSource, "adminDataSource"));
  }

  /**
   * A PostgreSQL database of the tenant's own.
   *
   * @param step creates and migrates the database; its URL template must name the same databases as the shard's
   *     {@code DatabasePerTenant} pool factory
   * @param adminDataSource a DataSource on the maintenance database as a role that may create, alter and drop
   *     databases and end sessions on them (normally the step's own)
   * @return the place
   */
  public static Place ownDatabase(CreateDatabaseStep step, DataSource adminDataSource) {
    return new DatabasePlace(Objects.requireNonNull(step, "step"),
        Objects.requireNonNull(adminDataSource, "adminDataSource"));
  }

  /** @return what kind of place this is, for messages */
  abstract String kind();

  /**
   * Checks at build time that the shard's strategy is the one this place works with.
   *
   * @throws IllegalArgumentException if not
   */
  abstract void check(String shard, IsolationStrategy strategy);

  /** @return what of the tenant is at this place already (the move must not overwrite it), or empty */
  abstract Optional<String> existing(Shard shard, Tenant tenant, TenantInfo info, String tenantColumn)
      throws Exception;

  /** @return whether {@link #prepare} makes something that {@link #discard} must remove again */
  abstract boolean makesPlace();

  /** Makes the tenant's place (and its tables) ready to receive its rows. */
  abstract void prepare(Shard shard, Tenant tenant) throws Exception;

  /** Removes what a move put here: the made place, or the rows it copied in. */
  abstract void discard(Shard shard, Tenant tenant, TenantInfo info, String tenantColumn) throws Exception;

  /**
   * Takes the tenant's copy here out of reach in a way that can still be undone, after checking it holds
   * {@code expectedRows} rows.
   */
  abstract Retirement retire(Shard shard, Tenant tenant, TenantInfo info, String tenantColumn, long expectedRows)
      throws Exception;

  @Override
  public String toString() {
    return kind();
  }

  /** An old copy taken out of reach: undone if the move fails before it commits, finished (erased) after. */
  interface Retirement {

    /** @return what was done, for the journal */
    String describe();

    /** Brings the old copy back exactly as it was. */
    void undo() throws Exception;

    /** Erases the old copy for good. */
    void finish() throws Exception;

    /** @return how to erase the old copy by hand if {@link #finish} failed */
    String leftover();
  }
}
