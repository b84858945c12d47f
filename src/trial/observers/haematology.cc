// Marrow toxicity per patient (radiation/haematology.h): the nadir of the neutrophil
// and of the platelet count, its day and its CTCAE v5 grade, whether that grade is 3
// or worse, the lowest fraction of the marrow's progenitors and the red marrow's dose
// at the end. The counts are read at every step's end and, between, every hour of the
// integrator's dense output, so a nadir is found to within an hour. Without a lower
// limit of normal (the mouse: CTCAE grades patients) the grades are left empty.
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "radiation/haematology.h"
#include "trial/observers/observers.h"

namespace icsim {

namespace {

constexpr double kSampleEveryDay = 1.0 / 24.0;
constexpr double kEps = 1e-9;

std::vector<std::string> grade_levels() { return {"0", "1", "2", "3", "4"}; }
std::vector<std::string> yes_no() { return {"no", "yes"}; }

class HaematologyObserver final : public TableObserver {
 public:
  explicit HaematologyObserver(const Model& m)
      : neutrophils_(m.state(names::kNeutrophilsCirculating)), platelets_(m.state(names::kPlateletsCirculating)),
        progenitors_(m.state(names::kNeutrophilsProliferating)), dose_(m.state(names::kMarrowDose)),
        neutrophil_baseline_(m.find_param("haematology.neutrophils.baseline")),
        neutrophil_lln_(m.find_param("haematology.neutrophils.lower_limit_normal")),
        platelet_lln_(m.find_param("haematology.platelets.lower_limit_normal")), tmp_(m.size()) {
    if (neutrophils_ < 0 || platelets_ < 0 || progenitors_ < 0 || dose_ < 0 || neutrophil_baseline_ < 0)
      throw std::logic_error("the haematology observer needs the haematology module's states");
  }

  void describe(CohortInfo& info) override {
    TableSchema t;
    t.name = "haematology";
    t.columns = {"neutrophil_nadir_1e9_per_L", "neutrophil_nadir_day", "neutropenia_grade",
                 "neutropenia_grade_3_or_worse", "platelet_nadir_1e9_per_L", "platelet_nadir_day",
                 "thrombocytopenia_grade", "thrombocytopenia_grade_3_or_worse", "marrow_progenitors_min_fraction",
                 "red_marrow_dose_Gy"};
    t.single_row = true;
    t.levels = {{}, {}, grade_levels(), yes_no(), {}, {}, grade_levels(), yes_no(), {}, {}};
    t.in_summary = true;
    declare_table(info, std::move(t));
  }

  void begin(const PatientView& v, PatientRecord& r) override {
    start_table(r);
    neutrophils_min_ = platelets_min_ = progenitors_min_ = Minimum{};
    next_ = v.time() + kSampleEveryDay;
    see(v.time(), v.state());
  }

  void before_events(const PatientView& v) override { see(v.time(), v.state()); }

  void after_step(const StepView& v) override {
    for (; next_ < v.time() - kEps; next_ += kSampleEveryDay) {
      if (next_ <= v.previous_time()) continue;
      v.interpolate(next_, tmp_.data());
      see(next_, tmp_.data());
    }
    see(v.time(), v.state());
  }

  void end(const PatientView& v, PatientRecord& r) override {
    see(v.time(), v.state());
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double* p = v.params();
    auto grade = [&](int lln, double nadir, int (*of)(double, double)) {
      return lln < 0 ? nan : static_cast<double>(of(nadir, p[lln]));
    };
    const double gn = grade(neutrophil_lln_, neutrophils_min_.value, haematology::neutropenia_grade);
    const double gp = grade(platelet_lln_, platelets_min_.value, haematology::thrombocytopenia_grade);
    auto severe = [&](double g) { return std::isnan(g) ? nan : g >= 3.0 ? 1.0 : 0.0; };
    const double row[10] = {neutrophils_min_.value,
                            neutrophils_min_.day,
                            gn,
                            severe(gn),
                            platelets_min_.value,
                            platelets_min_.day,
                            gp,
                            severe(gp),
                            progenitors_min_.value / p[neutrophil_baseline_],
                            v.state()[dose_]};
    r.tables[table_index()].add_row(row);
  }

 private:
  struct Minimum {
    double value = std::numeric_limits<double>::infinity(), day = 0;
    void see(double t, double x) {
      if (x < value) {
        value = x;
        day = t;
      }
    }
  };

  void see(double t, const double* y) {
    neutrophils_min_.see(t, y[neutrophils_]);
    platelets_min_.see(t, y[platelets_]);
    progenitors_min_.see(t, y[progenitors_]);
  }

  int neutrophils_, platelets_, progenitors_, dose_, neutrophil_baseline_, neutrophil_lln_, platelet_lln_;
  std::vector<double> tmp_;
  Minimum neutrophils_min_, platelets_min_, progenitors_min_;
  double next_ = 0;
};

}  // namespace

std::unique_ptr<Observer> make_haematology(const Model& m) { return std::make_unique<HaematologyObserver>(m); }

}  // namespace icsim
