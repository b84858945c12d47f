// Pretargeted radioimmunotherapy (docs/pretargeting.md): the agent is an
// antibody-streptavidin conjugate, given unlabelled; a clearing agent then removes the
// conjugate still in the blood, and a radiolabelled hapten (DOTA-biotin) given last
// binds the streptavidin's biotin sites wherever the conjugate is, or leaves through the
// kidneys within the hour. The agent's `pretargeting:` section describes the hapten and
// the clearing agent; a regimen doses them with `of: hapten` and `of: clearing_agent`.
// The label is the hapten's (label.h with LabelOptions::on_hapten): the conjugate's
// labelled species is its biotin sites that hold a labelled hapten, so the label's
// decay, activities and the tumour's radionuclide effector apply unchanged.
#pragma once

#include <string>
#include <vector>

#include "model/mechanism.h"
#include "trial/regimen.h"

namespace icsim {

struct PretargetingOptions final : OptionsBase<PretargetingOptions> {
  std::string nuclide;      // the hapten's radionuclide, as in the nuclide library
  int sites = 4;            // biotin sites per conjugate: streptavidin is a tetramer
  bool clearing_agent = false;  // a clearing_agent subsection was given
  bool is_valid(std::string* why) const override;
};

const Mechanism& pretargeting_mechanism();

// What a regimen can give besides the agent (`of:`): the hapten and, when the agent
// describes one, the clearing agent; nothing for an agent without pretargeting.
std::vector<DoseForm> pretargeting_dose_forms(const AgentSpec& agent);

}  // namespace icsim
