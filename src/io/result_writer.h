// Writes a cohort's results to a directory: timeseries.csv and summary.json.
// Files are written to a temporary sibling directory and moved into place only
// when the whole run has succeeded, so a failed run leaves nothing half-written.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "icsim/record.h"
#include "trial/scenario.h"

namespace icsim {

class DirectoryWriter final : public ResultSink {
 public:
  DirectoryWriter(std::string dir, const Scenario& s);
  ~DirectoryWriter() override;  // removes the temporary directory unless committed

  void begin(const CohortInfo& info) override;
  void patient(const PatientRecord& r) override;
  void end() override;
  // Moves the finished files into the output directory.
  void commit();

  long failed() const { return failed_; }
  // The cohort statistics (CohortInfo::statistics, e.g. cycle-1 exposure) as
  // printable lines: one patient's values, or "median [5th-95th percentile]".
  std::string statistics_summary() const;

 private:
  std::filesystem::path dir_, tmp_;
  const Scenario& scenario_;
  CohortInfo info_;
  std::FILE* csv_ = nullptr;
  std::FILE* json_ = nullptr;
  long written_ = 0, failed_ = 0;
  std::vector<std::vector<std::vector<double>>> stats_;  // per statistic, per item: the patients' values
  bool committed_ = false;
};

}  // namespace icsim
