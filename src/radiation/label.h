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
  bool is_valid(std::string* why) const override;
};

const Mechanism& label_mechanism();

// Atoms per nmol times decays per atom per day, over 1e6: MBq per nmol of label for
// a decay constant in 1/day.
double mbq_per_nmol(double lambda_per_day);

}  // namespace icsim
