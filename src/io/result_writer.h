// Writes a cohort's results to a directory: timeseries.csv and summary.json.
// Files are written to a temporary sibling directory and moved into place only
// when the whole run has succeeded, so a failed run leaves nothing half-written.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "trial/cohort.h"

namespace icsim {

class DirectoryWriter final : public ResultSink {
 public:
  DirectoryWriter(std::string dir, const Scenario& s);
  ~DirectoryWriter() override;  // removes the temporary directory unless committed

  void begin(const CohortInfo& info) override;
  void patient(const PatientResult& r) override;
  void end() override;
  // Moves the finished files into the output directory.
  void commit();

  long failed() const { return failed_; }
  // Cycle-1 exposure across the cohort: "median [5th-95th percentile]" lines.
  std::string first_interval_summary() const;

 private:
  std::filesystem::path dir_, tmp_;
  const Scenario& scenario_;
  CohortInfo info_;
  std::FILE* csv_ = nullptr;
  std::FILE* json_ = nullptr;
  long written_ = 0, failed_ = 0;
  std::vector<double> cmax_, cavg_, ctrough_;  // first interval of each patient
  bool committed_ = false;
};

}  // namespace icsim
