package dev.tenancy.servlet.resolve;

import dev.tenancy.core.identity.TenantPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The {@code org_id} of the verified token. */
enum ClaimTenantResolver implements TenantResolver {
  INSTANCE;

  @Override
  public Optional<String> resolve(HttpServletRequest request, @Nullable TenantPrincipal principal) {
    return principal == null || principal.tenant() == null ? Optional.empty()
        : Optional.of(principal.tenant().toString());
  }

  @Override
  public String source() {
    return "token:org_id";
  }
}
