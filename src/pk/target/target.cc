// Target-mediated drug disposition: full model and quasi-steady-state approximation.
#include <algorithm>
#include <cmath>
#include <string>

#include "pk/target/target.h"

#include "io/agent_reader.h"
#include "io/yaml_doc.h"
#include "io/yaml_text.h"
#include "pk/conjugate.h"

namespace icsim {

namespace {

// Target parameters shared by both forms. Baseline target R0 is either given
// directly or follows from synthesis: R0 = ksyn / kdeg.
struct TargetParams {
  int kdeg, kint, baseline, synthesis;
  bool synthesis_given;
  TargetParams(const ModelBuilder& b, bool syn)
      : kdeg(b.param("target.kdeg")),
        kint(b.param("target.kint")),
        baseline(b.find_param("target.baseline")),
        synthesis(b.find_param("target.synthesis")),
        synthesis_given(syn) {}
  double r0(const double* p) const { return synthesis_given ? p[synthesis] / p[kdeg] : p[baseline]; }
  double ksyn(const double* p) const { return synthesis_given ? p[synthesis] : p[baseline] * p[kdeg]; }
};

// Mager & Jusko 2001, in amounts within the central volume V1:
//   dA/dt  = ... - kon*A*R/V1 + koff*RC
//   dR/dt  = ksyn*V1 - kdeg*R - kon*A*R/V1 + koff*RC
//   dRC/dt = kon*A*R/V1 - (koff + kint)*RC
class TmddFull final : public Module {
 public:
  TmddFull(ModelBuilder& b, const ConjugateLayout& layout, bool syn)
      : tp_(b, syn), dar_(layout.dar) {
    free_target_ = b.add_state("target.free");
    central_ = central_states(b, layout);
    complex_ = add_conjugate_pool(b, layout, "target.complex");
    b.set_binds_conjugate();
    kon_ = b.param("target.kon");
    koff_ = b.param("target.koff");
    v1_ = b.param("disposition.V1");
    total_ = b.quantity(names::kPlasmaTotal);
    internalised_ = b.accumulator("target.internalised", {1.0, 0.0, 0.0});
    payload_internalised_ = b.accumulator("payload.internalised", {0.0, 1.0, 0.0});
    b.add_output({"target_free_nM", [this](const EvalContext& c) { return c.y[free_target_] / c.p[v1_]; },
                  OutputGroup::kBindingPartner});
    b.add_output({"target_total_nM",
                  [this](const EvalContext& c) {
                    double sum = c.y[free_target_];
                    for (int i : complex_) sum += c.y[i];
                    return sum / c.p[v1_];
                  },
                  OutputGroup::kBindingPartner});
  }
  const char* name() const override { return "tmdd_full"; }
  double fastest_rate(const double* p) const override {
    return std::max({p[kon_] * tp_.r0(p), p[koff_] + p[tp_.kint], p[tp_.kdeg]});
  }

  void initialise(const double* p, double* y) const override { y[free_target_] = tp_.r0(p) * p[v1_]; }

  void derive(EvalContext& c) const override {
    double sum = 0.0;
    for (int i : complex_) sum += c.y[i];
    c.q[total_] += sum / c.p[v1_];
  }

  void rhs(const EvalContext& c, double* dy) const override {
    const double* p = c.p;
    const double v1 = p[v1_], kon = p[kon_], koff = p[koff_], kint = p[tp_.kint];
    const double r = c.y[free_target_];
    double net_binding = 0.0;
    for (size_t s = 0; s < complex_.size(); ++s) {
      const double rc = c.y[complex_[s]];
      const double bind = kon * c.y[central_[s]] * r / v1 - koff * rc;
      dy[central_[s]] -= bind;
      dy[complex_[s]] += bind - kint * rc;
      net_binding += bind;
      add_if(dy, internalised_, kint * rc);
      add_if(dy, payload_internalised_, dar_[s] * kint * rc);
    }
    dy[free_target_] += tp_.ksyn(p) * v1 - p[tp_.kdeg] * r - net_binding;
  }

 private:
  TargetParams tp_;
  std::vector<int> dar_, central_, complex_;
  int free_target_, kon_, koff_, v1_, total_, internalised_, payload_internalised_;
};

// Gibiansky et al. 2008 QSS: the central state holds total conjugate (free + bound),
// the target state total target; free drug solves the QSS quadratic
//   C = 0.5 * (b + sqrt(b^2 + 4*Kss*Ctot)),  b = Ctot - Rtot - Kss,
// written in the form without cancellation when b < 0.
class TmddQss final : public Module {
 public:
  TmddQss(ModelBuilder& b, const ConjugateLayout& layout, bool syn) : tp_(b, syn), dar_(layout.dar) {
    total_target_ = b.add_state("target.total");
    central_ = central_states(b, layout);
    b.set_binds_conjugate();
    kss_ = b.param("target.Kss");
    v1_ = b.param("disposition.V1");
    ff_ = b.quantity(names::kFreeFraction);
    complex_ = b.add_quantity("target.complex_nM");
    internalised_ = b.accumulator("target.internalised", {1.0, 0.0, 0.0});
    payload_internalised_ = b.accumulator("payload.internalised", {0.0, 1.0, 0.0});
    b.add_output({"target_free_nM",
                  [this](const EvalContext& c) { return c.y[total_target_] / c.p[v1_] - c.q[complex_]; },
                  OutputGroup::kBindingPartner});
    b.add_output({"target_total_nM", [this](const EvalContext& c) { return c.y[total_target_] / c.p[v1_]; },
                  OutputGroup::kBindingPartner});
  }
  const char* name() const override { return "tmdd_qss"; }

  void initialise(const double* p, double* y) const override { y[total_target_] = tp_.r0(p) * p[v1_]; }

  void derive(EvalContext& c) const override {
    const double v1 = c.p[v1_], kss = c.p[kss_];
    double amount = 0.0;
    for (int i : central_) amount += c.y[i];
    const double ctot = std::max(amount / v1, 0.0);
    const double rtot = std::max(c.y[total_target_] / v1, 0.0);
    const double bq = ctot - rtot - kss;
    const double root = std::sqrt(bq * bq + 4.0 * kss * ctot);
    const double free = bq >= 0.0 ? 0.5 * (bq + root) : (root - bq > 0.0 ? 2.0 * kss * ctot / (root - bq) : 0.0);
    c.q[complex_] = ctot - free;
    c.q[ff_] = ctot > 0.0 ? free / ctot : 1.0;
  }

  void rhs(const EvalContext& c, double* dy) const override {
    const double* p = c.p;
    const double v1 = p[v1_];
    const double complex_amount = c.q[complex_] * v1;
    const double internalisation = p[tp_.kint] * complex_amount;
    double amount = 0.0;
    for (int i : central_) amount += c.y[i];
    if (amount > 0.0) {
      for (size_t s = 0; s < central_.size(); ++s) {
        const double share = c.y[central_[s]] / amount;  // species bind alike
        dy[central_[s]] -= internalisation * share;
        add_if(dy, payload_internalised_, dar_[s] * internalisation * share);
      }
    }
    add_if(dy, internalised_, internalisation);
    dy[total_target_] += tp_.ksyn(p) * v1 - p[tp_.kdeg] * (c.y[total_target_] - complex_amount) - internalisation;
  }

 private:
  TargetParams tp_;
  std::vector<int> dar_, central_;
  int total_target_, kss_, v1_, ff_, complex_, internalised_, payload_internalised_;
};

}  // namespace

bool TargetOptions::is_valid(std::string* why) const {
  if (model == TmddMode::kUnset) {
    if (why) *why = "missing 'model' (full or qss)";
    return false;
  }
  if (molecular_weight < 0.0) {
    if (why) *why = "the target's molecular weight must be > 0";
    return false;
  }
  return true;
}

const char* to_string(TmddMode m) {
  switch (m) {
    case TmddMode::kUnset: return "unset";
    case TmddMode::kNone: return "none";
    case TmddMode::kFull: return "full";
    case TmddMode::kQss: return "qss";
  }
  return "";
}

namespace {

class TargetMechanism final : public Mechanism {
 public:
  const char* section() const override { return "target"; }
  const char* summary() const override {
    return "membrane target binding the conjugate in plasma: full TMDD (Mager & Jusko 2001) or its "
           "quasi-steady-state form (Gibiansky 2008)";
  }
  std::vector<ParamDecl> parameters() const override {
    return {{"kon", "1/nM/day", Bound::kPositive, "association rate constant"},
            {"koff", "1/day", Bound::kNonNegative, "dissociation rate constant"},
            {"kint", "1/day", Bound::kNonNegative, "internalisation of the drug-target complex"},
            {"kdeg", "1/day", Bound::kPositive, "degradation of free target"},
            {"baseline", "nM", Bound::kNonNegative, "drug-free target concentration R0"},
            {"synthesis", "nM/day", Bound::kNonNegative, "target synthesis ksyn (R0 = ksyn/kdeg)"},
            {"Kss", "nM", Bound::kPositive, "quasi-steady-state constant (koff + kint)/kon"}};
  }
  std::vector<std::string> option_keys() const override { return {"model", "molecular_weight"}; }
  std::unique_ptr<MechanismOptions> default_options() const override { return std::make_unique<TargetOptions>(); }
  void read_options(const SectionInput& in, MechanismOptions& mo, AgentSpec& a) const override {
    auto& o = static_cast<TargetOptions&>(mo);
    const YAML::Node& m = in.node;
    if (m["model"]) {
      const std::string mode = in.doc.text(m["model"], in.key + ".model");
      if (mode == "full") o.model = TmddMode::kFull;
      else if (mode == "qss") o.model = TmddMode::kQss;
      else if (mode == "none") o.model = TmddMode::kNone;
      else in.doc.fail(m["model"], in.key + ".model", "must be 'full', 'qss' or 'none'");
    } else if (o.model == TmddMode::kUnset) {
      in.doc.fail(m, in.key, "missing 'model' (full or qss)");
    }
    if (m["molecular_weight"])
      o.molecular_weight = read_molecular_weight(in, m["molecular_weight"], in.key + ".molecular_weight");
    if (m["synthesis"]) o.synthesis_given = true;
    if (m["baseline"]) o.synthesis_given = false;
    if (m["synthesis"] && m["baseline"]) in.doc.fail(m, in.key, "give either 'baseline' or 'synthesis', not both");
    if (m["synthesis"]) a.params.erase("target.baseline");
    if (m["baseline"]) a.params.erase("target.synthesis");
  }
  std::vector<std::pair<std::string, std::string>> write_options(const MechanismOptions& mo) const override {
    const auto& o = static_cast<const TargetOptions&>(mo);
    std::vector<std::pair<std::string, std::string>> out = {{"model", to_string(o.model)}};
    if (o.molecular_weight > 0) out.emplace_back("molecular_weight", format_exact(o.molecular_weight) + " Da");
    return out;  // baseline or synthesis is written with the parameters
  }
  bool active(const MechanismOptions& mo) const override {
    return static_cast<const TargetOptions&>(mo).model != TmddMode::kNone;
  }
  std::vector<std::string> required(const MechanismOptions& mo) const override {
    const auto& o = static_cast<const TargetOptions&>(mo);
    std::vector<std::string> r = {"kint", "kdeg"};
    if (o.model == TmddMode::kFull) r.insert(r.end(), {"kon", "koff"});
    if (o.model == TmddMode::kQss) r.push_back("Kss");
    return r;
  }
  std::string check(const AgentSpec& a, const MechanismOptions&) const override {
    if (!a.has("target.baseline") && !a.has("target.synthesis")) return "the target needs 'baseline' or 'synthesis'";
    return "";
  }
  // Only the target's own: a target value in mg/L read silently with the
  // conjugate's weight was a trap, so mass units need target.molecular_weight (0:
  // none, and finalise_agent names the parameter that needs it).
  double molecular_weight(const AgentSpec&, const MechanismOptions& mo) const override {
    return static_cast<const TargetOptions&>(mo).molecular_weight;
  }
  Dependencies dependencies() const override {
    return {{}, {names::kPlasmaTotal, names::kPools, names::kFreeFraction}, {names::kCentral}};
  }
  void build(ModelBuilder& b, const BuildPlan& plan, const MechanismOptions& mo) const override {
    const auto& o = static_cast<const TargetOptions&>(mo);
    if (o.model == TmddMode::kFull) b.add_module(std::make_unique<TmddFull>(b, plan.layout, o.synthesis_given));
    else b.add_module(std::make_unique<TmddQss>(b, plan.layout, o.synthesis_given));
    add_free_conjugate_output(b, plan.layout);
  }
  const char* example() const override {
    return "{model: full, kon: 5 /nM/day, koff: 2 /day, kint: 3 /day, kdeg: 1.5 /day, baseline: 2 nM}";
  }
  const char* switched_off() const override { return "{baseline: 0 nM}"; }
};

}  // namespace

const Mechanism& target_mechanism() {
  static const TargetMechanism m;
  return m;
}

}  // namespace icsim
