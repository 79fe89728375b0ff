package dev.tenancy.jdbc.verify;

import java.util.List;
import java.util.Objects;

/**
 * What {@link IsolationVerifier} found: the tenant tables it checked and every problem, each with its fix.
 *
 * <pre>{@code
 * IsolationReport report = IsolationVerifier.forPostgres().applicationRole("app").verify(dataSource);
 * report.assertClean();   // throws IsolationViolationException listing every finding
 * }</pre>
 */
public final class IsolationReport {

  private final List<String> tenantTables;
  private final List<Finding> findings;

  IsolationReport(List<String> tenantTables, List<Finding> findings) {
    this.tenantTables = List.copyOf(Objects.requireNonNull(tenantTables, "tenantTables"));
    this.findings = List.copyOf(Objects.requireNonNull(findings, "findings"));
  }

  /** @return whether nothing was found */
  public boolean isClean() {
    return findings.isEmpty();
  }

  /** @return every finding, in the order they were found */
  public List<Finding> findings() {
    return findings;
  }

  /**
   * The findings of one type.
   *
   * @param type the type
   * @return the findings of that type, possibly none
   */
  public List<Finding> findings(FindingType type) {
    Objects.requireNonNull(type, "type");
    return findings.stream().filter(finding -> finding.type() == type).toList();
  }

  /** @return the qualified names of the tenant tables (H2: tenant schemas) that were checked */
  public List<String> tenantTables() {
    return tenantTables;
  }

  /**
   * Fails unless the report is clean; meant for the user's own test suite.
   *
   * @throws IsolationViolationException listing every finding, if there is any
   */
  public void assertClean() {
    if (!isClean()) {
      throw new IsolationViolationException(this);
    }
  }

  /** @return a multi-line summary: what was checked, then one numbered line per finding */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("Isolation report: ");
    text.append(findings.isEmpty() ? "clean" : findings.size() + (findings.size() == 1 ? " finding" : " findings"))
        .append(" (checked ").append(tenantTables.size()).append(": ").append(String.join(", ", tenantTables))
        .append(')');
    for (int i = 0; i < findings.size(); i++) {
      text.append(System.lineSeparator()).append("  ").append(i + 1).append(". ").append(findings.get(i));
    }
    return text.toString();
  }
}
