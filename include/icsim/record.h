// What a run produces: one record per virtual patient, written by the observers of
// the run (output grid, exposure per dosing interval, terminal half-life; later IMWG
// assessments, toxicity grades, absorbed dose), and what describes the cohort's
// records. Writers and user code read records without knowing what filled them.
// Units are in the column names (e.g. "cmax_ug_per_mL"); times are in days.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace icsim {

// A table an observer fills for each patient; its name and columns are shared by
// every patient of the cohort.
struct TableSchema {
  std::string name;                  // e.g. "intervals": written to intervals.csv
  std::vector<std::string> columns;  // with units, e.g. "cmax_ug_per_mL"
  bool single_row = false;           // one row per patient: columns of patients.csv
  std::string row_label = "row";     // the column numbering rows from 0, e.g. "interval"
  // Categorical columns: levels[k], when not empty, names column k's values 0, 1, ...
  // (best first, e.g. "sCR" ... "PD"); writers print the name.
  std::vector<std::vector<std::string>> levels;
  // A single-row table listed per patient in summary.json, with the counts of its
  // categorical columns; `headline` (a level) adds "<level> or better" to the counts.
  bool in_summary = false;
  std::string headline;
  // Time-to-event columns of a summary table: (time, censored flag) pairs, each
  // summarised over the cohort by its Kaplan-Meier median in summary.json.
  std::vector<std::pair<std::string, std::string>> time_to_event;
  // The level name of value v in column k, or nullptr when the column is not
  // categorical or v is not a level.
  const char* level(size_t k, double v) const {
    if (k >= levels.size() || levels[k].empty() || !(v >= 0) || v >= static_cast<double>(levels[k].size()))
      return nullptr;
    return levels[k][static_cast<size_t>(v)].c_str();
  }
};

class Table {
 public:
  Table() = default;
  explicit Table(std::shared_ptr<const TableSchema> schema) : schema_(std::move(schema)) {}
  const TableSchema& schema() const { return *schema_; }
  size_t rows() const { return schema_->columns.empty() ? 0 : values_.size() / schema_->columns.size(); }
  // Index of a column, or -1.
  int column(std::string_view name) const;
  // The value in `row` of `column`; throws std::out_of_range for an unknown column or row.
  double at(size_t row, std::string_view column) const;
  const std::vector<double>& values() const { return values_; }  // rows x columns, row-major
  void clear() { values_.clear(); }
  // Appends a row; `row` has one value per column.
  void add_row(const double* row) { values_.insert(values_.end(), row, row + schema_->columns.size()); }

 private:
  std::shared_ptr<const TableSchema> schema_;
  std::vector<double> values_;
};

struct PatientRecord {
  long index = 0;  // 0-based; its random stream is (seed, index)
  bool ok = true;
  std::string error;  // why the patient failed, when !ok
  double error_time_day = 0;
  std::vector<double> params;  // individual parameters, engine units (CohortInfo::parameters)
  std::vector<double> eta;     // random effects (CohortInfo::random_effects)
  // Output grid: CohortInfo::times x CohortInfo::columns (then the observed column,
  // when CohortInfo::observed), row-major.
  std::vector<double> series;
  std::vector<Table> tables;  // in CohortInfo::tables order
  const char* solver = "";    // the integrator that solved this patient
  // The automatic choice started with the explicit method, which found the problem
  // stiff (or ran over its step budget), and BDF solved the patient.
  bool solver_fallback = false;
  // The integrators' work on this patient (including an explicit attempt handed to BDF).
  long rhs_evaluations = 0, steps = 0, rejected_steps = 0, jacobian_evaluations = 0;

  // The table named `name`; throws std::out_of_range when there is none.
  const Table& table(std::string_view name) const;
};

// Median and 5th-95th percentile over the cohort of some columns of one row of a
// table (e.g. the first dosing interval's Cmax, Cavg and Ctrough), or of every row.
struct CohortStatistic {
  static constexpr size_t kEveryRow = static_cast<size_t>(-1);
  std::string key;    // in summary.json
  std::string title;  // on the terminal; empty: not printed
  std::string table;
  size_t row = 0;     // or kEveryRow: one statistic per row index
  struct Item {
    std::string label, column, unit;
  };
  std::vector<Item> items;
};

struct CohortInfo {
  std::vector<std::string> columns;  // output columns after patient and time_day
  std::vector<double> times;         // output grid, day
  std::vector<std::string> parameters;
  std::vector<std::string> random_effects;
  std::string solver;  // the integrator for the typical patient (each patient's is in its record)
  bool observed = false;  // a residual-error column follows the outputs
  std::string observed_column;
  std::vector<std::shared_ptr<const TableSchema>> tables;
  std::vector<CohortStatistic> statistics;
  long doses_planned = 0, doses_after_until = 0;  // the regimen's, for the typical patient
  // The patients' covariates (given, derived, then the agent's references), as text.
  std::vector<std::pair<std::string, std::string>> covariates;
  std::vector<std::string> warnings;  // what the user should know about the run
};

// Receives a cohort's records in patient order, chunk by chunk.
class ResultSink {
 public:
  virtual ~ResultSink() = default;
  virtual void begin(const CohortInfo& info) = 0;
  virtual void patient(const PatientRecord& r) = 0;
  virtual void end() = 0;

  // Optional, for sinks that turn records into bytes: encode() runs in the worker
  // threads right after each patient, in any order and concurrently, so it may only
  // read the sink; its text reaches deliver() with the record, in patient order.
  virtual bool encodes() const { return false; }
  virtual void encode(const PatientRecord& /*r*/, std::vector<std::string>& /*out*/) const {}
  virtual void deliver(const PatientRecord& r, const std::vector<std::string>& /*encoded*/) { patient(r); }
};

inline int Table::column(std::string_view name) const {
  for (size_t i = 0; i < schema_->columns.size(); ++i)
    if (schema_->columns[i] == name) return static_cast<int>(i);
  return -1;
}

inline double Table::at(size_t row, std::string_view name) const {
  const int c = column(name);
  if (c < 0 || row >= rows()) throw std::out_of_range("table '" + schema_->name + "' has no " + std::string(name) +
                                                      " in row " + std::to_string(row));
  return values_[row * schema_->columns.size() + c];
}

inline const Table& PatientRecord::table(std::string_view name) const {
  for (const Table& t : tables)
    if (t.schema().name == name) return t;
  throw std::out_of_range("no table '" + std::string(name) + "' in the record");
}

}  // namespace icsim
