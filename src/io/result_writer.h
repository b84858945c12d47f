// Writes a cohort's results to a directory:
//   timeseries.csv  one row per patient and output time
//   patients.csv    one row per patient: status, solver work, parameters, random
//                   effects and every single-row table (terminal half-life)
//   TABLE.csv       one row per patient and row of each other table (intervals.csv)
//   summary.json    what was run, and the cohort's statistics and counts
//   scenario.yaml   the scenario as run, agent written out in full: re-running it
//                   gives byte-identical results (src/io/scenario_writer.h)
// Text is encoded in the worker threads (ResultSink::encode) and written in patient
// order. Files are written to a temporary sibling directory (.NAME.tmp-PID-RANDOM),
// which replaces DIR as a whole only when the whole run has succeeded, so a failed
// or interrupted run leaves DIR as it was and nothing half-written.
#pragma once

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "icsim/record.h"
#include "trial/scenario.h"

namespace icsim {

// A run whose files are estimated above this (bytes) is refused before simulating.
inline constexpr double kMaxOutputBytes = 20e9;

class DirectoryWriter final : public ResultSink {
 public:
  // `outputs` names the files to write ("timeseries", "patients", a table's name such
  // as "intervals"); empty: all. summary.json is always written. Throws InputError,
  // before anything is simulated, when DIR cannot be used: it is a file, it holds
  // files icsim did not write (a run replaces DIR as a whole), it is the current
  // directory, or its parent cannot be written. Removes the temporaries that killed
  // runs into DIR left beside it.
  DirectoryWriter(std::string dir, const Scenario& s, std::vector<std::string> outputs = {});
  ~DirectoryWriter() override;  // removes the temporary directory unless committed

  // Throws InputError when the files would exceed kMaxOutputBytes.
  void begin(const CohortInfo& info) override;
  void patient(const PatientRecord& r) override;
  void end() override;
  bool encodes() const override { return true; }
  void encode(const PatientRecord& r, std::vector<std::string>& out) const override;
  void deliver(const PatientRecord& r, const std::vector<std::string>& encoded) override;
  // Writes a further file into the run's directory (before end(), so that summary.json
  // lists it); it is moved into place with the rest by commit().
  void add_file(const std::string& name, const std::string& text);
  // Puts the finished directory in place of DIR (see commit() for what a crash leaves).
  void commit();

  long failed() const { return failed_; }
  // The cohort statistics (CohortInfo::statistics with a title, e.g. cycle-1
  // exposure) and warnings as printable lines.
  std::string statistics_summary() const;
  // The files written (or to be written), by name.
  std::vector<std::string> files() const;

 private:
  struct File {
    std::string name;  // e.g. "intervals.csv"
    std::FILE* f = nullptr;
    int table = -1;  // index in CohortInfo::tables, for a table file
  };
  bool wanted(const std::string& what) const;
  void tally(const PatientRecord& r);
  std::string shown_;  // DIR as the user wrote it, for messages
  std::filesystem::path dir_, tmp_;
  const Scenario& scenario_;
  std::vector<std::string> outputs_;
  CohortInfo info_;
  std::vector<std::string> times_text_;  // the output times as written
  std::vector<File> files_;  // timeseries, patients, then table files (those wanted)
  std::vector<std::string> extra_files_;  // add_file()
  int timeseries_ = -1, patients_ = -1;
  long written_ = 0, failed_ = 0, fallbacks_ = 0;
  std::map<std::string, long> solvers_;
  std::vector<double> work_[4];  // steps, rejected steps, RHS and Jacobian evaluations per patient
  std::string covariates_text_;  // the same for every patient of a cohort
  // Per statistic, per row, per item: the patients' values.
  std::vector<std::vector<std::vector<std::vector<double>>>> stats_;
  // Per table listed in the summary (TableSchema::in_summary): patient index, then
  // the row, for the first patients; and per categorical column the count per level.
  std::vector<std::vector<std::vector<double>>> summary_rows_;
  std::vector<std::vector<std::vector<long>>> level_counts_;
  // Per summary table and time-to-event pair: every patient's time and censoring.
  std::vector<std::vector<std::vector<double>>> event_times_;
  std::vector<std::vector<std::vector<bool>>> event_censored_;
  bool committed_ = false;
};

}  // namespace icsim
