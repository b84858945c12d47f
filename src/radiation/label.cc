// The radiolabel (label.h). Species 1 of every conjugate pool, in fluid or on and in
// cells, is the labelled antibody: it carries one label atom (its "payload" in the
// conservation sums). The label decays at lambda wherever the antibody is:
//
//   d(labelled)/dt   -= lambda * labelled
//   d(unlabelled)/dt += lambda * labelled
//
// The fraction of the dosed antibody that is labelled follows from the specific
// activity As (activity per mass at administration), the molecular weight MW and
// lambda: f = (As / lambda) / (N_A / MW), label atoms over antibody molecules per
// mass. f <= 1 (one label per antibody at most: the carrier-free limit).
//
// Where the antibody is catabolised, its label leaves it: by the linear clearance
// (catabolism in the tissues, mostly the liver and spleen's phagocytes) and by the
// target's internalisation (the target-bearing cells). A residualising label (a
// radiometal in its chelator) stays there and decays there; a non-residualising one
// (radioiodine) leaves the body with the catabolites. The model's records of what left
// the conjugate (payload.lost, payload.internalised) hold those label atoms.
//
// Activity of n nmol of label: lambda[1/s] * n * 1e-9 * N_A Bq. The time integrals
// of activity (MBq*h) in plasma, in the whole body, in the tumour and in the two
// residual pools are states, so a dosimetry reads them at any output time. Daughters
// of a chain decay where their parent did, unless `daughters: released`: then those
// freed from the label on antibody outside cells follow their own biokinetics
// (radiation/free_daughters.h; docs/radioimmunoconjugates.md).
#include "radiation/label.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "core/quantity.h"
#include "io/yaml_doc.h"
#include "pk/conjugate.h"
#include "radiation/free_daughters.h"
#include "radiation/nuclide.h"

namespace icsim {

namespace {

constexpr double kAvogadro = 6.02214076e23;
constexpr double kSecondsPerDay = 86400.0;
constexpr double kHoursPerDay = 24.0;

const radiation::NuclideLibrary& nuclides() { return radiation::NuclideLibrary::shared(); }

// Label atoms per antibody molecule at administration.
double labelled_fraction(double mbq_per_mg, double molecular_weight, double lambda_per_day) {
  const double atoms_per_mg = mbq_per_mg * 1e6 / (lambda_per_day / kSecondsPerDay);
  const double molecules_per_mg = kAvogadro / molecular_weight * 1e-3;
  return atoms_per_mg / molecules_per_mg;
}

class Decay final : public Module {
 public:
  // labels: label atoms per unit of the labelled species (1; a pretargeted conjugate's
  // unit of labelled sites carries one per biotin site, radiation/pretargeting.cc).
  Decay(ModelBuilder& b, double lambda_per_day, bool residualising, int labels)
      : lambda_(lambda_per_day),
        mbq_per_nmol_(mbq_per_nmol(lambda_per_day)),
        mbq_per_unit_(mbq_per_nmol_ * labels),
        labels_(labels),
        residualising_(residualising) {
    decayed_ = b.accumulator("label.decayed", {0.0, 1.0, 0.0});
    tia_plasma_ = b.add_state("label.tia_plasma");
    tia_body_ = b.add_state("label.tia_body");
    tia_tumour_ = b.add_state("label.tia_tumour");
    tia_catabolised_ = b.add_state("label.tia_catabolised");
    tia_target_cells_ = b.add_state("label.tia_target_cells");
    v1_ = b.param("disposition.V1");
    body_q_ = b.add_quantity(names::kBodyActivity);
    marrow_site_q_ = b.add_quantity(names::kMarrowSiteActivity);
    tumour_marrow_q_ = b.add_quantity("label.tumour_marrow_activity");
    plasma_q_ = b.add_quantity(names::kPlasmaActivity);
    b.add_output({"plasma_activity_kBq_per_mL",
                  [this](const EvalContext& c) { return c.y[central_] * mbq_per_unit_ * 1e3 / (c.p[v1_] * 1e3); }});
    b.add_output({"body_activity_MBq", [this](const EvalContext& c) { return c.q[body_q_]; }});
    b.add_output({"tumour_activity_MBq", [this](const EvalContext& c) {
                    return activity(c.y, kTumourMarrow) + activity(c.y, kTumourElsewhere);
                  }});
    if (residualising_) {
      b.add_output({"catabolised_activity_MBq", [this](const EvalContext& c) { return retained(c.y, lost_); }});
      b.add_output({"target_cells_activity_MBq", [this](const EvalContext& c) { return retained(c.y, internalised_); }});
    }
    for (auto [column, state] : {std::pair{"tia_plasma_MBq_h", &tia_plasma_}, std::pair{"tia_body_MBq_h", &tia_body_},
                                 std::pair{"tia_tumour_MBq_h", &tia_tumour_},
                                 std::pair{"tia_catabolised_MBq_h", &tia_catabolised_},
                                 std::pair{"tia_target_cells_MBq_h", &tia_target_cells_}})
      b.add_output({column, [this, state](const EvalContext& c) { return c.y[*state] * kHoursPerDay; }});
  }

  // Every pool is known once every mechanism is built.
  void link(ModelBuilder& b) override {
    auto take = [&](const std::vector<std::vector<int>>& pools) {
      for (const auto& pool : pools) {
        if (pool.size() < 2) throw std::logic_error("a labelled conjugate has species 0 (unlabelled) and 1 (labelled)");
        labelled_.push_back(pool[1]);
        unlabelled_.push_back(pool[0]);
        where_.push_back(place(b.state_names()[pool[1]]));
      }
    };
    take(b.conjugate_pools());
    take(b.cell_conjugates());
    central_ = b.conjugate_pools().front()[1];
    lost_ = b.find_state("payload.lost");
    internalised_ = b.find_state("payload.internalised");
    residues_ = b.label_residues();
    for (int r : residues_) residue_where_.push_back(place(b.state_names()[r]));
    // With a tumour outside the marrow, the marrow's share is a column of its own
    // (the red marrow of a dosimetry).
    const bool elsewhere = std::count(where_.begin(), where_.end(), kTumourElsewhere) > 0;
    if (elsewhere) {
      tia_tumour_marrow_ = b.add_state("label.tia_tumour_marrow");
      b.add_output({"tumour_marrow_activity_MBq", [this](const EvalContext& c) { return c.q[tumour_marrow_q_]; }});
      b.add_output({"tia_tumour_marrow_MBq_h",
                    [this](const EvalContext& c) { return c.y[tia_tumour_marrow_] * kHoursPerDay; }});
    }
  }

  const char* name() const override { return "label_decay"; }

  // Computed once per evaluation: the right-hand side and the outputs read them.
  void derive(EvalContext& c) const override {
    const double target_cells = retained(c.y, internalised_);
    c.q[body_q_] = activity(c.y, kAnywhere) + retained(c.y, lost_) + target_cells;
    c.q[tumour_marrow_q_] = activity(c.y, kTumourMarrow);
    c.q[marrow_site_q_] = c.q[tumour_marrow_q_] + target_cells;
    c.q[plasma_q_] = c.y[central_] * mbq_per_unit_ / c.p[v1_];
  }
  double fastest_rate(const double*) const override { return lambda_; }

  void rhs(const EvalContext& c, double* dy) const override {
    double decayed = 0.0;
    for (size_t i = 0; i < labelled_.size(); ++i) {
      const double flux = lambda_ * c.y[labelled_[i]];
      dy[labelled_[i]] -= flux;
      dy[unlabelled_[i]] += flux;
      decayed += labels_ * flux;
    }
    // The residualised label decays where it was left, the tumour's cells included.
    auto decay_in = [&](int pool) {
      const double flux = lambda_ * c.y[pool];
      dy[pool] -= flux;
      decayed += flux;
    };
    if (residualising_)
      for (int pool : {lost_, internalised_})
        if (pool >= 0) decay_in(pool);
    for (int pool : residues_) decay_in(pool);
    add_if(dy, decayed_, decayed);
    const double catabolised = retained(c.y, lost_), target_cells = retained(c.y, internalised_);
    dy[tia_plasma_] += c.y[central_] * mbq_per_unit_;
    const double marrow = c.q[tumour_marrow_q_];
    dy[tia_body_] += c.q[body_q_];
    dy[tia_tumour_] += marrow + activity(c.y, kTumourElsewhere);
    if (tia_tumour_marrow_ >= 0) dy[tia_tumour_marrow_] += marrow;
    dy[tia_catabolised_] += catabolised;
    dy[tia_target_cells_] += target_cells;
  }

 private:
  // Where a state is: the tumour's states are named "tumour.SITE....".
  enum Place { kAnywhere = 0, kTumourMarrow, kTumourElsewhere, kOutsideTumour };
  static Place place(const std::string& state) {
    if (state.rfind("tumour.marrow.", 0) == 0) return kTumourMarrow;
    if (state.rfind("tumour.", 0) == 0) return kTumourElsewhere;
    return kOutsideTumour;
  }

  // MBq of the labelled conjugate and the label kept in cells, in the whole body
  // (kAnywhere) or at one place.
  double activity(const double* y, Place at) const {
    double n = 0.0;
    for (size_t i = 0; i < labelled_.size(); ++i)
      if (at == kAnywhere || where_[i] == at) n += labels_ * y[labelled_[i]];
    for (size_t i = 0; i < residues_.size(); ++i)
      if (at == kAnywhere || residue_where_[i] == at) n += y[residues_[i]];
    return n * mbq_per_nmol_;
  }

  // MBq of the label residualised in a pool of what left the conjugate (0 when the
  // label is not residualising or the model has no such route).
  double retained(const double* y, int pool) const {
    return residualising_ && pool >= 0 ? y[pool] * mbq_per_nmol_ : 0.0;
  }

  double lambda_, mbq_per_nmol_, mbq_per_unit_;
  int labels_;
  bool residualising_;
  std::vector<int> labelled_, unlabelled_;
  std::vector<Place> where_, residue_where_;
  std::vector<int> residues_;
  int tia_tumour_marrow_ = -1;
  int body_q_ = -1, marrow_site_q_ = -1, plasma_q_ = -1, tumour_marrow_q_ = -1;
  int central_ = -1, decayed_ = -1, tia_plasma_ = -1, tia_body_ = -1, tia_tumour_ = -1, tia_catabolised_ = -1,
      tia_target_cells_ = -1, lost_ = -1, internalised_ = -1, v1_ = -1;
};

class LabelMechanism final : public Mechanism {
 public:
  const char* section() const override { return "label"; }
  const char* summary() const override {
    return "a radiolabel on the antibody: its nuclide, specific activity and physical decay, and the activity and "
           "time-integrated activity in plasma, body and tumour";
  }
  std::vector<ParamDecl> parameters() const override {
    return {{"specific_activity", "MBq/mg", Bound::kPositive,
             "activity per mass of antibody at administration (sets the labelled fraction)"}};
  }
  std::vector<std::string> option_keys() const override { return {"nuclide", "residualising", "daughters"}; }
  std::unique_ptr<MechanismOptions> default_options() const override { return std::make_unique<LabelOptions>(); }
  void read_options(const SectionInput& in, MechanismOptions& mo, AgentSpec&) const override {
    auto& o = static_cast<LabelOptions&>(mo);
    if (in.node["residualising"]) o.residualising = in.doc.boolean(in.node["residualising"], in.key + ".residualising");
    using Daughters = LabelOptions::Daughters;
    auto followed = [&] { return radiation::free_chain(nuclides(), radiation::FreeDaughterData::shared(), o.nuclide); };
    if (const YAML::Node& n = in.node["nuclide"]) {
      const std::string key = in.key + ".nuclide";
      o.nuclide = in.doc.text(n, key);
      const radiation::Nuclide* nuclide = nuclides().find(o.nuclide);
      if (!nuclide) {
        std::string known;
        for (const std::string& name : nuclides().names())
          if (!nuclides().get(name).stable) known += (known.empty() ? "" : ", ") + name;
        in.doc.fail(n, key, fmt::format("unknown nuclide '{}' (the library has {})", o.nuclide, known));
      }
      if (nuclide->stable) in.doc.fail(n, key, fmt::format("'{}' is stable: a label must decay", o.nuclide));
      o.daughters = followed().empty() ? Daughters::kRetained : Daughters::kReleased;
    }
    // Read after the nuclide (an override may give the one without the other).
    const YAML::Node& d = in.node["daughters"];
    if (!d) return;
    const std::string dkey = in.key + ".daughters", value = in.doc.text(d, dkey);
    if (value == "retained") {
      o.daughters = Daughters::kRetained;
    } else if (value != "released") {
      in.doc.fail(d, dkey, fmt::format("must be retained or released, not '{}'", value));
    } else if (o.nuclide.empty() || followed().empty()) {
      in.doc.fail(d, dkey,
                  fmt::format("'{}' has no daughter that can be released and followed (one with a release fraction "
                              "and an element model in {}, living at least a minute): use daughters: retained",
                              o.nuclide, radiation::FreeDaughterData::shared().file));
    } else {
      o.daughters = Daughters::kReleased;
    }
  }
  std::vector<std::pair<std::string, std::string>> write_options(const MechanismOptions& mo) const override {
    const auto& o = static_cast<const LabelOptions&>(mo);
    if (o.on_hapten) return {};  // written in the pretargeting section
    std::vector<std::pair<std::string, std::string>> out = {{"nuclide", o.nuclide},
                                                             {"residualising", o.residualising ? "true" : "false"}};
    // Written where it matters (a chain with daughters to follow), so that other
    // labels read back as before.
    if (!radiation::free_chain(nuclides(), radiation::FreeDaughterData::shared(), o.nuclide).empty())
      out.emplace_back("daughters", o.daughters == LabelOptions::Daughters::kReleased ? "released" : "retained");
    return out;
  }
  std::vector<std::string> required(const MechanismOptions& mo) const override {
    if (static_cast<const LabelOptions&>(mo).on_hapten) return {};
    return {"specific_activity"};
  }
  std::string check(const AgentSpec& a, const MechanismOptions& mo) const override {
    const auto& o = static_cast<const LabelOptions&>(mo);
    if (a.has_mechanism("dar"))
      return "a labelled agent carries one label per antibody: remove 'dar' (drug-to-antibody species and a label "
             "together are not modelled)";
    // A label section besides pretargeting (the label is implied by it, unwritten).
    if (o.on_hapten)
      return a.feature_origin.count("label")
                 ? "a pretargeted agent carries its label on the hapten, and the antibody is given unlabelled: write "
                   "the nuclide as pretargeting.nuclide and remove the 'label' section"
                 : "";
    if (!(a.molecular_weight > 0)) return "a labelled agent needs its molecular_weight (the labelled fraction uses it)";
    if (!a.has("label.specific_activity")) return "";  // said by the reader
    // Checked as written: engine values are set after the checks.
    const double written = written_value(a, *this, "specific_activity", "MBq/mg");
    const double f = labelled_fraction(written, a.molecular_weight, nuclides().get(o.nuclide).lambda_per_day);
    if (f > 1.0)
      return fmt::format(
          "specific activity {:.4g} MBq/mg is above the carrier-free limit for one {} per antibody ({:.4g} MBq/mg)",
          written, o.nuclide, written / f);
    return "";
  }
  Dependencies dependencies() const override {
    return {{names::kBodyActivity, names::kMarrowSiteActivity, names::kPlasmaActivity}, {}, {names::kPools}};
  }
  void plan(BuildPlan& plan, const MechanismOptions& mo) const override {
    const auto& o = static_cast<const LabelOptions&>(mo);
    if (o.on_hapten) return;  // the species are pretargeting's
    const double lambda = nuclides().get(o.nuclide).lambda_per_day;
    const double f = labelled_fraction(plan.agent.value("label.specific_activity"), plan.layout.molecular_weight, lambda);
    plan.layout.dar = {0, 1};
    plan.layout.dose_fraction = {1.0 - f, f};
  }
  void build(ModelBuilder& b, const BuildPlan& plan, const MechanismOptions& mo) const override {
    const auto& o = static_cast<const LabelOptions&>(mo);
    b.add_module(
        std::make_unique<Decay>(b, nuclides().get(o.nuclide).lambda_per_day, o.residualising, plan.layout.dar[1]));
    if (o.daughters == LabelOptions::Daughters::kReleased)
      b.add_module(radiation::make_free_daughters(
          b, nuclides(), radiation::free_chain(nuclides(), radiation::FreeDaughterData::shared(), o.nuclide),
          plan.layout.dar[1]));
  }
  const char* example() const override { return "{nuclide: Lu-177, specific_activity: 370 MBq/mg}"; }
};

}  // namespace

bool LabelOptions::is_valid(std::string* why) const {
  if (nuclide.empty()) {
    if (why) *why = "missing 'nuclide' (e.g. nuclide: Lu-177)";
    return false;
  }
  return true;
}

double mbq_per_nmol(double lambda_per_day) { return lambda_per_day / kSecondsPerDay * 1e-9 * kAvogadro * 1e-6; }

const Mechanism& label_mechanism() {
  static const LabelMechanism m;
  return m;
}

}  // namespace icsim
