package dev.tenancy.benchmarks.load;

/** Scenario stub; filled in by the following commits. */
final class TwoInstancesScenario {

  private final LoadScenarios.Options options;

  TwoInstancesScenario(LoadScenarios.Options options) {
    this.options = options;
  }

  void run(Summary summary) throws Exception {
    summary.info("not implemented yet (" + options.scenario() + ")", 0, "flag");
  }
}
