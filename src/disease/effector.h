// What the internalised conjugate does inside a myeloma cell and how the cell dies:
// one implementation per class of immunoconjugate (the ADC's payload here; later
// the immunotoxin, the immunocytokine and the radionuclide). The tumour module
// (src/disease/disease.cc) delivers the conjugate to each pool of cells (a clone
// at a site), takes it in and degrades it; the effector receives what was degraded
// and returns a kill hazard per pool. It owns its own states.
#pragma once

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "model/model.h"

namespace icsim {

struct ConjugateLayout;
struct AgentSpec;

// How the tumour's cells are laid out: pool k = site * clones + clone.
struct TumourLayout {
  std::vector<std::string> clones, sites;
  std::vector<std::vector<int>> cell_states;  // per pool: viable, then damaged cells (1e9)
  // The freed payload in the sites' fluid is at equilibrium with plasma and the
  // cells at every instant (no state of its own): disease.interstitial_payload.
  bool payload_equilibrium = false;
  int pools() const { return static_cast<int>(clones.size() * sites.size()); }
  int site_of(int pool) const { return pool / static_cast<int>(clones.size()); }
  int clone_of(int pool) const { return pool % static_cast<int>(clones.size()); }
  // The prefix of the names of a pool's states: "tumour.marrow.sensitive".
  std::string pool_name(int pool) const { return "tumour." + sites[site_of(pool)] + "." + clones[clone_of(pool)]; }
  // A pool's living cells (1e9) in state y.
  double cells(const double* y, int pool) const {
    double n = 0.0;
    for (int i : cell_states[pool]) n += y[i];
    return std::max(0.0, n);
  }
};

// What the tumour module computed for one pool at this evaluation.
struct PoolView {
  double cells = 0;            // living cells, 1e9 (viable and damaged)
  double cell_volume_L = 0;    // their total volume
  double death_rate = 0;       // 1/day: the fraction of the pool's cells dying (contents released)
  double lysosomal_payload = 0;  // nmol/day of payload freed in the cells' lysosomes
  double dying_payload = 0;      // nmol/day of payload on conjugate in dying cells' endosomes
  // Payloads (a label's atoms) on conjugate bound to the cells' surface and in their
  // endosomes, nmol: where a radiolabel decays.
  double surface_payload = 0;
  double endosome_payload = 0;
};

// What the tumour module computed for one site.
struct SiteView {
  double volume_L = 0;  // tissue volume of the site
  double fluid_payload = 0;  // nmol of payloads (label atoms) on free conjugate in the site's fluid
};

class Effector {
 public:
  virtual ~Effector() = default;
  virtual const char* name() const = 0;
  // Couplings to states built after the tumour (plasma payload).
  virtual void link(ModelBuilder& /*b*/) {}
  virtual void prepare(double* /*p*/) const {}
  virtual void initialise(const double* /*p*/, double* /*y*/) const {}
  virtual double fastest_rate(const double* /*p*/) const { return 0.0; }
  // Adds the effector's terms to dy and writes the kill hazard (1/day) of each
  // pool's viable cells into hazard[pool].
  virtual void rhs(const EvalContext& c, const SiteView* sites, const PoolView* pools, double* dy,
                   double* hazard) const = 0;
};

// The ADC: payload freed in lysosomes binds its intracellular target (tubulin) in
// quasi-equilibrium, leaves the cell by passive permeation and efflux pumps, reaches
// neighbouring cells through the interstitium (bystander effect) and kills by an
// Emax function of target-bound payload. Declares its states and outputs in `b`.
std::unique_ptr<Effector> make_adc_effector(ModelBuilder& b, const TumourLayout& t, const ConjugateLayout& conjugate);

// A radiolabel: the cells' nuclei are irradiated by the label on and in their own cell
// and by the activity around them in the marrow (cross-fire, which reaches
// antigen-negative cells too); cells die by the linear-quadratic hazard with repair
// and an RBE for alpha particles. The label freed in lysosomes stays in the cell
// (residualising). docs/radionuclide-effector.md.
std::unique_ptr<Effector> make_radionuclide_effector(ModelBuilder& b, const TumourLayout& t,
                                                     const ConjugateLayout& conjugate, const AgentSpec& agent);

}  // namespace icsim
