// icsim command line: parses flags and calls the library.
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "icsim/icsim.h"

int main(int argc, char** argv) {
  CLI::App app{"icsim: mechanistic simulation of immunoconjugate therapy in multiple myeloma"};
  app.require_subcommand(1);
  auto* sim = app.add_subcommand("simulate", "simulate a scenario and write its results");
  std::string scenario, out;
  std::vector<std::string> sets;
  int threads = 0;
  sim->add_option("scenario", scenario, "scenario file (YAML)")->required();
  sim->add_option("-o,--output", out, "output directory")->required();
  sim->add_option("--set", sets, "override one scenario key, e.g. --set regimen.dose=\"3.4 mg/kg\"")
      ->take_all()
      ->allow_extra_args(false);
  sim->add_option("--threads", threads, "worker threads (default: all cores)")->check(CLI::NonNegativeNumber);
  auto* agents = app.add_subcommand("agents", "list the agents in the library");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  try {
    if (*agents) {
      for (const auto& a : icsim::library_agents())
        fmt::print("{:<24} {} ({}, {})\n", a.id, a.name, a.antigen, a.agent_class);
      return 0;
    }
    icsim::RunOptions o;
    o.threads = threads;
    o.on_failure = [](long patient, double t, const std::string& why) {
      fmt::print(stderr, "icsim: patient {} failed at t = {:.6g} day: {}\n", patient, t, why);
    };
    const icsim::RunSummary s = icsim::simulate_to_directory(scenario, out, sets, o);
    fmt::print("{}: {} with {} patient(s), {} failed, {:.3f} s\n{}results: {}/timeseries.csv, {}/summary.json\n",
               s.scenario, s.agent, s.patients, s.failed, s.seconds, s.statistics, out, out);
    return s.failed == s.patients ? 1 : 0;
  } catch (const icsim::InputError& e) {
    fmt::print(stderr, "icsim: error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "icsim: internal error: {}\n", e.what());
    return 3;
  }
}
