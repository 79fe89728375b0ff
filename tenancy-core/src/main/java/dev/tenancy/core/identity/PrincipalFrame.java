package dev.tenancy.core.identity;

import dev.tenancy.core.EffectiveConfiguration;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** One entry of a thread's principal stack; also the {@link PrincipalScope} handed out, so entering allocates once. */
final class PrincipalFrame implements PrincipalScope {

  final TenantPrincipal principal;
  final AccessControl access;
  final @Nullable PrincipalFrame previous;
  final Thread owner;
  private boolean closed;
  // The principal's permissions for the configuration they were last resolved against: a request checks several
  // permissions against the one TenantInfo of its scope, so they are resolved once.
  private @Nullable EffectiveConfiguration resolvedFor;
  private Set<Permission> resolved = Set.of();

  PrincipalFrame(TenantPrincipal principal, AccessControl access, @Nullable PrincipalFrame previous, Thread owner) {
    this.principal = principal;
    this.access = access;
    this.previous = previous;
    this.owner = owner;
  }

  Set<Permission> permissions(EffectiveConfiguration configuration) {
    if (resolvedFor != configuration) {
      resolved = access.roles().permissionsOf(principal, configuration);
      resolvedFor = configuration;
    }
    return resolved;
  }

  boolean isClosed() {
    return closed;
  }

  void markClosed() {
    closed = true;
  }

  @Override
  public TenantPrincipal principal() {
    return principal;
  }

  @Override
  public void close() {
    PrincipalContext.exit(this);
  }

  @Override
  public String toString() {
    return "PrincipalScope[" + principal.subject() + (principal.isPlatform() ? ", platform" : ", " + principal.tenant())
        + "]";
  }
}
