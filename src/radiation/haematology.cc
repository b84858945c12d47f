// Marrow toxicity (haematology.h; docs/haematology.md). The red marrow's absorbed dose
// rate is computed inside the right-hand side from the label's activities, as `icsim
// dosimetry` computes the marrow's dose after the run (radiation/dosimetry_run.h):
//
//   A_rm = ECF m_rm C_plasma + A_site        (Sgouros 1993 blood method; with a
//                                             disease the tumour's marrow site
//                                             replaces it, its fluid being the marrow's)
//   A_rb = A_body - A_rm                      (the rest of the body)
//   Ddot = A_rm S(rm <- rm) + A_rb S(rm <- remainder)
//
// with A_site the label the marrow holds itself (the tumour's marrow site, the label
// target-bearing cells took in), S from the phantom (MIRD remainder-of-body
// correction), split into its alpha and low-LET parts by the chain's energy per decay.
// The progenitors die by the linear-quadratic hazard with repair in kinetic form
// (radiobiology.h), as the tumour's cells do (disease/radionuclide_effector.cc):
//
//   h = alpha (RBE Ddot_alpha + Ddot_low) + 2 beta Ddot_low G,   dG/dt = Ddot_low - mu G
//
// which kills the proliferating cells of each lineage of Friberg 2002.
#include "radiation/haematology.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "icsim/error.h"
#include "io/agent_reader.h"
#include "io/yaml_doc.h"
#include "model/model.h"
#include "radiation/free_daughters.h"
#include "radiation/label.h"
#include "radiation/nuclide.h"
#include "radiation/organ_dosimetry.h"
#include "radiation/radiobiology.h"

namespace icsim {

namespace {

constexpr double kGyPerDayPerMGyPerSecond = 86400.0 * 1e-3;
// The lowest circulating count the feedback sees, relative to baseline: a count
// driven to round-off (or a hair below zero by the integrator) must not make the
// proliferation rate infinite.
constexpr double kFeedbackFloor = 1e-12;

const char* const kLineages[] = {"neutrophils", "platelets"};
constexpr int kLineageCount = 2;
const char* const kCompartmentNames[] = {"proliferating", "transit1", "transit2", "transit3", "circulating"};

std::string data_file() { return data_directory() + "/haematology/myelosuppression.yaml"; }

// Parameters every species' set must give; the grading limits and the lethal fraction
// are optional (mice are not graded by CTCAE).
bool optional_parameter(const std::string& name) {
  return name.find("lower_limit_normal") != std::string::npos || name == "lethal_progenitor_fraction";
}

class Myelosuppression final : public Module {
 public:
  Myelosuppression(ModelBuilder& b, const AgentSpec& agent, const HaematologyOptions& o) {
    const auto* label = agent.options<LabelOptions>("label");
    if (!label) throw std::logic_error("haematology needs a label (checked at input)");
    const radiation::NuclideLibrary& library = radiation::NuclideLibrary::shared();
    const double lambda = library.get(label->nuclide).lambda_per_day;
    // As `icsim dosimetry`: daughters counted over 20 half-lives of the label decay
    // where it did.
    const radiation::ChainEnergy chain =
        radiation::chain_energy(library, label->nuclide, 20.0 * std::log(2.0) / lambda);
    const radiation::Phantom& phantom = marrow_phantom(o.species);
    const radiation::OrganDosimetry mird(phantom, chain, label->nuclide, {"red_marrow"});
    self_ = mird.s("red_marrow", "red_marrow").mGy_per_MBq_s * kGyPerDayPerMGyPerSecond;
    cross_ = mird.s("red_marrow", "remainder").mGy_per_MBq_s * kGyPerDayPerMGyPerSecond;
    const double np = chain.nonpenetrating_MeV();
    alpha_share_ = np > 0.0 ? chain.energy_MeV[static_cast<int>(radiation::Emission::kAlpha)] / np : 0.0;
    // The blood method's plasma volume in the marrow (L, at 1 g/mL); none with a
    // disease, whose marrow site holds the marrow's fluid.
    blood_L_ = agent.has_mechanism("disease") ? 0.0 : phantom.marrow_ecf_fraction * phantom.mass("red_marrow") * 1e-3;
    // Label on antibody in fluid whose daughters are released keeps only the energy
    // of what decays before them (icsim dosimetry's in-place share); the free
    // daughters' own doses to the marrow are not counted (docs/haematology.md).
    if (label->daughters == LabelOptions::Daughters::kReleased) {
      const radiation::FreeChain free = radiation::free_chain(library, radiation::FreeDaughterData::shared(), label->nuclide);
      blood_L_ *= free.in_place_MeV() / free.chain_MeV();
    }

    body_ = b.quantity(names::kBodyActivity);
    site_ = b.quantity(names::kMarrowSiteActivity);
    plasma_ = b.quantity(names::kPlasmaActivity);
    repair_ = b.add_state("haematology.repair_integral");
    dose_ = b.add_state(names::kMarrowDose);
    for (int l = 0; l < kLineageCount; ++l) {
      const std::string lineage = kLineages[l], prefix = "haematology." + lineage + ".";
      first_[l] = b.add_state(prefix + kCompartmentNames[0]);  // the others follow it
      for (int k = 1; k < haematology::kCompartments; ++k) b.add_state(prefix + kCompartmentNames[k]);
      baseline_[l] = b.param(prefix + "baseline");
      mtt_[l] = b.param(prefix + "mtt");
      gamma_[l] = b.param(prefix + "gamma");
      ktr_[l] = b.add_derived_param(prefix + "ktr");
    }
    alpha_ = b.param("haematology.progenitors.alpha");
    alpha_beta_ = b.param("haematology.progenitors.alpha_beta");
    repair_half_time_ = b.param("haematology.progenitors.repair_half_time");
    beta_ = b.add_derived_param("haematology.progenitors.beta");
    mu_ = b.add_derived_param("haematology.progenitors.repair_rate");
    // The agent's RBE for alpha particles where its cellular section gives one (the
    // tumour's effector uses it too), else the radiobiology library's.
    rbe_param_ = b.find_param("cellular.alpha_rbe");
    rbe_default_ = radiation::AlphaRbeOptions{}.constant;

    b.add_output({names::kNeutrophilsColumn,
                  [this](const EvalContext& c) { return c.y[first_[0] + haematology::kCirculating]; }});
    b.add_output({names::kPlateletsColumn,
                  [this](const EvalContext& c) { return c.y[first_[1] + haematology::kCirculating]; }});
    b.add_output({names::kMarrowDoseColumn, [this](const EvalContext& c) { return c.y[dose_]; }});
    b.add_output({names::kMarrowDoseRateColumn, [this](const EvalContext& c) { return dose_rate(c); }});
    b.add_output({names::kProgenitorsColumn, [this](const EvalContext& c) {
                    return c.y[first_[0] + haematology::kProliferating] / c.p[baseline_[0]];
                  }});
  }

  const char* name() const override { return "myelosuppression"; }

  void prepare(double* p) const override {
    for (int l = 0; l < kLineageCount; ++l) p[ktr_[l]] = 4.0 / p[mtt_[l]];  // Friberg 2002: n + 1 = 4 compartments
    p[beta_] = p[alpha_] / p[alpha_beta_];
    p[mu_] = std::log(2.0) / p[repair_half_time_];
  }

  void initialise(const double* p, double* y) const override {
    // Friberg's steady state (kprol = ktr = kcirc): every compartment at the baseline count.
    for (int l = 0; l < kLineageCount; ++l)
      for (int k = 0; k < haematology::kCompartments; ++k) y[first_[l] + k] = p[baseline_[l]];
  }

  double fastest_rate(const double* p) const override {
    return std::max({std::log(2.0) / p[repair_half_time_], 4.0 / p[mtt_[0]], 4.0 / p[mtt_[1]]});
  }

  void rhs(const EvalContext& c, double* dy) const override {
    const double* p = c.p;
    const double rate = dose_rate(c), alpha_rate = alpha_share_ * rate, low_rate = rate - alpha_rate;
    const double g = c.y[repair_];
    const double rbe = rbe_param_ >= 0 ? p[rbe_param_] : rbe_default_;
    const double hazard = radiation::alpha_hazard_per_day(p[alpha_], rbe, alpha_rate) +
                          radiation::lq_hazard_per_day(p[alpha_], p[beta_], low_rate, g);
    dy[repair_] += radiation::lq_gamma_rate_Gy_per_day(low_rate, g, p[mu_]);
    dy[dose_] += rate;
    for (int l = 0; l < kLineageCount; ++l)
      haematology::add_lineage_rhs({p[baseline_[l]], p[ktr_[l]], p[gamma_[l]]}, c.y + first_[l], hazard,
                                   dy + first_[l]);
  }

 private:
  // Gy/day to the red marrow from the activities the label published (derive).
  double dose_rate(const EvalContext& c) const {
    const double marrow = std::max(0.0, blood_L_ * c.q[plasma_] + c.q[site_]);
    const double rest = std::max(0.0, c.q[body_] - marrow);
    return marrow * self_ + rest * cross_;
  }

  double self_ = 0, cross_ = 0, alpha_share_ = 0, blood_L_ = 0, rbe_default_ = 0;
  int body_ = -1, site_ = -1, plasma_ = -1, repair_ = -1, dose_ = -1;
  int first_[kLineageCount] = {-1, -1}, baseline_[kLineageCount] = {}, mtt_[kLineageCount] = {},
      gamma_[kLineageCount] = {}, ktr_[kLineageCount] = {};
  int alpha_ = -1, alpha_beta_ = -1, repair_half_time_ = -1, beta_ = -1, mu_ = -1, rbe_param_ = -1;
};

class HaematologyMechanism final : public Mechanism {
 public:
  const char* section() const override { return "haematology"; }
  const char* summary() const override {
    return "marrow toxicity of a radioimmunoconjugate: the red marrow's dose rate kills the progenitors of "
           "neutrophils and platelets (Friberg 2002 model), graded by CTCAE v5 (a scenario section)";
  }
  bool in_scenario() const override { return true; }
  std::vector<ParamDecl> parameters() const override {
    return {
        {"neutrophils.baseline", "1/nL", Bound::kPositive, "circulating neutrophils at baseline (1/nL = 1e9/L)"},
        {"neutrophils.mtt", "day", Bound::kPositive, "mean transit time from the proliferating cells to the blood"},
        {"neutrophils.gamma", "1", Bound::kNonNegative, "feedback exponent of the circulating count on proliferation"},
        {"neutrophils.lower_limit_normal", "1/nL", Bound::kPositive,
         "lower limit of normal of the neutrophil count (CTCAE grade 1)"},
        {"platelets.baseline", "1/nL", Bound::kPositive, "circulating platelets at baseline (1/nL = 1e9/L)"},
        {"platelets.mtt", "day", Bound::kPositive, "mean transit time from the proliferating cells to the blood"},
        {"platelets.gamma", "1", Bound::kNonNegative, "feedback exponent of the circulating count on proliferation"},
        {"platelets.lower_limit_normal", "1/nL", Bound::kPositive,
         "lower limit of normal of the platelet count (CTCAE grade 1)"},
        {"progenitors.alpha", "1/Gy", Bound::kNonNegative,
         "linear-quadratic alpha of the marrow progenitors (low-LET radiation)"},
        {"progenitors.alpha_beta", "Gy", Bound::kPositive, "alpha/beta of the marrow progenitors"},
        {"progenitors.repair_half_time", "day", Bound::kPositive,
         "half-time of the repair of sublethal damage in the progenitors"},
        {"lethal_progenitor_fraction", "1", Bound::kFraction,
         "fraction of the baseline progenitors at or below which an animal dies of marrow failure (survival)"},
    };
  }
  std::unique_ptr<MechanismOptions> default_options() const override { return std::make_unique<HaematologyOptions>(); }
  std::vector<std::string> required(const MechanismOptions&) const override {
    std::vector<std::string> out;
    for (const ParamDecl& d : parameters())
      if (!optional_parameter(d.name)) out.emplace_back(d.name);
    return out;
  }
  std::string check(const AgentSpec& a, const MechanismOptions& mo) const override {
    if (!a.has_mechanism("label"))
      return fmt::format("haematology needs a labelled agent: '{}' has no 'label:' section (label: {{nuclide: ..., "
                         "specific_activity: ...}}); the marrow's dose comes from the label",
                         a.id);
    try {
      marrow_phantom(static_cast<const HaematologyOptions&>(mo).species);
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  }
  Dependencies dependencies() const override {
    return {{}, {}, {names::kBodyActivity, names::kMarrowSiteActivity, names::kPlasmaActivity}};
  }
  void build(ModelBuilder& b, const BuildPlan& plan, const MechanismOptions& mo) const override {
    b.add_module(std::make_unique<Myelosuppression>(b, plan.agent, static_cast<const HaematologyOptions&>(mo)));
  }
  // The contract suite gives 3 mg/kg twice at the label example's 370 MBq/mg, some
  // 150 GBq: progenitors 1/80 as sensitive as the data's keep the counts where the
  // solvers' absolute tolerance (in nmol) does not decide their digits.
  const char* example() const override { return "{progenitors: {alpha: 0.01 /Gy}}"; }
  std::vector<std::string> needs_sections() const override { return {"label"}; }
};

}  // namespace

bool HaematologyOptions::is_valid(std::string* why) const {
  if (species == "human" || species == "mouse") return true;
  if (why) *why = fmt::format("no haematology parameters for species '{}' (human or mouse)", species);
  return false;
}

std::vector<ParamSpec> myelosuppression_parameters(const std::string& species) {
  const std::string path = data_file();
  const YAML::Node root = load_yaml_file(path);
  reject_duplicate_keys(root, path, "");
  const YamlDoc doc(path);
  doc.check_keys(root, "", {"human", "mouse"});
  if (!root[species]) doc.fail(root, species, "no parameter set for this species");
  const YAML::Node set = root[species];
  const Mechanism& m = haematology_mechanism();
  // The set is written as the scenario section is: subsections of dotted names.
  std::vector<std::string> top;
  for (const ParamDecl& d : m.parameters()) {
    const std::string name = d.name, first = name.substr(0, name.find('.'));
    if (std::find(top.begin(), top.end(), first) == top.end()) top.push_back(first);
  }
  doc.check_keys(set, species, top);
  std::vector<ParamSpec> out;
  for (const ParamDecl& d : m.parameters()) {
    const std::string name = d.name;
    const size_t dot = name.find('.');
    const std::string sub = name.substr(0, dot);
    if (dot != std::string::npos) {
      if (!set[sub]) doc.fail(set, species + "." + sub, "missing");
      std::vector<std::string> leaves;
      for (const ParamDecl& e : m.parameters())
        if (std::string(e.name).rfind(sub + ".", 0) == 0) leaves.push_back(std::string(e.name).substr(dot + 1));
      doc.check_keys(set[sub], species + "." + sub, leaves);
    }
    // Read, never assigned to: a YAML::Node assigned to writes into what it refers to.
    const YAML::Node node = dot == std::string::npos ? set[name] : set[sub][name.substr(dot + 1)];
    const std::string key = species + "." + name;
    if (!node) {
      if (optional_parameter(name)) continue;
      doc.fail(set, key, "missing");
    }
    doc.check_keys(node, key, {"value", "source"});
    if (!node["value"] || !node["source"]) doc.fail(node, key, "write it as {value: ..., source: ...}");
    ParamSpec p;
    p.name = std::string(m.section()) + "." + name;
    p.written = doc.quantity(node["value"], key + ".value");
    p.source = doc.text(node["source"], key + ".source");
    p.origin = doc.origin(node["value"], key);
    out.push_back(p);
  }
  return out;
}

const radiation::Phantom& marrow_phantom(const std::string& species) {
  static const radiation::Phantom human = radiation::Phantom::for_species("human");
  static const radiation::Phantom mouse = radiation::Phantom::for_species("mouse");
  if (species == "human") return human;
  if (species == "mouse") return mouse;
  throw std::invalid_argument(fmt::format("no phantom for a {}: the marrow's dose rate needs its red-marrow S-values",
                                          species));
}

namespace haematology {

void add_lineage_rhs(const Lineage& l, const double* x, double hazard_per_day, double* dx) {
  const double circ = std::max(x[kCirculating], kFeedbackFloor * l.baseline);
  const double feedback = std::pow(l.baseline / circ, l.gamma);
  // Only cells that exist proliferate: an integrator's undershoot below zero decays
  // back instead of being amplified by the feedback.
  const double prol = x[kProliferating];
  dx[kProliferating] += l.ktr * std::max(0.0, prol) * feedback - l.ktr * prol - hazard_per_day * prol;
  dx[kTransit1] += l.ktr * (x[kProliferating] - x[kTransit1]);
  dx[kTransit2] += l.ktr * (x[kTransit1] - x[kTransit2]);
  dx[kTransit3] += l.ktr * (x[kTransit2] - x[kTransit3]);
  dx[kCirculating] += l.ktr * (x[kTransit3] - x[kCirculating]);
}

// CTCAE v5.0 (2017), Investigations: "Neutrophil count decreased" and "Platelet count
// decreased", thresholds in 1e9/L.
int neutropenia_grade(double count, double lower_limit_normal) {
  return count < 0.5 ? 4 : count < 1.0 ? 3 : count < 1.5 ? 2 : count < lower_limit_normal ? 1 : 0;
}

int thrombocytopenia_grade(double count, double lower_limit_normal) {
  return count < 25.0 ? 4 : count < 50.0 ? 3 : count < 75.0 ? 2 : count < lower_limit_normal ? 1 : 0;
}

}  // namespace haematology

const Mechanism& haematology_mechanism() {
  static const HaematologyMechanism m;
  return m;
}

}  // namespace icsim
