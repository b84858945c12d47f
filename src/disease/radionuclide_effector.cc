// The radionuclide effector (effector.h; docs/radionuclide-effector.md). Per pool k
// (a clone at a site), the absorbed dose rate to the nucleus of one of its cells:
//
//   Ddot_e = (A_surface S(N <- CS, e) + A_cytoplasm S(N <- Cy, e) + C_site X_e) / cell    e: alpha, low-LET
//
// with A the label's activity per cell on its surface (bound conjugate) and in its
// cytoplasm (conjugate in endosomes and the label its lysosomes freed, which stays:
// residualising), C_site the activity concentration of the whole site (fluid and every
// pool's cells) and X the cross-fire per concentration (radiation/cell_dosimetry.h).
// S and X are for the label's chain, daughters decaying where the label did, per decay
// of the label, for a cell of the agent's cellular.cell_volume and nucleus_radius. An
// antigen-negative clone receives the cross-fire alone: the radiation bystander.
//
// Cells die by the linear-quadratic hazard with repair (Lea-Catcheside in kinetic form):
//   h = alpha_LQ (RBE Ddot_alpha + Ddot_low) + 2 beta_LQ Ddot_low G,   dG/dt = Ddot_low - mu G
// (mu = ln 2 / repair half-time), whose time integral for a constant or decaying dose
// rate is the LQ exponent alpha D + beta G D^2; alpha particles act linearly only.
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <vector>

#include "disease/effector.h"
#include "model/spec.h"
#include "pk/conjugate.h"
#include "radiation/cell_dosimetry.h"
#include "radiation/free_daughters.h"
#include "radiation/label.h"
#include "radiation/nuclide.h"
#include "radiation/organ_dosimetry.h"
#include "radiation/radiobiology.h"

namespace icsim {

namespace {

constexpr double kSecondsPerDay = 86400.0;
constexpr double kFewestCells = 1000.0;
constexpr double kJoulePerMeV = 1.602176634e-13;

// Per decay of the label, its chain included: S to the nucleus from the cell surface
// and the cytoplasm, and the cross-fire per Bq/mL, for alpha and low-LET emissions.
struct Coefficients {
  double surface_alpha = 0, surface_low = 0, cytoplasm_alpha = 0, cytoplasm_low = 0;
  double cross_alpha = 0, cross_low = 0;
};

// `parent_only`: the label's own decays, without its daughters.
Coefficients chain_coefficients(const std::string& nuclide, double cell_volume_L, double nucleus_radius_um,
                                bool parent_only = false) {
  const radiation::NuclideLibrary& library = radiation::NuclideLibrary::shared();
  const double lambda = library.get(nuclide).lambda_per_day;
  const radiation::ChainEnergy chain = radiation::chain_energy(library, nuclide, 20.0 * std::log(2.0) / lambda);
  const radiation::EmissionLibrary emissions = radiation::EmissionLibrary::read_default();
  const radiation::AlphaStoppingTable alpha = radiation::AlphaStoppingTable::read_default();
  const radiation::ElectronColeModel electron;
  radiation::CellGeometry cell;
  cell.cell_radius_um = radiation::CellGeometry::radius_of_volume_um(cell_volume_L);
  cell.nucleus_radius_um = nucleus_radius_um;
  std::string why;
  if (!cell.is_valid(&why)) throw std::logic_error("cellular: " + why);  // checked at input
  Coefficients c;
  for (const auto& [member, decays] : chain.decays) {
    if (decays < 1e-9 || !emissions.find(member) || (parent_only && member != nuclide)) continue;
    const radiation::NuclideEmissions& e = emissions.get(member);
    const radiation::NucleusSValues s = radiation::nucleus_s_values(e, cell, alpha, electron);
    const auto cross = radiation::crossfire_per_concentration(e, s, cell, std::numeric_limits<double>::infinity(),
                                                               alpha, electron);
    using radiation::Emission;
    using radiation::SourceRegion;
    auto low = [&](SourceRegion r) { return s.of(r, Emission::kBeta) + s.of(r, Emission::kElectron); };
    c.surface_alpha += decays * s.of(SourceRegion::kCellSurface, Emission::kAlpha);
    c.surface_low += decays * low(SourceRegion::kCellSurface);
    c.cytoplasm_alpha += decays * s.of(SourceRegion::kCytoplasm, Emission::kAlpha);
    c.cytoplasm_low += decays * low(SourceRegion::kCytoplasm);
    c.cross_alpha += decays * cross[static_cast<int>(Emission::kAlpha)];
    c.cross_low += decays * (cross[static_cast<int>(Emission::kBeta)] + cross[static_cast<int>(Emission::kElectron)]);
  }
  return c;
}

class RadionuclideEffector final : public Effector {
 public:
  RadionuclideEffector(ModelBuilder& b, const TumourLayout& t, const AgentSpec& agent) : layout_(t) {
    const auto* label = agent.options<LabelOptions>("label");
    if (!label) throw std::logic_error("the radionuclide effector needs a label");
    const double lambda = radiation::NuclideLibrary::shared().get(label->nuclide).lambda_per_day;
    residualising_ = label->residualising;
    bq_per_nmol_ = mbq_per_nmol(lambda) * 1e6;
    k_ = chain_coefficients(label->nuclide, agent.value("cellular.cell_volume"), agent.value("cellular.nucleus_radius"));
    // Label on antibody in the site's fluid or on the cells' surface whose daughters
    // are released by recoil (label.daughters: released): the label's own decays,
    // and a fraction 1 - f of its daughters' (f the released fraction). Label inside
    // cells keeps its daughters. Exact when the first daughter is followed (225Ac,
    // 212Pb: free_daughters.yaml), the case the release model has.
    released_ = k_;
    if (label->daughters == LabelOptions::Daughters::kReleased) {
      const radiation::FreeChain free =
          radiation::free_chain(radiation::NuclideLibrary::shared(), radiation::FreeDaughterData::shared(), label->nuclide);
      if (!free.empty()) {
        const Coefficients own = chain_coefficients(label->nuclide, agent.value("cellular.cell_volume"),
                                                    agent.value("cellular.nucleus_radius"), true);
        const double kept = 1.0 - free.release_fraction;
        auto mix = [&](double own_v, double all) { return own_v + kept * (all - own_v); };
        released_ = {mix(own.surface_alpha, k_.surface_alpha), mix(own.surface_low, k_.surface_low),
                     k_.cytoplasm_alpha,                       k_.cytoplasm_low,
                     mix(own.cross_alpha, k_.cross_alpha),     mix(own.cross_low, k_.cross_low)};
      }
    }
    // Gy per day per (Bq per g): the chain's non-penetrating energy, absorbed where it
    // is emitted, for the tumour's mean dose.
    const radiation::NuclideLibrary& library = radiation::NuclideLibrary::shared();
    mean_dose_factor_ = radiation::chain_energy(library, label->nuclide, 20.0 * std::log(2.0) / lambda).nonpenetrating_MeV() *
                        kJoulePerMeV * 1e3 * kSecondsPerDay;
    cell_volume_ = b.param("cellular.cell_volume");
    for (int k = 0; k < t.pools(); ++k) {
      const std::string pool = t.pool_name(k);
      residue_.push_back(b.add_state(pool + ".label_residue", {0.0, 1.0, 0.0}));
      b.add_label_residue(residue_.back());
      repair_.push_back(b.add_state(pool + ".repair_integral"));
      dose_.push_back(b.add_state(pool + ".nucleus_dose"));
    }
    lq_alpha_ = b.param("cellular.lq_alpha");
    lq_beta_ = b.param("cellular.lq_beta");
    repair_half_time_ = b.param("cellular.repair_half_time");
    rbe_ = b.param("cellular.alpha_rbe");
    lost_ = b.accumulator("payload.lost", {0.0, 1.0, 0.0});
    // The tumour as a dosimetry source: the label on and in its cells, integrated in
    // time, and the mean absorbed dose over its living cells (icsim dosimetry's
    // organs.tumour).
    tia_cells_ = b.add_state("tumour.tia_cells");
    mean_dose_ = b.add_state("tumour.mean_dose");
    b.add_output({"tia_tumour_cells_MBq_h", [this](const EvalContext& e) { return e.y[tia_cells_] * 24.0; }});
    b.add_output({"tumour_mean_dose_Gy", [this](const EvalContext& e) { return e.y[mean_dose_]; }});
    // The absorbed dose to the nucleus of a cell of each clone (Gy), in the marrow and
    // at the extramedullary site.
    for (int k = 0; k < t.pools(); ++k) {
      const std::string site = t.site_of(k) == 0 ? "" : "_" + t.sites[t.site_of(k)];
      b.add_output({"clone_" + t.clones[t.clone_of(k)] + site + "_nucleus_Gy",
                    [this, k](const EvalContext& e) { return e.y[dose_[k]]; }});
    }
  }
  const char* name() const override { return "radionuclide_effector"; }
  double fastest_rate(const double* p) const override { return std::log(2.0) / p[repair_half_time_]; }

  void rhs(const EvalContext& c, const SiteView* sites, const PoolView* pools, double* dy,
           double* hazard) const override {
    const double* p = c.p;
    const double mu = std::log(2.0) / p[repair_half_time_];
    // Activity concentration of each site (Bq/mL): its fluid and cell surfaces (whose
    // label may release its daughters) and the inside of its cells (which keeps them).
    // With them, in the same pass, the label on and in the tumour's cells (nmol) and
    // their mass (g, at 1 g/mL) for the tumour's mean dose.
    double outside[2] = {0.0, 0.0}, inside[2] = {0.0, 0.0}, on_cells = 0.0, cells_g = 0.0;
    for (size_t j = 0; j < layout_.sites.size(); ++j) outside[j] = sites[j].fluid_payload;
    for (int k = 0; k < layout_.pools(); ++k) {
      outside[layout_.site_of(k)] += pools[k].surface_payload;
      inside[layout_.site_of(k)] += pools[k].endosome_payload + c.y[residue_[k]];
      on_cells += std::max(0.0, pools[k].surface_payload) + std::max(0.0, pools[k].endosome_payload) +
                  std::max(0.0, c.y[residue_[k]]);
      cells_g += pools[k].cells * 1e9;
    }
    for (size_t j = 0; j < layout_.sites.size(); ++j) {
      outside[j] *= bq_per_nmol_ / (sites[j].volume_L * 1000.0);
      inside[j] *= bq_per_nmol_ / (sites[j].volume_L * 1000.0);
    }
    cells_g = std::max(cells_g, kFewestCells) * p[cell_volume_] * 1000.0;
    dy[tia_cells_] += on_cells * bq_per_nmol_ * 1e-6;
    dy[mean_dose_] += on_cells * bq_per_nmol_ / cells_g * mean_dose_factor_;

    for (int k = 0; k < layout_.pools(); ++k) {
      const PoolView& pool = pools[k];
      const double cells = pool.cells * 1e9, residue = c.y[residue_[k]];
      const double out = outside[layout_.site_of(k)], in = inside[layout_.site_of(k)];
      // Bq per cell. A pool of fewer than kFewestCells is gone: its label is shared as
      // if it had that many, so that round-off in two vanishing amounts cannot make a
      // per-cell activity, and a hazard, without bound.
      const double per_cell = bq_per_nmol_ / std::max(cells, kFewestCells);
      const double surface = std::max(0.0, pool.surface_payload) * per_cell;
      const double cytoplasm = (std::max(0.0, pool.endosome_payload) + std::max(0.0, residue)) * per_cell;
      // Gy/day.
      const double alpha_rate =
          (surface * released_.surface_alpha + cytoplasm * k_.cytoplasm_alpha + out * released_.cross_alpha +
           in * k_.cross_alpha) *
          kSecondsPerDay;
      const double low_rate =
          (surface * released_.surface_low + cytoplasm * k_.cytoplasm_low + out * released_.cross_low +
           in * k_.cross_low) *
          kSecondsPerDay;
      const double g = c.y[repair_[k]];
      hazard[k] = radiation::alpha_hazard_per_day(p[lq_alpha_], p[rbe_], alpha_rate) +
                  radiation::lq_hazard_per_day(p[lq_alpha_], p[lq_beta_], low_rate, g);
      dy[repair_[k]] += radiation::lq_gamma_rate_Gy_per_day(low_rate, g, mu);
      dy[dose_[k]] += alpha_rate + low_rate;
      // A residualising label freed in the lysosomes stays in the cell, and dying
      // cells release it, with the label of their endosomes, to where the tissue
      // catabolises it. A non-residualising one (radioiodine) leaves with the
      // catabolites at once.
      const double released = pool.death_rate * residue + pool.dying_payload;
      if (residualising_) {
        dy[residue_[k]] += pool.lysosomal_payload - pool.death_rate * residue;
        add_if(dy, lost_, released);
      } else {
        dy[residue_[k]] -= pool.death_rate * residue;
        add_if(dy, lost_, released + pool.lysosomal_payload);
      }
    }
  }

 private:
  TumourLayout layout_;
  Coefficients k_, released_;  // whole chain; label outside cells with released daughters
  double bq_per_nmol_ = 0, mean_dose_factor_ = 0;
  int tia_cells_ = -1, mean_dose_ = -1, cell_volume_ = -1;
  bool residualising_ = true;
  std::vector<int> residue_, repair_, dose_;
  int lq_alpha_, lq_beta_, repair_half_time_, rbe_, lost_;
};

}  // namespace

std::unique_ptr<Effector> make_radionuclide_effector(ModelBuilder& b, const TumourLayout& t, const ConjugateLayout&,
                                                     const AgentSpec& agent) {
  return std::make_unique<RadionuclideEffector>(b, t, agent);
}

}  // namespace icsim
