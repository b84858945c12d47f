// Helpers shared by the tests: scenarios from text, results collected in memory.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

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
  void patient(const PatientResult& r) override { patients.push_back(r); }
  void end() override {}
  CohortInfo info;
  std::vector<PatientResult> patients;

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

inline CollectingSink run(const Scenario& s, int threads = 1) {
  CollectingSink sink;
  CohortOptions o;
  o.threads = threads;
  run_cohort(s, o, sink);
  return sink;
}

}  // namespace icsim::test
