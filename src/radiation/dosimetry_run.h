// `icsim dosimetry`: the scenario's cohort simulated as `icsim simulate` does, and from
// each patient's activities, organ absorbed doses by the MIRD schema
// (organ_dosimetry.h; docs/dosimetry.md). Source organs from the labelled model:
//
//   red marrow   the blood method (Sgouros 1993) on the plasma activity concentration,
//                A~_RM = A~_plasma / V_plasma * ECF_RM * m_RM, plus the label on and in
//                the target-bearing cells and the tumour (myeloma targets sit in the
//                marrow)
//   remainder    the rest of the body's activity
//
// With a disease, the red marrow is the tumour's marrow site instead of the blood
// method (its fluid is the marrow's). The model resolves no other organ, so liver, kidneys and spleen receive the
// remainder's cross-dose: the phantom's, not an organ uptake. Activities are
// integrated to the end of the simulation and then to complete decay at the
// nuclide's rate (no biological clearance after `until`: an upper bound on the tail).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "icsim/record.h"
#include "io/result_writer.h"
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
  };
  void add(const PatientRecord& r);
  nlohmann::ordered_json nucleus_summary() const;
  int column(const std::string& name) const;  // -1 when absent

  const Scenario& s_;
  DirectoryWriter& files_;
  CohortInfo info_;
  std::string nuclide_;
  radiation::Phantom phantom_;
  radiation::ChainEnergy energy_;
  std::unique_ptr<radiation::OrganDosimetry> mird_;
  double lambda_per_h_ = 0, specific_activity_ = 0, rbe_ = 5;
  bool disease_ = false;
  std::vector<Doses> doses_;
  std::string rates_;  // dose_rate.csv
};

}  // namespace icsim
