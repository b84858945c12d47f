// Pretargeting (pretargeting.h; docs/pretargeting.md has the equations and sources).
//
// The conjugate's species count its biotin sites, in antibody equivalents (sites / n,
// n sites per conjugate), so that every process of the conjugate moves them together
// and their sum is the conjugate:
//   species 0  sites holding an unlabelled hapten (given cold, or its label decayed)
//   species 1  sites holding a labelled hapten: n label atoms per unit
//   species 2  free sites (the dose)
// The label decays 1 -> 0 (label.cc, with n labels per unit). The free hapten, labelled
// H* and unlabelled H, is in the extracellular fluid (volume Vh) at c = H / Vh, the
// same in plasma, tissue interstitium and the tumour's fluid, and binds the free sites
// of every pool the fluid reaches (plasma, peripheral tissue, target and soluble
// complexes, the tumour's fluid and its cells' surface; not the endosomes):
//   bind   = kon c F,   F = n y2 (free sites, nmol),   unbind = koff n y0|1,   koff = kon KD
//   dH*/dt = -kon c* F + koff n y1 - (CLr / Vh) H* - lambda H*
//   dK*/dt = f_K (CLr / Vh) H* - k_K K* - lambda K*      (kidney; the rest of the filtrate
//                                                          and k_K K* leave in the urine)
// with the same for H and K (gaining what decays in H* and K*). The clearing agent G in
// plasma (volume Vg) captures conjugate with a free site, one molecule per agent, and
// the complex X is taken up by the liver:
//   capture_s = kon (G / Vg) n theta ff y_s,c,   theta = y2,c / sum y_c  (the free share of sites)
//   dG/dt = -sum capture_s - kg G,   dX_s/dt = capture_s - kx X_s
// The liver catabolises X: its antibody is eliminated and its label stays there (the
// label's catabolised pool, residualising as a radiometal in DOTA).
#include "radiation/pretargeting.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <tuple>

#include <fmt/format.h>

#include "io/yaml_doc.h"
#include "pk/conjugate.h"
#include "radiation/label.h"
#include "radiation/nuclide.h"

namespace icsim {

namespace {

constexpr double kHoursPerDay = 24.0;
constexpr int kCold = 0, kLabelled = 1, kFree = 2;
// Binding relaxes at kon c; c is not known from the parameters, so a typical hapten
// concentration stands in for it (the solver's choice, Module::fastest_rate).
constexpr double kTypicalHaptenNM = 100.0;

const radiation::NuclideLibrary& nuclides() { return radiation::NuclideLibrary::shared(); }

// Labelled haptens over haptens at administration.
double labelled_fraction(double mbq_per_nmol_hapten, double lambda_per_day) {
  return mbq_per_nmol_hapten / mbq_per_nmol(lambda_per_day);
}

class Pretargeting final : public Module {
 public:
  Pretargeting(ModelBuilder& b, const BuildPlan& plan, const PretargetingOptions& o)
      : n_(o.sites), lambda_(nuclides().get(o.nuclide).lambda_per_day), mbq_(mbq_per_nmol(lambda_)) {
    const ConjugateLayout& layout = plan.layout;
    central_ = central_states(b, layout);
    free_labelled_ = b.add_state("pretargeting.hapten.labelled", {0.0, 1.0, 0.0});
    free_cold_ = b.add_state("pretargeting.hapten.cold");
    kidney_labelled_ = b.add_state("pretargeting.kidney.labelled", {0.0, 1.0, 0.0});
    kidney_cold_ = b.add_state("pretargeting.kidney.cold");
    // The label decays in the free hapten as anywhere (label.cc) and is counted in the body.
    b.add_label_residue(free_labelled_);
    b.add_label_residue(kidney_labelled_);
    excreted_labelled_ = b.accumulator("pretargeting.excreted.labelled", {0.0, 1.0, 0.0});
    excreted_cold_ = b.accumulator("pretargeting.excreted.cold", {});
    tia_kidney_ = b.add_state("pretargeting.tia_kidney");
    tia_plasma_ = b.add_state("pretargeting.tia_hapten_plasma");
    const double f = labelled_fraction(plan.agent.value("pretargeting.hapten.specific_activity"), lambda_);
    b.add_dose_target(free_labelled_, f, "hapten");
    if (f < 1.0) b.add_dose_target(free_cold_, 1.0 - f, "hapten");
    if (o.clearing_agent) {
      agent_ = b.add_state("pretargeting.clearing_agent");
      cleared_ = add_conjugate_pool(b, layout, "pretargeting.cleared");
      b.add_dose_target(agent_, 1.0, "clearing_agent");
      agent_volume_ = b.param("pretargeting.clearing_agent.volume");
      agent_clearance_ = b.param("pretargeting.clearing_agent.clearance");
      complex_removal_ = b.param("pretargeting.clearing_agent.complex_removal");
      eliminated_ = b.accumulator("conjugate.eliminated", {1.0, 0.0, 0.0});
      lost_ = b.accumulator("payload.lost", {0.0, 1.0, 0.0});
      dar_ = layout.dar;
    }
    kon_ = b.param("pretargeting.kon");
    kd_ = b.param("pretargeting.kd");
    volume_ = b.param("pretargeting.hapten.volume");
    renal_ = b.param("pretargeting.hapten.renal_clearance");
    retention_ = b.param("pretargeting.hapten.kidney_retention");
    kidney_half_life_ = b.param("pretargeting.hapten.kidney_half_life");
    v1_ = b.param("disposition.V1");
    ff_ = b.quantity(names::kFreeFraction);
    koff_ = b.add_derived_param("pretargeting.koff");
    washout_ = b.add_derived_param("pretargeting.kidney_washout");

    b.add_output({"hapten_plasma_activity_kBq_per_mL",
                  [this](const EvalContext& c) { return c.y[free_labelled_] * mbq_ / c.p[volume_]; }});
    b.add_output({"kidney_activity_MBq", [this](const EvalContext& c) { return c.y[kidney_labelled_] * mbq_; }});
    b.add_output({"hapten_free_nmol",
                  [this](const EvalContext& c) { return c.y[free_labelled_] + c.y[free_cold_]; }});
    b.add_output({"hapten_bound_nmol", [this](const EvalContext& c) {
                    double bound = 0.0;
                    for (const auto& pool : all_) bound += c.y[pool[kCold]] + c.y[pool[kLabelled]];
                    return n_ * bound;
                  }});
    b.add_output({"tia_kidney_MBq_h", [this](const EvalContext& c) { return c.y[tia_kidney_] * kHoursPerDay; }});
    b.add_output(
        {"tia_hapten_plasma_MBq_h", [this](const EvalContext& c) { return c.y[tia_plasma_] * kHoursPerDay; }});
  }

  // The pools the hapten reaches are known once every mechanism is built.
  void link(ModelBuilder& b) override {
    auto check = [](const std::vector<int>& pool) {
      if (pool.size() != 3) throw std::logic_error("a pretargeted conjugate has three species (cold, labelled, free)");
    };
    for (const auto& pool : b.conjugate_pools()) {
      check(pool);
      all_.push_back(pool);
      if (pool != cleared_) reachable_.push_back(pool);
    }
    // On the tumour's cells the fluid reaches the surface complexes, not the endosomes.
    for (const auto& pool : b.cell_conjugates()) {
      check(pool);
      all_.push_back(pool);
      if (b.state_names()[pool[kFree]].find(".complex.") != std::string::npos) reachable_.push_back(pool);
    }
  }

  const char* name() const override { return "pretargeting"; }

  void prepare(double* p) const override {
    p[koff_] = p[kon_] * p[kd_];
    p[washout_] = std::log(2.0) / p[kidney_half_life_];
  }

  double fastest_rate(const double* p) const override {
    double fastest = std::max({p[kon_] * kTypicalHaptenNM, p[renal_] / p[volume_], p[washout_]});
    if (agent_ >= 0) fastest = std::max({fastest, p[agent_clearance_], p[complex_removal_]});
    return fastest;
  }

  void rhs(const EvalContext& c, double* dy) const override {
    const double* p = c.p;
    const double* y = c.y;
    const double kon = p[kon_], koff = p[koff_], n = n_;
    const double c_labelled = y[free_labelled_] / p[volume_], c_cold = y[free_cold_] / p[volume_];
    // Binding and unbinding at the free sites of every pool the fluid reaches (sites/day).
    for (const auto& pool : reachable_) {
      const double open = n * y[pool[kFree]];
      const double bind_labelled = kon * c_labelled * open, bind_cold = kon * c_cold * open;
      const double off_labelled = koff * n * y[pool[kLabelled]], off_cold = koff * n * y[pool[kCold]];
      dy[pool[kFree]] += (off_labelled + off_cold - bind_labelled - bind_cold) / n;
      dy[pool[kLabelled]] += (bind_labelled - off_labelled) / n;
      dy[pool[kCold]] += (bind_cold - off_cold) / n;
      dy[free_labelled_] += off_labelled - bind_labelled;
      dy[free_cold_] += off_cold - bind_cold;
    }
    // Renal clearance; a fraction is held in the kidneys, the rest leaves in the urine.
    const double cl = p[renal_], held = p[retention_], washout = p[washout_];
    for (const auto& [fluid, kidney, out] :
         {std::tuple{free_labelled_, kidney_labelled_, excreted_labelled_},
          std::tuple{free_cold_, kidney_cold_, excreted_cold_}}) {
      const double filtered = cl * y[fluid] / p[volume_];
      dy[fluid] -= filtered;
      dy[kidney] += held * filtered - washout * y[kidney];
      add_if(dy, out, (1.0 - held) * filtered + washout * y[kidney]);
    }
    // The label decays in the free hapten (label.cc removes the atom): it stays a hapten.
    dy[free_cold_] += lambda_ * y[free_labelled_];
    dy[kidney_cold_] += lambda_ * y[kidney_labelled_];
    dy[tia_kidney_] += y[kidney_labelled_] * mbq_;
    dy[tia_plasma_] += y[free_labelled_] * mbq_ * p[v1_] / p[volume_];
    if (agent_ >= 0) clear(c, dy);
  }

 private:
  // The clearing agent captures plasma conjugate by a free site; the liver takes up the
  // complex. Each molecule is captured at kon (G / Vg) n theta ff, theta its free share of
  // sites (bounded to [0, 1] against round-off in a conjugate near zero), so each species
  // leaves in proportion to itself and the agent used is kon (G / Vg) n y2,c ff.
  void clear(const EvalContext& c, double* dy) const {
    const double* p = c.p;
    const double* y = c.y;
    double conjugate = 0.0;
    for (int s : central_) conjugate += y[s];
    const double open = conjugate > 0.0 ? std::clamp(y[central_[kFree]] / conjugate, 0.0, 1.0) : 0.0;
    const double rate = p[kon_] * y[agent_] / p[agent_volume_] * n_ * open * c.q[ff_];  // 1/day
    const double kx = p[complex_removal_];
    double captured = 0.0;
    for (size_t s = 0; s < central_.size(); ++s) {
      const double moved = rate * y[central_[s]];
      const double removed = kx * y[cleared_[s]];
      captured += moved;
      dy[central_[s]] -= moved;
      dy[cleared_[s]] += moved - removed;
      add_if(dy, eliminated_, removed);
      add_if(dy, lost_, dar_[s] * removed);
    }
    dy[agent_] -= captured + p[agent_clearance_] * y[agent_];
  }

  int n_;
  double lambda_, mbq_;
  std::vector<int> central_, cleared_, dar_;
  std::vector<std::vector<int>> reachable_, all_;
  int free_labelled_, free_cold_, kidney_labelled_, kidney_cold_, excreted_labelled_, excreted_cold_;
  int tia_kidney_, tia_plasma_;
  int agent_ = -1, agent_volume_ = -1, agent_clearance_ = -1, complex_removal_ = -1, eliminated_ = -1, lost_ = -1;
  int kon_, kd_, volume_, renal_, retention_, kidney_half_life_, v1_, ff_, koff_, washout_;
};

class PretargetingMechanism final : public Mechanism {
 public:
  const char* section() const override { return "pretargeting"; }
  const char* summary() const override {
    return "pretargeted radioimmunotherapy: the conjugate's streptavidin binds a radiolabelled hapten (DOTA-biotin) "
           "given later, after a clearing agent has removed the conjugate from the blood";
  }
  std::vector<ParamDecl> parameters() const override {
    return {
        {"kon", "1/nM/day", Bound::kNonNegative,
         "association of biotin (on the hapten or the clearing agent) with a streptavidin site"},
        {"kd", "nM", Bound::kPositive, "dissociation constant of biotin and streptavidin (koff = kon kd)"},
        {"hapten.specific_activity", "MBq/nmol", Bound::kPositive, "activity per amount of hapten at administration"},
        {"hapten.volume", "L", Bound::kPositive, "volume of distribution of the free hapten (extracellular fluid)"},
        {"hapten.renal_clearance", "L/day", Bound::kNonNegative, "renal clearance of the free hapten"},
        {"hapten.kidney_retention", "1", Bound::kFraction, "fraction of the filtered hapten held in the kidneys"},
        {"hapten.kidney_half_life", "day", Bound::kPositive, "half-life of the hapten held in the kidneys"},
        {"hapten.molecular_weight", "Da", Bound::kPositive, "molecular weight of the hapten (for doses in mass)"},
        {"clearing_agent.molecular_weight", "Da", Bound::kPositive,
         "molecular weight of the clearing agent (for doses in mass)"},
        {"clearing_agent.volume", "L", Bound::kPositive, "volume of distribution of the clearing agent (plasma)"},
        {"clearing_agent.clearance", "1/day", Bound::kNonNegative,
         "elimination rate of the free clearing agent (hepatic uptake)"},
        {"clearing_agent.complex_removal", "1/day", Bound::kNonNegative,
         "hepatic uptake of conjugate captured by the clearing agent"},
    };
  }
  std::vector<std::string> option_keys() const override { return {"nuclide", "sites"}; }
  std::unique_ptr<MechanismOptions> default_options() const override {
    return std::make_unique<PretargetingOptions>();
  }
  void read_options(const SectionInput& in, MechanismOptions& mo, AgentSpec& a) const override {
    auto& o = static_cast<PretargetingOptions&>(mo);
    if (const YAML::Node& n = in.node["nuclide"]) {
      const std::string key = in.key + ".nuclide";
      o.nuclide = in.doc.text(n, key);
      const radiation::Nuclide* nuclide = nuclides().find(o.nuclide);
      if (!nuclide) in.doc.fail(n, key, fmt::format("unknown nuclide '{}' (data/nuclides/nuclides.yaml)", o.nuclide));
      if (nuclide->stable) in.doc.fail(n, key, fmt::format("'{}' is stable: a label must decay", o.nuclide));
    }
    if (const YAML::Node& n = in.node["sites"]) {
      const long sites = in.doc.integer(n, in.key + ".sites");
      if (sites < 1 || sites > 4)
        in.doc.fail(n, in.key + ".sites", "must be a whole number from 1 to 4 (streptavidin has 4)");
      o.sites = static_cast<int>(sites);
    }
    if (in.node["clearing_agent"]) o.clearing_agent = true;
    // The label is the hapten's: the label mechanism follows it on the conjugate.
    OptionsBox& box = a.mechanisms["label"];
    if (!box.get()) box = OptionsBox(label_mechanism().default_options());
    auto* label = static_cast<LabelOptions*>(box.get());
    label->on_hapten = true;
    label->nuclide = o.nuclide;
  }
  std::vector<std::pair<std::string, std::string>> write_options(const MechanismOptions& mo) const override {
    const auto& o = static_cast<const PretargetingOptions&>(mo);
    return {{"nuclide", o.nuclide}, {"sites", std::to_string(o.sites)}};
  }
  std::vector<std::string> required(const MechanismOptions& mo) const override {
    std::vector<std::string> r = {"kon",           "kd",
                                  "hapten.specific_activity", "hapten.volume",
                                  "hapten.renal_clearance",   "hapten.kidney_retention",
                                  "hapten.kidney_half_life"};
    if (static_cast<const PretargetingOptions&>(mo).clearing_agent)
      r.insert(r.end(), {"clearing_agent.volume", "clearing_agent.clearance", "clearing_agent.complex_removal"});
    return r;
  }
  bool uses(const std::string& name, const MechanismOptions& mo) const override {
    return name.rfind("clearing_agent.", 0) != 0 || static_cast<const PretargetingOptions&>(mo).clearing_agent;
  }
  // Amounts and molar concentrations only: no mass unit converts here.
  double molecular_weight(const AgentSpec&, const MechanismOptions&) const override { return 0.0; }
  std::string check(const AgentSpec& a, const MechanismOptions& mo) const override {
    const auto& o = static_cast<const PretargetingOptions&>(mo);
    if (a.has_mechanism("dar"))
      return "drug-to-antibody species and pretargeting together are not modelled: remove 'dar'";
    const double written = written_value(a, *this, "hapten.specific_activity", "MBq/nmol");
    const double limit = mbq_per_nmol(nuclides().get(o.nuclide).lambda_per_day);
    if (written > limit)
      return fmt::format("hapten specific activity {:.4g} MBq/nmol is above the carrier-free limit of {} ({:.4g} "
                         "MBq/nmol: one atom per hapten)",
                         written, o.nuclide, limit);
    return "";
  }
  Dependencies dependencies() const override {
    return {{}, {names::kPools}, {names::kCentral, names::kFreeFraction}};
  }
  void plan(BuildPlan& plan, const MechanismOptions& mo) const override {
    plan.layout.dar = {0, static_cast<const PretargetingOptions&>(mo).sites, 0};  // cold, labelled, free sites
    plan.layout.dose_fraction = {0.0, 0.0, 1.0};
  }
  void build(ModelBuilder& b, const BuildPlan& plan, const MechanismOptions& mo) const override {
    b.add_module(std::make_unique<Pretargeting>(b, plan, static_cast<const PretargetingOptions&>(mo)));
  }
  const char* example() const override {
    return "{nuclide: Y-90, kon: 864 /nM/day, kd: 1e-5 nM, hapten: {specific_activity: 25 MBq/nmol, volume: 5.5 mL,"
           " renal_clearance: 0.2 L/day, kidney_retention: 0.01, kidney_half_life: 6.8 h},"
           " clearing_agent: {volume: 1 mL, clearance: 45 /day, complex_removal: 45 /day}}";
  }
  const char* switched_off() const override { return "{kon: 0 /nM/day}"; }
};

}  // namespace

bool PretargetingOptions::is_valid(std::string* why) const {
  if (nuclide.empty()) {
    if (why) *why = "missing 'nuclide': the hapten's radionuclide (e.g. nuclide: Y-90)";
    return false;
  }
  return true;
}

const Mechanism& pretargeting_mechanism() {
  static const PretargetingMechanism m;
  return m;
}

std::vector<DoseForm> pretargeting_dose_forms(const AgentSpec& a) {
  const auto* o = a.options<PretargetingOptions>("pretargeting");
  if (!o) return {};
  auto weight = [&](const std::string& p) { return a.has(p) ? a.value(p) : 0.0; };
  std::vector<DoseForm> forms = {
      {"hapten", weight("pretargeting.hapten.molecular_weight"), a.value("pretargeting.hapten.specific_activity")}};
  if (o->clearing_agent)
    forms.push_back({"clearing_agent", weight("pretargeting.clearing_agent.molecular_weight"), 0.0});
  return forms;
}

}  // namespace icsim
