// Collins 2023 M-protein tumour-growth-inhibition model (Figure 1a, Table 1):
//   dCe/dt = KEO (Cp - Ce)
//   dM/dt  = KGR M/(M + A50) (1 - M/Kmax) M - KD (1 - exp(-Slope Ce)) exp(-lambda t) M
// t from the first dose, Cp the plasma conjugate in ug/mL. Covariates (Table 1):
//   KGR (b2m/350 nmol/L)^0.219, KD 1.41^(M0 < 20 g/L), KEO 0.108^EMD (sBCMA/100 ng/mL)^-0.414.
#include "disease/collins/collins_tgi.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "core/quantity.h"
#include "pk/conjugate.h"
#include "pk/disposition/disposition.h"

namespace icsim {

namespace {

constexpr const char* kSource =
    "Collins 2023 CPT Pharmacometrics Syst Pharmacol 12:1411, Table 1 (as transcribed in nlmixr2lib "
    "Collins_2023_belantamab_mprotein)";

// Covariate model of Collins 2023 Table 1 (the equations beneath it).
constexpr double kB2mReference = 350.0;      // nmol/L
constexpr double kB2mOnKgr = 0.219;          // power
constexpr double kLowMProteinOnKd = 1.41;    // factor when baseline M-protein < 20 g/L
constexpr double kLowMProteinBelow = 20.0;   // g/L
constexpr double kEmdOnKeo = 0.108;          // factor with extramedullary disease
constexpr double kSbcmaReference = 100.0;    // ng/mL
constexpr double kSbcmaOnKeo = -0.414;       // power

class CollinsTgi final : public Module {
 public:
  CollinsTgi(ModelBuilder& b, double conjugate_mw) : ug_per_mL_per_nM_(conjugate_mw * 1e-6) {
    effect_ = b.add_state("collins_tgi.effect");    // ug/mL; carries nothing
    m_ = b.add_state("collins_tgi.m_protein");      // g/L; carries nothing
    m0_ = b.param("collins_tgi.m_protein");
    kgr_ = b.param("collins_tgi.KGR");
    kd_ = b.param("collins_tgi.KD");
    lambda_ = b.param("collins_tgi.lambda");
    slope_ = b.param("collins_tgi.slope");
    a50_ = b.param("collins_tgi.A50");
    kmax_ = b.param("collins_tgi.carrying_capacity");
    keo_ = b.param("collins_tgi.KEO");
    b2m_ = b.param("collins_tgi.b2m");
    emd_ = b.param("collins_tgi.emd");
    sbcma_ = b.param("collins_tgi.sbcma");
    kgr_i_ = b.add_derived_param("collins_tgi.KGR(b2m)");
    kd_i_ = b.add_derived_param("collins_tgi.KD(m_protein)");
    keo_i_ = b.add_derived_param("collins_tgi.KEO(emd,sbcma)");
    first_dose_ = b.add_derived_param(kFirstDoseParam);
    total_ = b.quantity(names::kPlasmaTotal);
    const int m = m_, effect = effect_;
    b.add_output({"m_protein_g_per_L", [m](const EvalContext& c) { return c.y[m]; }, OutputGroup::kOther});
    b.add_output({"collins_effect_ug_per_mL", [effect](const EvalContext& c) { return c.y[effect]; },
                  OutputGroup::kOther});
  }
  const char* name() const override { return "collins_tgi"; }

  void prepare(double* p) const override {
    p[kgr_i_] = p[kgr_] * std::pow(p[b2m_] / kB2mReference, kB2mOnKgr);
    p[kd_i_] = p[kd_] * (p[m0_] < kLowMProteinBelow ? kLowMProteinOnKd : 1.0);
    p[keo_i_] = p[keo_] * std::pow(kEmdOnKeo, p[emd_]) * std::pow(p[sbcma_] / kSbcmaReference, kSbcmaOnKeo);
  }
  double fastest_rate(const double* p) const override { return std::max({p[keo_i_], p[kgr_i_], p[kd_i_]}); }

  void initialise(const double* p, double* y) const override {
    y[effect_] = 0.0;
    y[m_] = p[m0_];
  }

  void rhs(const EvalContext& c, double* dy) const override {
    const double* p = c.p;
    const double cp = c.q[total_] * ug_per_mL_per_nM_;  // ug/mL
    const double ce = c.y[effect_], m = c.y[m_];
    dy[effect_] += p[keo_i_] * (cp - ce);
    // Collins 2023 Figure 1a: weak Allee x logistic growth; saturating kill with resistance.
    const double growth = p[kgr_i_] * m / (m + p[a50_]) * (1.0 - m / p[kmax_]);
    const double since = std::max(0.0, c.t - p[first_dose_]);
    const double kill = -p[kd_i_] * std::expm1(-p[slope_] * ce) * std::exp(-p[lambda_] * since);
    dy[m_] += (growth - kill) * m;
  }

 private:
  double ug_per_mL_per_nM_;
  int effect_, m_, m0_, kgr_, kd_, lambda_, slope_, a50_, kmax_, keo_, b2m_, emd_, sbcma_;
  int kgr_i_, kd_i_, keo_i_, first_dose_, total_;
};

class CollinsTgiMechanism final : public Mechanism {
 public:
  const char* section() const override { return "collins_tgi"; }
  const char* summary() const override {
    return "Collins 2023 empirical M-protein tumour-growth-inhibition model of belantamab mafodotin (reads the "
           "plasma conjugate, changes no PK)";
  }
  std::vector<ParamDecl> parameters() const override {
    return {
        {"m_protein", "g/L", Bound::kPositive, "baseline serum M-protein, M(0)"},
        {"KGR", "1/day", Bound::kNonNegative, "M-protein growth rate constant at b2m 350 nmol/L", "0.0174 /day",
         kSource},
        {"KD", "1/day", Bound::kNonNegative, "kill rate constant at baseline M-protein >= 20 g/L", "0.0207 /day",
         kSource},
        {"lambda", "1/day", Bound::kNonNegative, "resistance: the kill wanes as exp(-lambda t), t from the first dose",
         "0.0024 /day", kSource},
        {"slope", "mL/ug", Bound::kNonNegative, "kill saturation, 1 - exp(-slope Ce), Ce the effect-site conjugate",
         "0.619 mL/ug", kSource},
        {"A50", "g/L", Bound::kPositive, "M-protein halving the growth (weak Allee term)", "1.16 g/L",
         "Collins 2023 Methods (\"50% growth reduction at M-protein < 1.16 g/L\"); Table 1 prints ug/mL, a typo "
         "(nlmixr2lib Collins_2023_belantamab_mprotein errata)"},
        {"carrying_capacity", "g/L", Bound::kPositive, "logistic carrying capacity of M-protein", "150 g/L",
         "Collins 2023 Methods (fixed from the literature)"},
        {"KEO", "1/day", Bound::kNonNegative, "effect-compartment rate constant at sBCMA 100 ng/mL without EMD",
         "0.0284 /day", kSource},
        {"b2m", "nmol/L", Bound::kPositive, "baseline serum beta-2-microglobulin (covariate on KGR)", "350 nmol/L",
         "Collins 2023 Table 1 reference value of the KGR covariate model"},
        {"emd", "1", Bound::kFraction, "extramedullary disease: 1 with, 0 without (covariate on KEO)", "0",
         "Collins 2023 Table 1 reference category (no extramedullary disease)"},
        {"sbcma", "ng/mL", Bound::kPositive, "baseline serum soluble BCMA (covariate on KEO)", "100 ng/mL",
         "Collins 2023 Table 1 reference value of the KEO covariate model"},
    };
  }
  std::unique_ptr<MechanismOptions> default_options() const override { return std::make_unique<CollinsTgiOptions>(); }
  std::vector<std::string> required(const MechanismOptions&) const override { return {"m_protein"}; }
  // The covariates are concentrations of other molecules: a mass written for a molar
  // value (or the reverse) would be converted with the conjugate's molecular weight.
  std::string check(const AgentSpec& a, const MechanismOptions&) const override {
    for (const ParamDecl& d : parameters()) {
      auto it = a.params.find(std::string("collins_tgi.") + d.name);
      if (it == a.params.end() || std::string(d.name) == "slope") continue;
      const Quantity& q = it->second.written;
      const Unit engine = parse_unit(d.engine_unit);
      if (q.has_unit && !(q.dim == engine.dim))
        return fmt::format("collins_tgi.{} is written in '{}' ({}): write it as a {} such as '{}' (Collins 2023's "
                           "unit); it is not converted with the conjugate's molecular weight",
                           d.name, q.unit_text, describe(q.dim), describe(engine.dim), d.engine_unit);
    }
    auto emd = a.params.find("collins_tgi.emd");
    if (emd != a.params.end() && emd->second.written.value != 0.0 && emd->second.written.value != 1.0)
      return fmt::format("collins_tgi.emd must be 0 (no extramedullary disease) or 1 (extramedullary disease), not {}",
                         emd->second.written.written);
    return "";
  }
  Dependencies dependencies() const override { return {{}, {}, {names::kPlasmaTotal}}; }
  void build(ModelBuilder& b, const BuildPlan& plan, const MechanismOptions&) const override {
    b.add_module(std::make_unique<CollinsTgi>(b, plan.layout.molecular_weight));
  }
  // At the carrying capacity the drug-free M-protein is at rest (the contract's
  // drug-free steady state); below it, it grows.
  const char* example() const override { return "{m_protein: 150 g/L}"; }
  const char* switched_off() const override { return "{KD: 0 /day}"; }
};

}  // namespace

const Mechanism& collins_tgi_mechanism() {
  static const CollinsTgiMechanism m;
  return m;
}

std::vector<RandomEffectSpec> collins_tgi_random_effects() {
  const std::string src = std::string(kSource) + ", random effects";
  auto log_normal = [&](const char* p, double variance, const char* note) {
    RandomEffectSpec r;
    r.parameter = p;
    r.form = RandomEffectForm::kLogNormal;
    r.variance = variance;
    r.source = src + note;
    return r;
  };
  return {log_normal("collins_tgi.KGR", 0.677, ""),
          log_normal("collins_tgi.KD", 1.07, ""),
          log_normal("collins_tgi.lambda", 3.04, ""),
          log_normal("collins_tgi.KEO", 0.015, " (fixed)"),
          log_normal("collins_tgi.slope", 0.015, " (fixed)"),
          log_normal("collins_tgi.A50", 0.015, " (fixed)")};
}

std::vector<CovarianceSpec> collins_tgi_covariances() {
  auto cov = [](const char* a, const char* b, double c) {
    CovarianceSpec s;
    s.first = a;
    s.second = b;
    s.covariance = c;
    return s;
  };
  return {cov("collins_tgi.KGR", "collins_tgi.KD", 0.546), cov("collins_tgi.KGR", "collins_tgi.lambda", 0.217),
          cov("collins_tgi.KD", "collins_tgi.lambda", 1.12)};
}

CollinsResidualError collins_tgi_residual_error() { return {}; }

}  // namespace icsim
