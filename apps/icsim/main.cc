// icsim command line: parses flags and calls the library.
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "icsim/error.h"
#include "io/agent_reader.h"
#include "io/result_writer.h"
#include "io/scenario_reader.h"
#include "trial/cohort.h"

namespace {

class Progress final : public icsim::ResultSink {
 public:
  Progress(icsim::ResultSink& inner) : inner_(inner) {}
  void begin(const icsim::CohortInfo& i) override { inner_.begin(i); }
  void patient(const icsim::PatientResult& r) override {
    if (!r.ok)
      fmt::print(stderr, "icsim: patient {} failed at t = {:.6g} day: {}\n", r.index, r.error_time_day, r.error);
    inner_.patient(r);
  }
  void end() override { inner_.end(); }

 private:
  icsim::ResultSink& inner_;
};

int simulate(const std::string& scenario_path, const std::string& out_dir, const std::vector<std::string>& sets,
             int threads) {
  const icsim::Scenario s = icsim::load_scenario(scenario_path, sets);
  icsim::DirectoryWriter writer(out_dir, s);
  Progress progress(writer);
  icsim::CohortOptions o;
  o.threads = threads;
  const icsim::CohortSummary sum = icsim::run_cohort(s, o, progress);
  writer.commit();
  fmt::print("{}: {} with {} patient(s), {} failed, {:.3f} s\n", s.name, s.agent.id, sum.patients, sum.failed,
             sum.seconds);
  fmt::print("{}", writer.first_interval_summary());
  fmt::print("results: {}/timeseries.csv, {}/summary.json\n", out_dir, out_dir);
  return sum.failed == sum.patients ? 1 : 0;
}

}  // namespace

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
      for (const auto& id : icsim::library_agent_ids()) fmt::print("{}\n", id);
      return 0;
    }
    return simulate(scenario, out, sets, threads);
  } catch (const icsim::InputError& e) {
    fmt::print(stderr, "icsim: error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "icsim: internal error: {}\n", e.what());
    return 3;
  }
}
