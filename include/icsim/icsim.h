// The icsim library: load a scenario, simulate its cohort, read the results.
//
//   const icsim::LoadedScenario s = icsim::LoadedScenario::from_file(
//       "scenarios/belantamab-typical.yaml", {"regimen.dose=3.4 mg/kg"});
//   icsim::CohortResult r = icsim::run_in_memory(s);          // every record in memory
//   double auc = r.patients[0].table("intervals").at(0, "auc_ug_day_per_mL");
//
//   icsim::RunSummary sum = icsim::simulate_to_directory(      // or straight to files
//       "scenarios/belantamab-typical.yaml", "results/typical");
//
// Bad input throws icsim::InputError (include/icsim/error.h) before anything runs or
// is written. Engine units are in include/icsim/units.h; result units are in the
// column names (include/icsim/record.h).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "icsim/error.h"
#include "icsim/record.h"

namespace icsim {

struct Scenario;  // the validated scenario (private to the library)

// A scenario read and fully validated: agent, patient, regimen, protocol, settings.
// Cheap to copy (shared, immutable).
class LoadedScenario {
 public:
  // `sets` are "dotted.key=value" overrides applied before validation, as --set.
  static LoadedScenario from_file(const std::string& path, const std::vector<std::string>& sets = {});
  // A scenario written in `text`; `path` names it in errors and is where relative
  // agent files are looked for (it need not exist).
  static LoadedScenario from_text(const std::string& text, const std::string& path = "scenario.yaml",
                                  const std::vector<std::string>& sets = {});

  const std::string& name() const;
  const std::string& agent_id() const;
  long patients() const;
  const Scenario& scenario() const { return *s_; }

 private:
  explicit LoadedScenario(std::shared_ptr<const Scenario> s) : s_(std::move(s)) {}
  std::shared_ptr<const Scenario> s_;
};

struct RunOptions {
  int threads = 0;          // worker threads; 0: all cores. Results do not depend on it.
  long chunk = 256;         // patients held in flight (memory does not grow with the cohort)
  bool keep_series = true;  // fill the output grid (off: exposure tables only)
  // Called for each patient whose simulation failed (patient index, time in days, reason).
  std::function<void(long, double, const std::string&)> on_failure;
  // simulate_to_directory: the files to write ("timeseries", "patients", a table's
  // name such as "intervals"), or not to write ("-timeseries"); empty: all.
  // summary.json and scenario.yaml are always written.
  std::vector<std::string> outputs;
  // When set and it becomes true (e.g. from a signal handler: it is lock-free), no
  // further patient is started and the run throws icsim::Interrupted; a patient being
  // simulated finishes first. simulate_to_directory then writes nothing.
  const std::atomic<bool>* stop = nullptr;
  // True when the options can be used; else `why` says what is wrong.
  bool is_valid(std::string* why) const;
};

struct CohortSummary {
  long patients = 0, failed = 0;
  double seconds = 0;
  std::map<std::string, long> solvers;  // patients solved by each integrator
};

struct CohortResult {
  CohortInfo info;
  std::vector<PatientRecord> patients;
  CohortSummary summary;
};

// Simulates every patient of the scenario into `sink`, in patient order. Throws
// std::invalid_argument for invalid options.
CohortSummary run(const LoadedScenario& s, ResultSink& sink, const RunOptions& options = {});
// The same, with every record kept in memory.
CohortResult run_in_memory(const LoadedScenario& s, const RunOptions& options = {});

struct RunSummary {
  std::string scenario, agent;
  long patients = 0, failed = 0;
  double seconds = 0;
  std::string statistics;  // cohort statistics (e.g. cycle-1 exposure) and warnings, as printable lines
  std::vector<std::string> files;  // written into the directory
};

// Loads and validates SCENARIO with "dotted.key=value" overrides, simulates every
// patient and writes DIR/timeseries.csv and DIR/summary.json (moved into place only
// when complete).
RunSummary simulate_to_directory(const std::string& scenario, const std::string& dir,
                                 const std::vector<std::string>& sets = {}, const RunOptions& options = {});

// As simulate_to_directory, for a labelled agent (radioimmunoconjugate), and then
// organ absorbed doses by the MIRD schema: DIR/dosimetry.json and DIR/dose_rate.csv
// besides the simulation's files (docs/dosimetry.md). `statistics` ends with the dose
// table. Throws InputError when the agent has no label.
RunSummary dosimetry_to_directory(const std::string& scenario, const std::string& dir,
                                  const std::vector<std::string>& sets = {}, const RunOptions& options = {});

struct AgentInfo {
  std::string id, name, antigen, agent_class;
  std::string error;  // not empty: the file could not be read (the message), the rest is empty
};
// The agents of the library ($ICSIM_DATA_DIR/agents, else the source tree's data/agents),
// including those whose file is broken (with `error` set).
std::vector<AgentInfo> library_agents();

// The library's version, e.g. "0.1.0".
const char* version();

}  // namespace icsim
