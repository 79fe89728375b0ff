package dev.tenancy.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Keeps the README's quick start working: the tour runs and shows isolation, propagation and suspension. */
class QuickStartTest {

  @Test
  void main_runsTheTour_eachTenantSeesItselfOnThePool() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      QuickStart.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    String output = captured.toString(StandardCharsets.UTF_8);
    assertThat(output)
        .contains("acme-realty   tier=pro   leadScoring=true  cached=\"Welcome to Acme Realty\" pool-thread-saw=acme-realty")
        .contains("globex-homes  tier=free  leadScoring=false cached=\"Welcome to Globex Homes\" pool-thread-saw=globex-homes")
        .contains("NoTenantException")
        .contains("globex-homes is now SUSPENDED (serving: false)")
        .endsWith("Done." + System.lineSeparator());
  }
}
