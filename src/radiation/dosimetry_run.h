// `icsim dosimetry`: the scenario's cohort simulated as `icsim simulate` does, and from
// each patient's activities, organ absorbed doses by the MIRD schema
// (organ_dosimetry.h; docs/dosimetry.md). Source organs from the labelled model:
//
//   red marrow   the blood method (Sgouros 1993) on the plasma activity concentration,
//                A~_RM = A~_plasma / V_plasma * ECF_RM * m_RM, plus the label on and in
//                the target-bearing cells and the tumour (myeloma targets sit in the
//                marrow)
//   liver, kidneys, spleen, lungs, heart contents
//                the antibody in the organ's vascular plasma and extravascular tissue
//                from the plasma activity concentration, and the organ's share of the
//                residualised catabolised label (radiation::OrganSources)
//   remainder    the rest of the body's activity
//
// With a disease, the red marrow is the tumour's marrow site instead of the blood
// method (its fluid is the marrow's). With released daughters (label `daughters:
// released`), the label on antibody outside cells keeps only the energy of what decays
// where it is, and the free daughters' integrals count with their own chain's energy:
// in the kidneys and liver as those organs' sources, in blood and elsewhere as part of
// the remainder. Activities are integrated to the end of the simulation and then to
// complete decay at the nuclide's rate (no biological clearance after `until`: an
// upper bound on the tail).
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "icsim/record.h"
#include "io/result_writer.h"
#include "radiation/free_daughters.h"
#include "radiation/organ_dosimetry.h"
#include "trial/scenario.h"

namespace icsim {

class DosimetrySink final : public ResultSink {
 public:
  // Throws InputError (naming the scenario's agent) when the agent has no label.
  DosimetrySink(const Scenario& s, DirectoryWriter& files);

  void begin(const CohortInfo& info) override;
  void patient(const PatientRecord& r) override;
  void end() override;
  bool encodes() const override { return files_.encodes(); }
  void encode(const PatientRecord& r, std::vector<std::string>& out) const override { files_.encode(r, out); }
  void deliver(const PatientRecord& r, const std::vector<std::string>& encoded) override;

  // The organ doses as printable lines (median and 5th-95th percentile over patients).
  std::string table() const;

  static const std::vector<std::string>& targets();

 private:
  struct Doses {
    long patient = 0;
    double administered_MBq = 0;
    std::map<std::string, double> tia_MBq_h;  // by source
    std::map<std::string, double> dose_mGy;   // by target
    double tail_fraction = 0;                 // of the body's time-integrated activity after `until`
    std::map<std::string, double> nucleus_Gy;  // by clone, at `until` (with a disease)
    std::map<std::string, double> bed_Gy;      // by target with known alpha/beta and repair
    double target_cells_share = 0;             // of the body's integral: label taken in by target cells
    std::map<std::string, std::map<std::string, double>> free_tia_MBq_h;  // by member, region (MBq*h of the member)
    // With a disease and the radionuclide effector: the label on and in the tumour's
    // cells, integrated to `until`, and the mean absorbed dose over its living cells.
    double tumour_tia_MBq_h = -1, tumour_Gy = 0;
  };
  // Activities (MBq) at an output time, or their integrals (MBq*h).
  struct Amounts {
    double plasma_per_mL = 0;  // plasma activity concentration (per mL)
    double catabolised = 0, cells = 0, tumour = 0, body = 0;
    double release = 0, release_marrow = 0;             // label whose daughters are released
    double hapten = 0, hapten_per_mL = 0, kidney = 0;   // a pretargeted label's free hapten and kidney transit
    std::array<double, radiation::kRegionCount> free{};  // free daughters, as label-decay equivalents
  };
  // Amounts by source organ, "remainder" included (as label-decay equivalents).
  std::map<std::string, double> sources(const Amounts& a, double plasma_mL) const;
  void add(const PatientRecord& r);
  nlohmann::ordered_json nucleus_summary() const;
  int column(const std::string& name) const;  // -1 when absent

  const Scenario& s_;
  DirectoryWriter& files_;
  CohortInfo info_;
  std::string nuclide_;
  radiation::Phantom phantom_;
  radiation::ChainEnergy energy_;
  radiation::OrganSources organ_sources_;
  radiation::FreeChain free_;  // empty unless the label's daughters are released
  // Energy per label decay on antibody outside cells over the whole chain's (1 when
  // daughters are retained), and per decay of each followed member over the chain's.
  double in_place_share_ = 1.0;
  std::vector<double> free_share_;
  std::vector<std::string> free_members_;  // by followed member: "Bi-213"
  std::unique_ptr<radiation::OrganDosimetry> mird_;
  double lambda_per_h_ = 0, specific_activity_ = 0, rbe_ = 5;
  bool pretargeted_ = false;
  double hapten_MBq_ = 0;  // a pretargeted agent's hapten doses before `until`
  bool disease_ = false;
  std::vector<Doses> doses_;
  std::string rates_;  // dose_rate.csv
};

}  // namespace icsim
