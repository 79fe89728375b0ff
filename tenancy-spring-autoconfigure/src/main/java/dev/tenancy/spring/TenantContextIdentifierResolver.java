package dev.tenancy.spring;

import dev.tenancy.core.TenantContext;
import dev.tenancy.core.TenantInfo;
import java.util.Optional;
import org.hibernate.context.spi.CurrentTenantIdentifierResolver;

/**
 * Tells Hibernate which tenant a new session belongs to: the id of {@link TenantContext}'s current tenant.
 *
 * <p>Outside a tenant scope it answers a sentinel, {@link #PLATFORM} inside {@code TenantContext.asPlatform} and
 * {@link #NO_TENANT} otherwise, rather than throwing. Hibernate opens sessions where no tenant can be in scope and
 * no data is read: Spring Data JPA validates its queries at start-up, open-session-in-view opens one before the
 * controller runs. Throwing there would stop such applications from starting; the refusal belongs where data would
 * flow, and {@link TenantAwareConnectionProvider} refuses every connection for {@code NO_TENANT}. Fail closed
 * either way.
 */
public final class TenantContextIdentifierResolver implements CurrentTenantIdentifierResolver<String> {

  /** The identifier of a session opened in a platform scope without a tenant. */
  public static final String PLATFORM = "tenancy:platform";

  /** The identifier of a session opened outside any scope; it gets no connection. */
  public static final String NO_TENANT = "tenancy:none";

  /** Creates the resolver. */
  public TenantContextIdentifierResolver() {
  }

  /**
   * @return the current tenant's id, or {@link #PLATFORM} or {@link #NO_TENANT}
   */
  @Override
  public String resolveCurrentTenantIdentifier() {
    return current();
  }

  /**
   * {@code true}: {@code getCurrentSession()} then refuses a session that belongs to another tenant.
   *
   * @return {@code true}
   */
  @Override
  public boolean validateExistingCurrentSessions() {
    return true;
  }

  /**
   * No identifier is Hibernate's "root" tenant (which {@code @TenantId} filtering would let see every tenant's rows):
   * cross-tenant work goes through {@code TenantContext.asPlatform}, which the DataSource announces and logs.
   *
   * @param tenantId an identifier
   * @return {@code false}
   */
  @Override
  public boolean isRoot(String tenantId) {
    return false;
  }

  /** The identifier for the current scope; the connection provider compares against it. */
  static String current() {
    Optional<TenantInfo> tenant = TenantContext.current();
    if (tenant.isPresent()) {
      return tenant.get().id().toString();
    }
    return TenantContext.isPlatform() ? PLATFORM : NO_TENANT;
  }
}
