// IMWG response at the assessment visits of a disease (src/disease/imwg.h): the
// serum M-protein (and free light chains, tumour fraction when the model has them)
// at each visit, optionally observed with measurement error, then the rules. Visits
// falling on a dose are taken before it (the left limit), as a clinic samples.
// Visits between stops are read from the integrator's dense output.
#include <cmath>
#include <limits>

#include "disease/imwg.h"
#include "trial/observers/observers.h"

namespace icsim {

namespace {

// Collins 2023 residual error of serum M-protein (SCIENCE.md 3.3).
constexpr double kAdditiveSdGPerL = 0.832;
constexpr double kProportionalSd = 0.0633;

std::vector<std::string> response_levels() {
  std::vector<std::string> out;
  for (Response r : {Response::kSCR, Response::kCR, Response::kVGPR, Response::kPR, Response::kMR, Response::kSD,
                     Response::kPD})
    out.push_back(to_string(r));
  return out;
}

class ResponseObserver final : public Observer {
 public:
  ResponseObserver(const Model& m, const ResponseAssessment& a)
      : settings_(a), m_protein_(m.output("m_protein_g_per_L")), cells_(m.output("tumour_cells")),
        flc_(m.output("flc_mg_per_L")), tmp_(m.size()) {
    if (m_protein_ < 0) throw std::logic_error("response assessment needs the output 'm_protein_g_per_L'");
    options_.cr_threshold_g_per_L = a.cr_threshold_g_per_L;
  }

  void describe(CohortInfo& info) override {
    TableSchema result{"response",
                       {"best_response", "response_day", "vgpr_day", "cr_day", "progression_day", "nadir",
                        "nadir_day", "duration_of_response_day", "pfs_day", "pfs_censored"},
                       true,
                       "row",
                       {},
                       false,
                       "",
                       {}};
    result.levels = {response_levels()};
    result.in_summary = true;
    result.headline = "PR";
    result.time_to_event = {{"pfs_day", "pfs_censored"}};
    response_index_ = info.tables.size();
    info.tables.push_back(std::make_shared<const TableSchema>(std::move(result)));
    TableSchema visits{"assessments",
                       {"day", "m_protein_g_per_L", "m_protein_observed_g_per_L", "flc_mg_per_L", "tumour_fraction",
                        "category"},
                       false,
                       "visit",
                       {},
                       false,
                       "",
                       {}};
    visits.levels.resize(6);
    visits.levels[5] = response_levels();
    visits_index_ = info.tables.size();
    info.tables.push_back(std::make_shared<const TableSchema>(std::move(visits)));
    response_schema_ = info.tables[response_index_];
    visits_schema_ = info.tables[visits_index_];
  }

  void begin(const PatientView& v, PatientRecord& r) override {
    r.tables[response_index_] = Table(response_schema_);
    r.tables[visits_index_] = Table(visits_schema_);
    visits_.clear();
    truth_.clear();
    const double first = settings_.start_day >= 0 ? settings_.start_day : v.time() + settings_.every_day;
    next_ = first;
    baseline_ = measure(v);
    baseline_cells_ = cells_ >= 0 ? v.output(cells_) : std::numeric_limits<double>::quiet_NaN();
    baseline_.tumour_fraction = std::numeric_limits<double>::quiet_NaN();
  }

  void before_events(const PatientView& v) override { take_due(v, v.time()); }

  void after_step(const StepView& v) override {
    while (next_ < v.time() - kEps && next_ > v.previous_time() && next_ <= v.until() + kEps) {
      v.interpolate(next_, tmp_.data());
      take(v.at(next_, tmp_.data()));
    }
  }

  void end(const PatientView& v, PatientRecord& r) override {
    take_due(v, v.until());
    const double nan = std::numeric_limits<double>::quiet_NaN();
    ImwgResult res;
    std::string failure;
    try {
      res = assess_imwg(baseline_, visits_, options_);
    } catch (const std::invalid_argument& e) {  // e.g. a baseline M-protein of 0: nothing to follow
      failure = e.what();
    }
    Table& t = r.tables[response_index_];
    if (failure.empty()) {
      const bool progressed = std::isfinite(res.progression_day);
      const double last = visits_.empty() ? nan : visits_.back().day;
      const double row[10] = {static_cast<double>(res.best),
                              res.response_day,
                              res.vgpr_day,
                              res.cr_day,
                              res.progression_day,
                              res.nadir,
                              res.nadir_day,
                              res.duration_of_response_day,
                              progressed ? res.progression_day : last,
                              progressed ? 0.0 : 1.0};
      t.add_row(row);
    }
    Table& vt = r.tables[visits_index_];
    for (size_t i = 0; i < visits_.size(); ++i) {
      const Assessment& a = visits_[i];
      const double category = i < res.per_visit.size() ? static_cast<double>(res.per_visit[i]) : nan;
      const double row[6] = {a.day, truth_[i], a.m_protein_g_per_L, a.involved_flc_mg_per_L, a.tumour_fraction,
                             category};
      vt.add_row(row);
    }
  }

 private:
  static constexpr double kEps = 1e-9;

  Assessment measure(const PatientView& v) const {
    Assessment a;
    a.day = v.time();
    a.m_protein_g_per_L = std::max(0.0, v.output(m_protein_));
    if (flc_ >= 0) a.involved_flc_mg_per_L = std::max(0.0, v.output(flc_));
    if (cells_ >= 0 && baseline_cells_ > 0) a.tumour_fraction = std::max(0.0, v.output(cells_)) / baseline_cells_;
    return a;
  }

  void take_due(const PatientView& v, double t) {
    while (next_ <= t + kEps && next_ <= v.until() + kEps) take(v);
  }

  void take(const PatientView& v) {
    Assessment a = measure(v);
    a.day = next_;
    truth_.push_back(a.m_protein_g_per_L);
    if (settings_.measurement_error)
      a.m_protein_g_per_L =
          observe_m_protein(a.m_protein_g_per_L, kAdditiveSdGPerL, kProportionalSd, v.random().normal());
    visits_.push_back(a);
    next_ += settings_.every_day;
  }

  ResponseAssessment settings_;
  ImwgOptions options_;
  int m_protein_, cells_, flc_;
  std::vector<double> tmp_;
  size_t response_index_ = 0, visits_index_ = 0;
  std::shared_ptr<const TableSchema> response_schema_, visits_schema_;
  Assessment baseline_;
  double baseline_cells_ = 0, next_ = 0;
  std::vector<Assessment> visits_;
  std::vector<double> truth_;
};

}  // namespace

std::unique_ptr<Observer> make_response(const Model& m, const ResponseAssessment& a) {
  return std::make_unique<ResponseObserver>(m, a);
}

}  // namespace icsim
