// Survival of an animal (or patient) whose death the model defines: the tumour
// reaching a lethal burden (disease.lethal_burden), or the marrow's progenitors
// falling to a lethal fraction (haematology). Checked once a day from the start of
// the simulation, as an animal study checks its cages, between stops from the
// integrator's dense output; the first check that meets a criterion is the day of
// death. Alive at the end of the simulation: censored there.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "trial/observers/observers.h"

namespace icsim {

namespace {

constexpr double kEps = 1e-9;
constexpr double kCheckEveryDay = 1.0;

const std::vector<std::string>& causes() {
  static const std::vector<std::string> c = {"alive", "tumour", "marrow"};
  return c;
}

class SurvivalObserver final : public Observer {
 public:
  SurvivalObserver(const Model& m, std::vector<DeathCriterion> criteria) : criteria_(std::move(criteria)), tmp_(m.size()) {}

  void describe(CohortInfo& info) override {
    TableSchema t{"survival", {"survival_day", "survival_censored", "death_cause"}, true, "row", {}, true, "", {}};
    t.levels = {{}, {}, causes()};
    t.time_to_event = {{"survival_day", "survival_censored"}};
    index_ = info.tables.size();
    info.tables.push_back(std::make_shared<const TableSchema>(std::move(t)));
    schema_ = info.tables[index_];
    for (size_t i = 0; i < info.tables.size(); ++i)
      if (info.tables[i]->name == "response") response_ = static_cast<int>(i);
  }

  void begin(const PatientView& v, PatientRecord& r) override {
    r.tables[index_] = Table(schema_);
    next_ = v.time() + kCheckEveryDay;
    death_day_ = std::numeric_limits<double>::quiet_NaN();
    cause_ = 0;
  }

  // A check due exactly now takes this state; one left behind by a step that ended
  // just after it was taken from that step's dense output (after_step).
  void before_events(const PatientView& v) override {
    while (alive() && std::abs(next_ - v.time()) <= kEps && next_ <= v.until() + kEps) check(v);
  }

  void after_step(const StepView& v) override {
    while (alive() && next_ < v.time() - kEps && next_ >= v.previous_time() - kEps && next_ <= v.until() + kEps) {
      v.interpolate(next_, tmp_.data());
      check(v.at(next_, tmp_.data()));
    }
  }

  void end(const PatientView& v, PatientRecord& r) override {
    while (alive() && next_ <= v.until() + kEps) check(v);
    const double row[3] = {alive() ? v.until() : death_day_, alive() ? 1.0 : 0.0, static_cast<double>(cause_)};
    r.tables[index_].add_row(row);
    if (!alive() && response_ >= 0) end_pfs_at_death(r.tables[static_cast<size_t>(response_)]);
  }

 private:
  bool alive() const { return cause_ == 0; }

  // Progression-free survival ends at progression or death (IMWG): a death before
  // progression (or without it) is the event. The response observer, which runs
  // before this one, wrote its row; pfs_day is its time, pfs_censored its flag.
  void end_pfs_at_death(Table& response) const {
    if (response.rows() == 0) return;
    const int day = response.column("pfs_day"), censored = response.column("pfs_censored");
    std::vector<double> row(response.values());
    const bool progressed = row[static_cast<size_t>(censored)] == 0.0;
    if (progressed && row[static_cast<size_t>(day)] <= death_day_) return;
    row[static_cast<size_t>(day)] = death_day_;
    row[static_cast<size_t>(censored)] = 0.0;
    response.clear();
    response.add_row(row.data());
  }

  void check(const PatientView& v) {
    for (const DeathCriterion& c : criteria_) {
      const double value = v.output(c.output), limit = v.params()[c.param];
      if (c.at_or_above ? value >= limit : value <= limit) {
        death_day_ = next_;
        cause_ = c.cause;
        return;
      }
    }
    next_ += kCheckEveryDay;
  }

  std::vector<DeathCriterion> criteria_;
  std::vector<double> tmp_;
  size_t index_ = 0;
  std::shared_ptr<const TableSchema> schema_;
  double next_ = 0, death_day_ = 0;
  int cause_ = 0;
  int response_ = -1;  // the IMWG response table, when the run has one
};

}  // namespace

std::vector<DeathCriterion> death_criteria(const Model& m) {
  std::vector<DeathCriterion> out;
  const int cells = m.output("tumour_cells"), lethal = m.find_param("disease.lethal_burden");
  if (cells >= 0 && lethal >= 0) out.push_back({cells, lethal, true, 1});
  const int progenitors = m.output("marrow_progenitors_fraction"),
            fraction = m.find_param("haematology.lethal_progenitor_fraction");
  if (progenitors >= 0 && fraction >= 0) out.push_back({progenitors, fraction, false, 2});
  return out;
}

std::unique_ptr<Observer> make_survival(const Model& m, std::vector<DeathCriterion> criteria) {
  return std::make_unique<SurvivalObserver>(m, std::move(criteria));
}

}  // namespace icsim
