// The terminal half-life of a linear disposition at the start and at the end of the
// simulation (the function the disposition provides; NaN for nonlinear models).
#include <limits>

#include "trial/observers/observers.h"

namespace icsim {

namespace {

class HalfLife final : public TableObserver {
 public:
  explicit HalfLife(const Model& m) : f_(m.function("terminal_half_life_day")) {}
  void describe(CohortInfo& info) override {
    declare_table(info, {"terminal_half_life_day", {"initial", "final"}, true, "row", {}, false, "", {}});
  }
  void begin(const PatientView&, PatientRecord& r) override {
    start_table(r);
  }
  void end(const PatientView& v, PatientRecord& r) override {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double row[2] = {f_ ? (*f_)(v.params(), 0.0) : nan, f_ ? (*f_)(v.params(), v.until()) : nan};
    r.tables[table_index()].add_row(row);
  }

 private:
  const ParamFunction* f_;
};

}  // namespace

std::unique_ptr<Observer> make_half_life(const Model& m) { return std::make_unique<HalfLife>(m); }

}  // namespace icsim
