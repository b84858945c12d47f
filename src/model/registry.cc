// The one list of mechanisms. Adding a mechanism: a folder with its slice and one
// line here (docs/developer.md). Listed explicitly, not self-registered: a static
// library drops objects that nothing references.
#include "model/registry.h"

#include "disease/cellular.h"
#include "disease/collins/collins_tgi.h"
#include "disease/disease.h"
#include "model/mechanism.h"
#include "pk/dar/dar.h"
#include "pk/disposition/disposition.h"
#include "pk/exposure/exposure.h"
#include "pk/payload/payload.h"
#include "pk/soluble_antigen/soluble_antigen.h"
#include "pk/target/target.h"
#include "radiation/haematology.h"
#include "radiation/label.h"
#include "radiation/pretargeting.h"

namespace icsim {

const std::vector<const Mechanism*>& mechanisms() {
  static const std::vector<const Mechanism*> all = {
      &disposition_mechanism(),
      &target_mechanism(),
      &soluble_antigen_mechanism(),
      &dar_mechanism(),
      &label_mechanism(),
      &pretargeting_mechanism(),
      &payload_mechanism(),
      &cellular_mechanism(),
      &disease_mechanism(),
      &exposure_mechanism(),
      &collins_tgi_mechanism(),
      &haematology_mechanism(),
  };
  return all;
}

const Mechanism* find_mechanism(const std::string& section) {
  for (const Mechanism* m : mechanisms())
    if (section == m->section()) return m;
  return nullptr;
}

}  // namespace icsim
