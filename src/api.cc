#include "icsim/icsim.h"

#include "io/result_writer.h"
#include "io/scenario_reader.h"
#include "trial/cohort.h"

namespace icsim {

namespace {

// Reports failed patients as they are delivered, then passes them on.
class FailureReporter final : public ResultSink {
 public:
  FailureReporter(ResultSink& inner, const RunOptions& o) : inner_(inner), o_(o) {}
  void begin(const CohortInfo& i) override { inner_.begin(i); }
  void patient(const PatientResult& r) override {
    if (!r.ok && o_.on_failure) o_.on_failure(r.index, r.error_time_day, r.error);
    inner_.patient(r);
  }
  void end() override { inner_.end(); }

 private:
  ResultSink& inner_;
  const RunOptions& o_;
};

}  // namespace

RunSummary simulate_to_directory(const std::string& scenario, const std::string& dir,
                                 const std::vector<std::string>& sets, const RunOptions& options) {
  const Scenario s = load_scenario(scenario, sets);
  DirectoryWriter writer(dir, s);
  FailureReporter reporter(writer, options);
  CohortOptions o;
  o.threads = options.threads;
  const CohortSummary sum = run_cohort(s, o, reporter);
  writer.commit();
  RunSummary out;
  out.scenario = s.name;
  out.agent = s.agent.id;
  out.patients = sum.patients;
  out.failed = sum.failed;
  out.seconds = sum.seconds;
  out.first_interval = writer.first_interval_summary();
  return out;
}

}  // namespace icsim
