/**
 * Provisioning steps that create a tenant's place in the database, one per isolation strategy:
 * {@link dev.tenancy.jdbc.provisioning.CreateSchemaStep} (schema per tenant, PostgreSQL or H2) and
 * {@link dev.tenancy.jdbc.provisioning.CreateDatabaseStep} (database per tenant, PostgreSQL). Both run the
 * application's tenant migrations with Flyway and are idempotent, as {@code TenantService} requires.
 *
 * <p>Row-level security needs no step: all tenants share the tables, which the application migrates once like any
 * other schema, and {@code RlsPolicies} adds the policies there. A new RLS tenant is just a row in the tenant store.
 *
 * <pre>{@code
 * TenantService tenants = TenantService.builder()
 *     .store(store)
 *     .resolver(resolver)
 *     .step(CreateSchemaStep.builder()
 *         .dataSource(adminDataSource)                 // raw DataSource allowed to CREATE SCHEMA
 *         .locations("classpath:db/tenant")            // V1__notes.sql, V2__… applied in each tenant schema
 *         .build())
 *     .build();
 * tenants.create(NewTenant.of("acme-realty", "Acme Realty"));   // schema "tenant_acme_realty", migrated
 * }</pre>
 */
@NullMarked
package dev.tenancy.jdbc.provisioning;

import org.jspecify.annotations.NullMarked;
