// Helpers shared by the tests: scenarios from text, results collected in memory.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "icsim/error.h"
#include "icsim/record.h"
#include "io/scenario_reader.h"
#include "trial/cohort.h"

namespace icsim::test {

inline std::string test_data(const std::string& rel) { return std::string(ICSIM_TEST_DATA_DIR) + "/" + rel; }

// Where temp_dir(name) puts its files (without creating or clearing it).
inline std::filesystem::path temp_dir_path(const std::string& name) {
  return std::filesystem::temp_directory_path() / ("icsim-test-" + std::to_string(::getpid()) + "-" + name);
}

// A fresh directory for one test's files, removed when the test program ends.
inline std::filesystem::path temp_dir(const std::string& name) {
  struct Cleanup {
    std::vector<std::filesystem::path> dirs;
    ~Cleanup() {
      std::error_code ec;
      for (const auto& d : dirs) std::filesystem::remove_all(d, ec);
    }
  };
  static Cleanup cleanup;
  auto dir = temp_dir_path(name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  cleanup.dirs.push_back(dir);
  return dir;
}

inline std::string write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
  return path.string();
}

class CollectingSink final : public ResultSink {
 public:
  void begin(const CohortInfo& i) override { info = i; }
  void patient(const PatientRecord& r) override { patients.push_back(r); }
  void end() override {}
  CohortInfo info;
  std::vector<PatientRecord> patients;

  int column(const std::string& name) const {
    for (size_t i = 0; i < info.columns.size(); ++i)
      if (info.columns[i] == name) return static_cast<int>(i);
    return -1;
  }
  // Value of a column at output row `row` for patient `p`.
  double at(size_t p, size_t row, const std::string& name) const {
    const size_t cols = info.columns.size() + (info.observed ? 1 : 0);
    return patients[p].series[row * cols + column(name)];
  }
};

// Loads a scenario written in `text` (agent files given relative to the test data).
inline Scenario scenario_from_text(const std::string& name, const std::string& text,
                                   const std::vector<std::string>& sets = {}) {
  auto dir = temp_dir(name);
  return load_scenario(write_file(dir / "scenario.yaml", text), sets);
}

// The message of the input error a scenario written in `text` gives, or "" when it loads.
inline std::string error_of(const std::string& name, const std::string& text,
                            const std::vector<std::string>& sets = {}) {
  try {
    scenario_from_text(name, text, sets);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// `s` with the first `from` replaced by `to`.
inline std::string replace(std::string s, const std::string& from, const std::string& to) {
  s.replace(s.find(from), from.size(), to);
  return s;
}

inline CollectingSink run(const Scenario& s, int threads = 1) {
  CollectingSink sink;
  RunOptions o;
  o.threads = threads;
  run_cohort(s, o, sink);
  return sink;
}

// The exposure observer's "intervals" table of a record, as structs.
struct Interval {
  double start_day, end_day, dose_mg, cmax, tmax_day, ctrough, auc, cavg;
};
inline std::vector<Interval> intervals(const PatientRecord& r) {
  std::vector<Interval> out;
  const Table& t = r.table("intervals");
  for (size_t i = 0; i < t.rows(); ++i)
    out.push_back({t.at(i, "start_day"), t.at(i, "end_day"), t.at(i, "dose_mg"), t.at(i, "cmax_ug_per_mL"),
                   t.at(i, "tmax_day"), t.at(i, "ctrough_ug_per_mL"), t.at(i, "auc_ug_day_per_mL"),
                   t.at(i, "cavg_ug_per_mL")});
  return out;
}
inline double half_life(const PatientRecord& r, const char* which) {
  return r.table("terminal_half_life_day").at(0, which);
}

}  // namespace icsim::test
