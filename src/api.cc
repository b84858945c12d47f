// The public API (include/icsim/icsim.h) over the library's internals.
#include "icsim/icsim.h"

#include "io/agent_reader.h"
#include "io/result_writer.h"
#include "radiation/dosimetry_run.h"
#include "io/scenario_reader.h"
#include "trial/cohort.h"

#ifndef ICSIM_VERSION
#define ICSIM_VERSION "unknown"
#endif

namespace icsim {

namespace {

class CollectingSink final : public ResultSink {
 public:
  explicit CollectingSink(CohortResult& out) : out_(out) {}
  void begin(const CohortInfo& i) override { out_.info = i; }
  void patient(const PatientRecord& r) override { out_.patients.push_back(r); }
  void end() override {}

 private:
  CohortResult& out_;
};

}  // namespace

LoadedScenario LoadedScenario::from_file(const std::string& path, const std::vector<std::string>& sets) {
  return LoadedScenario(std::make_shared<const Scenario>(load_scenario(path, sets)));
}

LoadedScenario LoadedScenario::from_text(const std::string& text, const std::string& path,
                                         const std::vector<std::string>& sets) {
  return LoadedScenario(std::make_shared<const Scenario>(load_scenario_text(text, path, sets)));
}

const std::string& LoadedScenario::name() const { return s_->name; }
const std::string& LoadedScenario::agent_id() const { return s_->agent.id; }
long LoadedScenario::patients() const { return s_->simulation.patients; }

CohortSummary run(const LoadedScenario& s, ResultSink& sink, const RunOptions& options) {
  return run_cohort(s.scenario(), options, sink);
}

CohortResult run_in_memory(const LoadedScenario& s, const RunOptions& options) {
  CohortResult out;
  CollectingSink sink(out);
  out.summary = run_cohort(s.scenario(), options, sink);
  return out;
}

namespace {

// What a run into a directory reports.
RunSummary summarise(const Scenario& s, const CohortSummary& sum, const DirectoryWriter& writer) {
  RunSummary out;
  out.scenario = s.name;
  out.agent = s.agent.id;
  out.patients = sum.patients;
  out.failed = sum.failed;
  out.seconds = sum.seconds;
  out.statistics = writer.statistics_summary();
  out.files = writer.files();
  return out;
}

}  // namespace

RunSummary simulate_to_directory(const std::string& scenario, const std::string& dir,
                                 const std::vector<std::string>& sets, const RunOptions& options) {
  const Scenario s = load_scenario(scenario, sets);
  DirectoryWriter writer(dir, s, options.outputs);
  const CohortSummary sum = run_cohort(s, options, writer);
  writer.commit();
  return summarise(s, sum, writer);
}

RunSummary dosimetry_to_directory(const std::string& scenario, const std::string& dir,
                                  const std::vector<std::string>& sets, const RunOptions& options) {
  const Scenario s = load_scenario(scenario, sets);
  DirectoryWriter writer(dir, s, options.outputs);
  DosimetrySink dosimetry(s, writer);
  RunOptions o = options;
  o.keep_series = true;  // the activities at every output time
  const CohortSummary sum = run_cohort(s, o, dosimetry);
  writer.commit();
  RunSummary out = summarise(s, sum, writer);
  out.statistics += dosimetry.table();
  return out;
}

std::vector<AgentInfo> library_agents() {
  std::vector<AgentInfo> out;
  for (const auto& id : library_agent_ids()) {
    try {
      const AgentSpec a = read_agent_file(data_directory() + "/agents/" + id + ".yaml");
      out.push_back({id, a.name, a.target_name, a.agent_class, ""});
    } catch (const InputError& e) {  // one broken file does not hide the others
      out.push_back({id, "", "", "", e.what()});
    }
  }
  return out;
}

const char* version() { return ICSIM_VERSION; }

}  // namespace icsim
