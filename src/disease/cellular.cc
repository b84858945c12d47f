#include "disease/cellular.h"

#include "io/yaml_doc.h"

namespace icsim {

bool CellularOptions::is_valid(std::string* /*why*/) const { return true; }

namespace {

class CellularMechanism final : public Mechanism {
 public:
  const char* section() const override { return "cellular"; }
  const char* summary() const override {
    return "the conjugate at the myeloma cell: antigen binding, internalisation, lysosomal release of the payload, "
           "its intracellular target, permeation (bystander effect), killing and ADCC; used by a scenario's disease";
  }
  std::vector<ParamDecl> parameters() const override {
    return {
        {"kon", "1/nM/day", Bound::kNonNegative, "association with the cell-surface antigen"},
        {"koff", "1/day", Bound::kNonNegative, "dissociation from the cell-surface antigen"},
        {"internalisation", "1/day", Bound::kNonNegative, "internalisation of the antigen-conjugate complex"},
        {"antigen_turnover", "1/day", Bound::kPositive,
         "turnover of free surface antigen (internalisation and shedding of unbound antigen)"},
        {"lysosomal_degradation", "1/day", Bound::kNonNegative,
         "degradation of internalised conjugate, freeing its payload in the cell"},
        {"payload_permeability", "1/day", Bound::kNonNegative,
         "passive exchange of free payload across the cell membrane (0: impermeable, e.g. cys-mcMMAF)"},
        {"payload_exchange", "1/day", Bound::kNonNegative, "exchange of payload between plasma and the tumour site",
         "59.7 /day", "Singh & Shah 2017 DM1 vascular exchange 2*P*Rcap/RKrogh^2 (P 21000 um/day, 8 um, 75 um)"},
        {"payload_partition", "1", Bound::kFraction, "tissue fraction accessible to the payload", "0.44",
         "Singh & Shah 2017 (epsilon of DM1)"},
        {"target_concentration", "nM", Bound::kNonNegative, "intracellular target of the payload (tubulin)", "65 nM",
         "Singh & Shah 2017 (intracellular tubulin)"},
        {"target_kd", "nM", Bound::kPositive, "dissociation constant of payload and its target", "0.95 nM",
         "Singh & Shah 2017 (DM1-tubulin koff/kon = 0.684/0.72)"},
        {"kill_max", "1/day", Bound::kNonNegative, "maximal kill rate by intracellular payload"},
        {"kill_ec50", "nM", Bound::kPositive, "intracellular payload (free and bound) at half the maximal kill rate"},
        {"kill_hill", "1", Bound::kPositive, "Hill coefficient of killing", "1", "default: hyperbolic Emax"},
        {"kill_delay", "day", Bound::kPositive, "mean transit time of damaged cells to death (three compartments)",
         "1 day", "Poels 2025 elranatamab QSP transit time 24 h"},
        {"cell_volume", "L", Bound::kPositive, "volume of one myeloma cell", "1.4 pL",
         "estimate: a sphere of 14 um diameter (plasma cells are 8-20 um); no myeloma-specific measurement found"},
        {"adcc_max", "1/day", Bound::kNonNegative, "Fc effector kill rate (ADCC/ADCP) at full antigen occupancy",
         "0 /day", "default: no Fc effector function"},
        {"adcc_antigen50", "1/cell", Bound::kPositive,
         "antigen density at which Fc effector kill is half its maximum", "1000 /cell",
         "estimate: ADCC needs a few hundred to thousands of bound antibodies per cell"},
    };
  }
  std::vector<std::string> option_keys() const override { return {"effector"}; }
  std::unique_ptr<MechanismOptions> default_options() const override { return std::make_unique<CellularOptions>(); }
  void read_options(const SectionInput& in, MechanismOptions& mo, AgentSpec&) const override {
    auto& o = static_cast<CellularOptions&>(mo);
    if (!in.node["effector"]) return;
    const std::string e = in.doc.text(in.node["effector"], in.key + ".effector");
    if (e == "adc") o.effector = EffectorKind::kAdc;
    else in.doc.fail(in.node["effector"], in.key + ".effector", "must be 'adc' (the only effector so far)");
  }
  std::vector<std::pair<std::string, std::string>> write_options(const MechanismOptions&) const override {
    return {{"effector", "adc"}};
  }
  std::vector<std::string> required(const MechanismOptions&) const override {
    return {"kon", "koff", "internalisation", "antigen_turnover", "lysosomal_degradation", "payload_permeability",
            "kill_max", "kill_ec50"};
  }
  Dependencies dependencies() const override { return {}; }
  void build(ModelBuilder&, const BuildPlan&, const MechanismOptions&) const override {}
  const char* example() const override {
    return "{kon: 10 /nM/day, koff: 1 /day, internalisation: 2 /day, antigen_turnover: 0.5 /day,"
           " lysosomal_degradation: 0.7 /day, payload_permeability: 0 /day, kill_max: 1 /day, kill_ec50: 10 nM}";
  }
};

}  // namespace

const Mechanism& cellular_mechanism() {
  static const CellularMechanism m;
  return m;
}

}  // namespace icsim
