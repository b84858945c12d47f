// Soluble (shed) antigen, e.g. sBCMA: produced and eliminated on its own, binds
// free conjugate in plasma; the complex is eliminated at its own rate, so the
// antigen acts as a sink (soluble-receptor block of the sHER2 models, SCIENCE.md 2.3).
#include <algorithm>
#include <string>

#include "pk/soluble_antigen/soluble_antigen.h"

#include "disease/disease.h"
#include "io/agent_reader.h"
#include "io/yaml_doc.h"
#include "io/yaml_text.h"
#include "pk/conjugate.h"

namespace icsim {

namespace {

class SolubleAntigen final : public Module {
 public:
  SolubleAntigen(ModelBuilder& b, const ConjugateLayout& layout, double antigen_mw) : dar_(layout.dar) {
    free_ = b.add_state("soluble_antigen.free");
    central_ = central_states(b, layout);
    complex_ = add_conjugate_pool(b, layout, "soluble_antigen.complex");
    b.set_binds_conjugate();
    baseline_ = b.param("soluble_antigen.baseline");
    kdeg_ = b.param("soluble_antigen.kdeg");
    kon_ = b.param("soluble_antigen.kon");
    koff_ = b.param("soluble_antigen.koff");
    kel_ = b.param("soluble_antigen.complex_elimination");
    v1_ = b.param("disposition.V1");
    ff_ = b.quantity(names::kFreeFraction);
    total_ = b.quantity(names::kPlasmaTotal);
    eliminated_ = b.accumulator("soluble_antigen.complex_eliminated", {1.0, 0.0, 0.0});
    payload_lost_ = b.accumulator("payload.lost", {0.0, 1.0, 0.0});
    const double ng_per_mL_per_nM = antigen_mw * 1e-3;
    b.add_output({"soluble_antigen_free_ng_per_mL",
                  [this, ng_per_mL_per_nM](const EvalContext& c) { return c.y[free_] / c.p[v1_] * ng_per_mL_per_nM; },
                  OutputGroup::kBindingPartner});
  }
  void link(ModelBuilder& b) override {
    payload_ = b.find_state(names::kPayloadCentral);
    release_ = b.find_param("payload.release_on_catabolism");
    burden_ = b.find_quantity(names::kBurdenRatio);
    from_tumour_ = b.find_param("disease.shed_antigen_from_tumour");
  }
  const char* name() const override { return "soluble_antigen"; }
  double fastest_rate(const double* p) const override {
    return std::max({p[kon_] * p[baseline_], p[koff_] + p[kel_], p[kdeg_]});
  }

  void initialise(const double* p, double* y) const override { y[free_] = p[baseline_] * p[v1_]; }

  void derive(EvalContext& c) const override {
    double sum = 0.0;
    for (int i : complex_) sum += c.y[i];
    c.q[total_] += sum / c.p[v1_];
  }

  void rhs(const EvalContext& c, double* dy) const override {
    const double* p = c.p;
    const double v1 = p[v1_], kon = p[kon_], koff = p[koff_], kel = p[kel_], kdeg = p[kdeg_];
    const double ff = c.q[ff_], sag = c.y[free_];
    double net_binding = 0.0, payload_released = 0.0;
    for (size_t s = 0; s < complex_.size(); ++s) {
      const double rc = c.y[complex_[s]];
      const double bind = kon * c.y[central_[s]] * ff * sag / v1 - koff * rc;
      dy[central_[s]] -= bind;
      dy[complex_[s]] += bind - kel * rc;
      net_binding += bind;
      add_if(dy, eliminated_, kel * rc);
      payload_released += dar_[s] * kel * rc;
    }
    // sS0 is the drug-free steady state: synthesis = kdeg * baseline. With a tumour,
    // the part it sheds follows its burden (1 at baseline).
    const double shed = burden_ >= 0 ? 1.0 + p[from_tumour_] * (c.q[burden_] - 1.0) : 1.0;
    dy[free_] += kdeg * p[baseline_] * v1 * shed - kdeg * sag - net_binding;
    const double release = (payload_ >= 0 && release_ >= 0) ? p[release_] : 0.0;
    add_if(dy, payload_, release * payload_released);
    add_if(dy, payload_lost_, (1.0 - release) * payload_released);
  }

 private:
  std::vector<int> dar_, central_, complex_;
  int free_, baseline_, kdeg_, kon_, koff_, kel_, v1_, ff_, total_, eliminated_, payload_lost_;
  int payload_ = -1, release_ = -1, burden_ = -1, from_tumour_ = -1;
};

}  // namespace

bool SolubleAntigenOptions::is_valid(std::string* why) const {
  if (!(molecular_weight > 0.0)) {
    if (why) *why = "missing 'molecular_weight' of the soluble antigen";
    return false;
  }
  return true;
}

namespace {

class SolubleAntigenMechanism final : public Mechanism {
 public:
  const char* section() const override { return "soluble_antigen"; }
  const char* summary() const override {
    return "soluble (shed) antigen such as sBCMA that binds the conjugate in plasma and acts as a sink";
  }
  std::vector<ParamDecl> parameters() const override {
    return {{"baseline", "nM", Bound::kNonNegative, "drug-free soluble antigen"},
            {"kdeg", "1/day", Bound::kPositive, "elimination of free soluble antigen"},
            {"kon", "1/nM/day", Bound::kNonNegative, "association with the conjugate"},
            {"koff", "1/day", Bound::kNonNegative, "dissociation"},
            {"complex_elimination", "1/day", Bound::kNonNegative, "elimination of the complex"}};
  }
  std::vector<std::string> option_keys() const override {
    return {"molecular_weight", "name", "baseline_from_covariate"};
  }
  std::unique_ptr<MechanismOptions> default_options() const override {
    return std::make_unique<SolubleAntigenOptions>();
  }
  void read_options(const SectionInput& in, MechanismOptions& mo, AgentSpec&) const override {
    auto& o = static_cast<SolubleAntigenOptions&>(mo);
    if (in.node["molecular_weight"])
      o.molecular_weight = read_molecular_weight(in, in.node["molecular_weight"], in.key + ".molecular_weight");
    if (in.node["name"]) o.name = in.doc.text(in.node["name"], in.key + ".name");
    if (in.node["baseline_from_covariate"])
      o.baseline_from_covariate = in.doc.boolean(in.node["baseline_from_covariate"], in.key + ".baseline_from_covariate");
  }
  std::vector<std::pair<std::string, std::string>> write_options(const MechanismOptions& mo) const override {
    const auto& o = static_cast<const SolubleAntigenOptions&>(mo);
    std::vector<std::pair<std::string, std::string>> out = {
        {"molecular_weight", format_exact(o.molecular_weight) + " Da"},
        {"baseline_from_covariate", o.baseline_from_covariate ? "true" : "false"}};
    if (!o.name.empty()) out.emplace_back("name", yaml_quote(o.name));
    return out;
  }
  std::vector<std::string> required(const MechanismOptions&) const override {
    return {"baseline", "kdeg", "kon", "koff", "complex_elimination"};
  }
  double molecular_weight(const AgentSpec&, const MechanismOptions& mo) const override {
    return static_cast<const SolubleAntigenOptions&>(mo).molecular_weight;
  }
  Dependencies dependencies() const override {
    return {{}, {names::kPlasmaTotal, names::kPools}, {names::kCentral, names::kFreeFraction, names::kBurdenRatio}};
  }
  void build(ModelBuilder& b, const BuildPlan& plan, const MechanismOptions& mo) const override {
    const auto& o = static_cast<const SolubleAntigenOptions&>(mo);
    b.add_module(std::make_unique<SolubleAntigen>(b, plan.layout, o.molecular_weight));
    add_free_conjugate_output(b, plan.layout);
  }
  const char* example() const override {
    return "{molecular_weight: 6 kDa, baseline: 50 ng/mL, kdeg: 0.46 /h, kon: 10 /nM/day, koff: 5 /day,"
           " complex_elimination: 0.3 /day}";
  }
  const char* switched_off() const override { return "{kon: 0 /nM/day}"; }
};

}  // namespace

const Mechanism& soluble_antigen_mechanism() {
  static const SolubleAntigenMechanism m;
  return m;
}

}  // namespace icsim
