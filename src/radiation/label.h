// A radiolabel on the antibody (radioimmunoconjugates, docs/radioimmunoconjugates.md):
// the agent's `label:` section names the nuclide (data/nuclides/nuclides.yaml) and
// the specific activity at administration. The labelled antibody is a conjugate
// species that carries one label atom. The label decays at the nuclide's rate
// wherever the antibody is, which leaves an unlabelled antibody: physical decay on
// top of the biological disposition. Outputs: plasma, body and tumour activity, and
// their time integrals (the time-integrated activity of the MIRD schema).
#pragma once

#include <string>

#include "model/mechanism.h"

namespace icsim {

struct LabelOptions final : OptionsBase<LabelOptions> {
  std::string nuclide;  // as in the nuclide library, e.g. "Lu-177"
  // Whether the label stays in the cells that catabolise the antibody (radiometals
  // in a chelator) or leaves the body with the catabolites (radioiodine).
  bool residualising = true;
  // The label comes on a pretargeted hapten (radiation/pretargeting.h), which sets this
  // and the nuclide: the antibody is given unlabelled, and pretargeting plans the
  // conjugate's species.
  bool on_hapten = false;
  // Whether the daughters of a chain (225Ac, 212Pb) stay where the label decays
  // (retained) or leave the carrier and follow their own biokinetics (released:
  // radiation/free_daughters.h). The reader's default is released where the chain has
  // a daughter it can follow (the recoil frees it), retained otherwise.
  enum class Daughters { kRetained, kReleased };
  Daughters daughters = Daughters::kRetained;
  bool is_valid(std::string* why) const override;
};

const Mechanism& label_mechanism();

// Atoms per nmol times decays per atom per day, over 1e6: MBq per nmol of label for
// a decay constant in 1/day.
double mbq_per_nmol(double lambda_per_day);

// Quantities the label publishes for a dose rate computed as the model runs (marrow
// toxicity, radiation/haematology.h): MBq in the whole body (conjugate, residualised
// label, the tumour's cells), MBq the red marrow holds itself (the tumour's marrow
// site and the label target-bearing cells took in), and MBq/L in plasma.
namespace names {
inline constexpr const char* kBodyActivity = "label.body_activity";
inline constexpr const char* kMarrowSiteActivity = "label.marrow_site_activity";
inline constexpr const char* kPlasmaActivity = "label.plasma_activity";
}  // namespace names

}  // namespace icsim
