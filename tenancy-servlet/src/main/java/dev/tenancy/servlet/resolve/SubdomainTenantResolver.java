package dev.tenancy.servlet.resolve;

import dev.tenancy.core.identity.TenantPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** The first label of the host under a base domain. */
final class SubdomainTenantResolver implements TenantResolver {

  private final String suffix;

  SubdomainTenantResolver(String baseDomain) {
    String domain = Objects.requireNonNull(baseDomain, "baseDomain").trim().toLowerCase(Locale.ROOT);
    if (domain.isEmpty() || domain.startsWith(".") || domain.endsWith(".")) {
      throw new IllegalArgumentException("base domain must be a domain like example.com, was '" + baseDomain + "'");
    }
    this.suffix = "." + domain;
  }

  @Override
  public Optional<String> resolve(HttpServletRequest request, @Nullable TenantPrincipal principal) {
    String host = request.getServerName();
    if (host == null) {
      return Optional.empty();
    }
    host = host.toLowerCase(Locale.ROOT);
    if (!host.endsWith(suffix) || host.length() == suffix.length()) {
      return Optional.empty();
    }
    String labels = host.substring(0, host.length() - suffix.length());
    // Only the label right under the base domain: a.b.example.com names b, never the attacker-chosen a.
    int dot = labels.lastIndexOf('.');
    return Optional.of(dot < 0 ? labels : labels.substring(dot + 1));
  }

  @Override
  public String source() {
    return "subdomain";
  }

  @Override
  public String toString() {
    return "TenantResolver[subdomain of " + suffix.substring(1) + "]";
  }
}
