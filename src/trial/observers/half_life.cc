// The terminal half-life of a linear disposition at the start and at the end of the
// simulation (the function the disposition provides; NaN for nonlinear models).
#include <limits>

#include "trial/observers/observers.h"

namespace icsim {

namespace {

class HalfLife final : public Observer {
 public:
  explicit HalfLife(const Model& m) : f_(m.function("terminal_half_life_day")) {}
  void describe(CohortInfo& info) override {
    auto schema = std::make_shared<TableSchema>();
    schema->name = "terminal_half_life_day";
    schema->columns = {"initial", "final"};
    schema->single_row = true;
    schema_ = schema;
    index_ = info.tables.size();
    info.tables.push_back(schema);
  }
  void begin(const PatientView&, PatientRecord& r) override {
    r.tables[index_] = Table(schema_);
  }
  void end(const PatientView& v, PatientRecord& r) override {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double row[2] = {f_ ? (*f_)(v.params(), 0.0) : nan, f_ ? (*f_)(v.params(), v.until()) : nan};
    r.tables[index_].add_row(row);
  }

 private:
  const ParamFunction* f_;
  std::shared_ptr<const TableSchema> schema_;
  size_t index_ = 0;
};

}  // namespace

std::unique_ptr<Observer> make_half_life(const Model& m) { return std::make_unique<HalfLife>(m); }

}  // namespace icsim
