// Released payload in plasma with its own 1- or 2-compartment disposition.
#include "pk/payload/payload.h"

#include "io/agent_reader.h"
#include "io/yaml_doc.h"
#include "io/yaml_text.h"
#include "pk/conjugate.h"

namespace icsim {

namespace {

class Payload final : public Module {
 public:
  Payload(ModelBuilder& b, int compartments, double mw) : two_(compartments == 2) {
    central_ = b.add_state(names::kPayloadCentral, {0.0, 1.0, 0.0});
    if (two_) peripheral_ = b.add_state("payload.peripheral", {0.0, 1.0, 0.0});
    cl_ = b.param("payload.CL");
    v1_ = b.param("payload.V1");
    q_ = b.find_param("payload.Q");
    v2_ = b.find_param("payload.V2");
    eliminated_ = b.accumulator("payload.eliminated", {0.0, 1.0, 0.0});
    const double ng_per_mL_per_nM = mw * 1e-3;
    b.add_output({"payload_plasma_ng_per_mL",
                  [this, ng_per_mL_per_nM](const EvalContext& c) { return c.y[central_] / c.p[v1_] * ng_per_mL_per_nM; },
                  OutputGroup::kPayload});
  }
  const char* name() const override { return "payload"; }

  void rhs(const EvalContext& c, double* dy) const override {
    const double conc = c.y[central_] / c.p[v1_];
    const double elim = c.p[cl_] * conc;
    dy[central_] -= elim;
    add_if(dy, eliminated_, elim);
    if (two_) {
      const double flow = c.p[q_] * (conc - c.y[peripheral_] / c.p[v2_]);
      dy[central_] -= flow;
      dy[peripheral_] += flow;
    }
  }

 private:
  bool two_;
  int central_, peripheral_ = -1, cl_, v1_, q_, v2_, eliminated_;
};

}  // namespace

bool PayloadOptions::is_valid(std::string* why) const {
  if (compartments != 1 && compartments != 2) {
    if (why) *why = "compartments must be 1 or 2";
    return false;
  }
  if (!(molecular_weight > 0.0)) {
    if (why) *why = "missing 'molecular_weight' of the payload";
    return false;
  }
  return true;
}

namespace {

class PayloadMechanism final : public Mechanism {
 public:
  const char* section() const override { return "payload"; }
  const char* summary() const override {
    return "payload released into plasma (by catabolism and deconjugation) with its own 1- or 2-compartment PK";
  }
  std::vector<ParamDecl> parameters() const override {
    return {{"CL", "L/day", Bound::kPositive, "payload clearance"},
            {"V1", "L", Bound::kPositive, "payload central volume"},
            {"Q", "L/day", Bound::kNonNegative, "payload inter-compartmental clearance"},
            {"V2", "L", Bound::kPositive, "payload peripheral volume"},
            {"release_on_catabolism", "1", Bound::kFraction,
             "fraction of the payload on catabolised conjugate released to plasma", "1",
             "default: all payload on catabolised conjugate is released"}};
  }
  std::vector<std::string> option_keys() const override { return {"name", "molecular_weight", "compartments"}; }
  std::unique_ptr<MechanismOptions> default_options() const override { return std::make_unique<PayloadOptions>(); }
  void read_options(const SectionInput& in, MechanismOptions& mo, AgentSpec&) const override {
    auto& o = static_cast<PayloadOptions&>(mo);
    const YAML::Node& m = in.node;
    if (m["name"]) o.name = in.doc.text(m["name"], in.key + ".name");
    if (m["molecular_weight"])
      o.molecular_weight = read_molecular_weight(in, m["molecular_weight"], in.key + ".molecular_weight");
    if (m["compartments"]) o.compartments = read_compartments(in, m["compartments"]);
  }
  std::vector<std::pair<std::string, std::string>> write_options(const MechanismOptions& mo) const override {
    const auto& o = static_cast<const PayloadOptions&>(mo);
    return {{"name", yaml_quote(o.name)},
            {"molecular_weight", format_exact(o.molecular_weight) + " Da"},
            {"compartments", std::to_string(o.compartments)}};
  }
  std::vector<std::string> required(const MechanismOptions& mo) const override {
    if (static_cast<const PayloadOptions&>(mo).compartments == 2) return {"CL", "V1", "Q", "V2"};
    return {"CL", "V1"};
  }
  bool uses(const std::string& name, const MechanismOptions& mo) const override {
    return (name != "Q" && name != "V2") || static_cast<const PayloadOptions&>(mo).compartments == 2;
  }
  std::string check(const AgentSpec& a, const MechanismOptions&) const override {
    if (!a.has_mechanism("dar")) return "a payload needs a 'dar' section (how many payloads each antibody carries)";
    return "";
  }
  double molecular_weight(const AgentSpec&, const MechanismOptions& mo) const override {
    return static_cast<const PayloadOptions&>(mo).molecular_weight;
  }
  Dependencies dependencies() const override { return {{names::kPayloadCentral}, {}, {}}; }
  void build(ModelBuilder& b, const BuildPlan&, const MechanismOptions& mo) const override {
    const auto& o = static_cast<const PayloadOptions&>(mo);
    b.add_module(std::make_unique<Payload>(b, o.compartments, o.molecular_weight));
  }
  const char* example() const override {
    return "{name: MMAE, molecular_weight: 718 Da, compartments: 2, CL: 50 L/day, V1: 20 L, Q: 10 L/day,"
           " V2: 40 L, release_on_catabolism: 0.8}";
  }
  std::vector<std::string> needs_sections() const override { return {"dar"}; }
  // Released payload does not act back on the conjugate.
  const char* switched_off() const override { return "{release_on_catabolism: 0}"; }
};

}  // namespace

const Mechanism& payload_mechanism() {
  static const PayloadMechanism m;
  return m;
}

}  // namespace icsim
