// Observers record what a run produces (OpenMM's reporters): the loop of
// src/trial/simulate_patient.cc tells them where the patient is, they ask for the
// stops they need and write their own tables into the patient's record. The loop
// does not know what they compute.
#pragma once

#include <limits>
#include <memory>
#include <vector>

#include "icsim/record.h"
#include "trial/patient_view.h"

namespace icsim {

// What happened at a stop: the doses given there (after rules) and whether a dose
// due there was held.
struct StopEvents {
  const std::vector<DoseEvent>* given = nullptr;
  bool held = false;
};

class Observer {
 public:
  virtual ~Observer() = default;
  // Once per cohort: declares its tables and statistics. `table_index` is where its
  // first table will be in every record.
  virtual void describe(CohortInfo& /*info*/) {}
  // Before a patient's solve (again if the solve restarts with another integrator);
  // r.tables has a slot for every table the observers declared.
  virtual void begin(const PatientView& /*v*/, PatientRecord& /*r*/) {}
  // At a stop, before anything happens there: the left limit of the state.
  virtual void before_events(const PatientView& /*v*/) {}
  // At a stop, after infusions ended, rules ran and doses were given.
  virtual void after_events(const PatientView& /*v*/, const StopEvents& /*e*/) {}
  // A time after t at which the integration must stop for this observer.
  virtual double next_stop(double /*t*/) const { return std::numeric_limits<double>::infinity(); }
  // At a stop, once the next stop (segment_end) is known; last: the run ends here.
  virtual void at_stop(const PatientView& /*v*/, double /*segment_end*/, bool /*last*/) {}
  virtual void after_step(const StepView& /*v*/) {}
  virtual void end(const PatientView& /*v*/, PatientRecord& /*r*/) {}
};

// An observer that fills one table of the record: declares it once per cohort and
// starts it empty for each patient.
class TableObserver : public Observer {
 protected:
  void declare_table(CohortInfo& info, TableSchema schema) {
    schema_ = std::make_shared<const TableSchema>(std::move(schema));
    index_ = info.tables.size();
    info.tables.push_back(schema_);
  }
  // The patient's table, empty; valid until the record's tables are resized.
  Table& start_table(PatientRecord& r) {
    r.tables[index_] = Table(schema_);
    return r.tables[index_];
  }
  size_t table_index() const { return index_; }

 private:
  std::shared_ptr<const TableSchema> schema_;
  size_t index_ = 0;
};

// The observers every run has, in the order they are called: the output grid, the
// exposure per dosing interval of the analyte column, the terminal half-life.
std::vector<std::unique_ptr<Observer>> standard_observers(const Model& model, double molecular_weight,
                                                          const std::vector<double>& output_times);

}  // namespace icsim
