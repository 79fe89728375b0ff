package dev.tenancy.benchmarks.load;

/** Scenario stub; filled in by the following commits. */
final class NoisyScenario {

  private final LoadScenarios.Options options;

  NoisyScenario(LoadScenarios.Options options) {
    this.options = options;
  }

  void run(Summary summary) throws Exception {
    summary.info("not implemented yet (" + options.scenario() + ")", 0, "flag");
  }
}
