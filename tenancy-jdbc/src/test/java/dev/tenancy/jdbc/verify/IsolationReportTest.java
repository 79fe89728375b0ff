package dev.tenancy.jdbc.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tenancy.core.TenancyException;
import java.util.List;
import org.junit.jupiter.api.Test;

class IsolationReportTest {

  private static final Finding DISABLED = new Finding(FindingType.RLS_DISABLED, "public.leads",
      "Row-level security is disabled on public.leads; run ALTER TABLE ... ENABLE ROW LEVEL SECURITY.");
  private static final Finding VIEW = new Finding(FindingType.VIEW_BYPASSES_RLS, "public.lead_names",
      "View public.lead_names reads public.leads with its owner's rights.");

  @Test
  void assertClean_withFindings_throwsTenancyExceptionListingEachNumbered() {
    IsolationReport report = new IsolationReport(List.of("public.leads"), List.of(DISABLED, VIEW));

    assertThatThrownBy(report::assertClean)
        .isInstanceOf(IsolationViolationException.class)
        .isInstanceOf(TenancyException.class)
        .hasMessage("Isolation report: 2 findings (checked 1: public.leads)" + System.lineSeparator()
            + "  1. " + DISABLED + System.lineSeparator() + "  2. " + VIEW)
        .satisfies(e -> assertThat(((IsolationViolationException) e).findings()).containsExactly(DISABLED, VIEW));
  }

  @Test
  void assertClean_noFindings_passes() {
    IsolationReport report = new IsolationReport(List.of("public.leads"), List.of());

    assertThatCode(report::assertClean).doesNotThrowAnyException();
    assertThat(report.isClean()).isTrue();
    assertThat(report).hasToString("Isolation report: clean (checked 1: public.leads)");
  }

  @Test
  void findings_byType_filters() {
    IsolationReport report = new IsolationReport(List.of("public.leads"), List.of(DISABLED, VIEW));

    assertThat(report.findings(FindingType.VIEW_BYPASSES_RLS)).containsExactly(VIEW);
    assertThat(report.findings(FindingType.SEQUENCE_KEY)).isEmpty();
  }

  @Test
  void finding_toString_typeObjectMessage() {
    assertThat(DISABLED.toString()).startsWith("RLS_DISABLED public.leads: Row-level security is disabled");
    assertThatThrownBy(() -> new Finding(FindingType.RLS_DISABLED, " ", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
