package dev.tenancy.jdbc.verify;

import dev.tenancy.core.TenancyException;
import java.util.List;
import java.util.Objects;

/**
 * Thrown by {@link IsolationReport#assertClean()} when the database does not keep tenants apart; the message lists every
 * finding with its fix.
 */
public final class IsolationViolationException extends TenancyException {
  private static final long serialVersionUID = 1L;

  private final transient List<Finding> findings;

  IsolationViolationException(IsolationReport report) {
    super(Objects.requireNonNull(report, "report").toString());
    this.findings = report.findings();
  }

  /** @return every finding of the report, in the order they were found */
  public List<Finding> findings() {
    return findings;
  }
}
