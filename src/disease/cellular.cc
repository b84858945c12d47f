#include "disease/cellular.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "io/yaml_doc.h"
#include "radiation/cell_dosimetry.h"

namespace icsim {

bool CellularOptions::is_valid(std::string* /*why*/) const { return true; }

namespace {

bool radionuclide(const MechanismOptions& mo) {
  return static_cast<const CellularOptions&>(mo).effector == EffectorKind::kRadionuclide;
}

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
        // The radionuclide effector (effector: radionuclide).
        {"lq_alpha", "1/Gy", Bound::kNonNegative, "linear-quadratic alpha of myeloma cells (low-LET radiation)",
         "0.91 /Gy",
         "estimate: not published for myeloma cells in the sources read; 1/D0 with D0 1.1 Gy for a mouse plasma-cell "
         "tumour (Bergsagel, as cited by Frassica & Jacobs), the survival curve taken as shoulderless "
         "(src/radiation/radiobiology.cc, tissue 'myeloma')"},
        {"lq_beta", "1/Gy^2", Bound::kNonNegative, "linear-quadratic beta of myeloma cells", "0.091 /Gy^2",
         "estimate: alpha/beta 10 Gy, the usual value for tumours (Fowler 1989)"},
        {"repair_half_time", "day", Bound::kPositive, "half-time of sublethal damage repair", "0.5 h",
         "estimate: haemopoietic cells repair little sublethal damage (Peters 1979); 0.5-2 h in the literature "
         "(docs/radiobiology.md)"},
        {"alpha_rbe", "1", Bound::kPositive, "relative biological effectiveness of alpha particles", "5",
         "measured RBE of 223Ra 5.4 +- 0.9 (SCIENCE.md 5.3); Howell's 9.14 - 0.510 E gives 4.9-6.1 for 6-8 MeV"},
        {"nucleus_radius", "um", Bound::kPositive, "radius of the myeloma cell's nucleus (cellular S-values)",
         "4.5 um", "estimate: 9 um diameter, the 'intermediate' myeloma cell of Greipp's typing (docs/cell-dosimetry.md)"},
    };
  }
  std::vector<std::string> option_keys() const override { return {"effector"}; }
  std::unique_ptr<MechanismOptions> default_options() const override { return std::make_unique<CellularOptions>(); }
  void read_options(const SectionInput& in, MechanismOptions& mo, AgentSpec&) const override {
    auto& o = static_cast<CellularOptions&>(mo);
    if (!in.node["effector"]) return;
    const std::string e = in.doc.text(in.node["effector"], in.key + ".effector");
    if (e == "adc") o.effector = EffectorKind::kAdc;
    else if (e == "radionuclide") o.effector = EffectorKind::kRadionuclide;
    else in.doc.fail(in.node["effector"], in.key + ".effector", "must be 'adc' or 'radionuclide'");
  }
  std::vector<std::pair<std::string, std::string>> write_options(const MechanismOptions& mo) const override {
    return {{"effector", radionuclide(mo) ? "radionuclide" : "adc"}};
  }
  std::vector<std::string> required(const MechanismOptions& mo) const override {
    std::vector<std::string> r = {"kon", "koff", "internalisation", "antigen_turnover", "lysosomal_degradation"};
    if (!radionuclide(mo)) r.insert(r.end(), {"payload_permeability", "kill_max", "kill_ec50"});
    return r;
  }
  // Each effector reads its own parameters; the other's are dropped.
  bool uses(const std::string& name, const MechanismOptions& mo) const override {
    static const std::vector<std::string> adc = {"payload_permeability", "payload_exchange", "payload_partition",
                                                 "target_concentration", "target_kd", "kill_max", "kill_ec50",
                                                 "kill_hill"};
    static const std::vector<std::string> rad = {"lq_alpha", "lq_beta", "repair_half_time", "alpha_rbe",
                                                 "nucleus_radius"};
    const auto& mine = radionuclide(mo) ? adc : rad;  // the list NOT used
    return std::find(mine.begin(), mine.end(), name) == mine.end();
  }
  std::string check(const AgentSpec& a, const MechanismOptions& mo) const override {
    if (radionuclide(mo) && !a.has_mechanism("label"))
      return "effector: radionuclide needs a labelled agent (label: {nuclide: ..., specific_activity: ...})";
    if (!radionuclide(mo) && a.has_mechanism("label"))
      return "a labelled agent acts on the cell by its radiation: set effector: radionuclide";
    if (radionuclide(mo)) {
      // The nucleus must fit in the cell (checked as written: engine values come later).
      const double cell_radius = radiation::CellGeometry::radius_of_volume_um(written_value(a, *this, "cell_volume", "L"));
      const double nucleus = written_value(a, *this, "nucleus_radius", "um");
      if (nucleus >= cell_radius)
        return fmt::format("the nucleus (radius {:g} um) must be smaller than the cell (radius {:.3g} um from "
                           "cell_volume)", nucleus, cell_radius);
    }
    return "";
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
