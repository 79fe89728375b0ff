package dev.tenancy.benchmarks.load;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Entry point of the HTTP load scenarios of issue 12:
 * {@code LoadScenarios <crud|noisy|two-instances> [--quick] [--out DIR] [--db h2|pg]}. Prints the scenario's tables
 * and writes {@code DIR/<scenario>-summary.csv} ({@code metric,value,unit,target,verdict}) plus per-tenant CSV and an
 * SVG plot; exits 0 even when a target is missed (the caller, {@code benchmarks/run-all}, decides), 2 on bad usage
 * and 1 when the scenario could not run at all.
 */
public final class LoadScenarios {

  private static final String USAGE = "usage: LoadScenarios <crud|noisy|two-instances> [--quick] [--out DIR] "
      + "[--db h2|pg] [--tenants N] [--seconds S] [--rate R] [--in-process]";

  private LoadScenarios() {
  }

  /**
   * Runs one scenario.
   *
   * @param args the scenario name and flags, see the class comment
   * @throws Exception never on a missed target; only if writing the results fails
   */
  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    Summary summary = new Summary(options.scenario());
    try {
      switch (options.scenario()) {
        case "crud" -> new CrudScenario(options).run(summary);
        case "noisy" -> new NoisyScenario(options).run(summary);
        case "two-instances" -> new TwoInstancesScenario(options).run(summary);
        default -> throw new IllegalStateException(options.scenario());
      }
    } catch (ScenarioUnavailableException e) {
      // A missing service is not a regression: say so in the summary, which run-all shows.
      System.out.println("SKIPPED: " + e.getMessage());
      summary.info("skipped (" + e.getMessage().replace(',', ';') + ")", 1, "flag");
    } catch (Exception e) {
      // The scenario could not run (the app did not start, provisioning failed): a FAIL row, and exit code 1.
      e.printStackTrace();
      summary.exactly("scenario ran to the end", 0, "flag", 1);
      finish(summary, options);
      System.exit(1);
    }
    finish(summary, options);
    // HttpClient and pools may keep non-daemon threads; the run is over.
    System.exit(0);
  }

  private static void finish(Summary summary, Options options) throws java.io.IOException {
    summary.print(System.out);
    Path file = summary.write(options.out());
    System.out.println("summary written to " + file.toAbsolutePath());
    System.out.flush();
  }

  /** Parsed command line. */
  record Options(String scenario, boolean quick, Path out, String db, int tenants, int seconds, double rate,
      boolean inProcess) {

    static Options parse(String[] args) {
      if (args.length == 0) {
        throw new IllegalArgumentException("no scenario given");
      }
      String scenario = args[0].toLowerCase(Locale.ROOT);
      if (!List.of("crud", "noisy", "two-instances").contains(scenario)) {
        throw new IllegalArgumentException("unknown scenario '" + args[0] + "'");
      }
      boolean quick = false;
      Path out = Path.of("target", "load");
      String db = "h2";
      int tenants = 0;
      int seconds = 0;
      double rate = 0;
      boolean inProcess = false;
      for (int i = 1; i < args.length; i++) {
        String arg = args[i];
        switch (arg) {
          case "--quick" -> quick = true;
          case "--in-process" -> inProcess = true;
          case "--out" -> out = Path.of(value(args, ++i, arg));
          case "--db" -> {
            db = value(args, ++i, arg);
            if (!db.equals("h2") && !db.equals("pg")) {
              throw new IllegalArgumentException("--db must be h2 or pg");
            }
          }
          case "--tenants" -> tenants = Integer.parseInt(value(args, ++i, arg));
          case "--seconds" -> seconds = Integer.parseInt(value(args, ++i, arg));
          case "--rate" -> rate = Double.parseDouble(value(args, ++i, arg));
          default -> throw new IllegalArgumentException("unknown flag '" + arg + "'");
        }
      }
      if (inProcess && (db.equals("pg") || scenario.equals("two-instances"))) {
        // The app keeps ./data (secrets, backups) in its working directory unless it runs on H2 in memory.
        throw new IllegalArgumentException("--in-process only with H2 (crud, noisy)");
      }
      return new Options(scenario, quick, out, db, tenants, seconds, rate, inProcess);
    }

    private static String value(String[] args, int i, String flag) {
      if (i >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      return args[i];
    }

    /** @return the flag's value if given, else the quick or full default */
    int tenantsOr(int quickDefault, int fullDefault) {
      return tenants > 0 ? tenants : quick ? quickDefault : fullDefault;
    }

    /** @return the flag's value if given, else the quick or full default */
    int secondsOr(int quickDefault, int fullDefault) {
      return seconds > 0 ? seconds : quick ? quickDefault : fullDefault;
    }

    /** @return the flag's value if given, else the default */
    double rateOr(double fallback) {
      return rate > 0 ? rate : fallback;
    }
  }

  /** A service the scenario needs (PostgreSQL, Redis) is not there: reported, not failed. */
  static final class ScenarioUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    ScenarioUnavailableException(String message) {
      super(message);
    }
  }
}
