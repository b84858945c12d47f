// The tumour module: per site j the conjugate in the interstitium (one state per
// DAR species), per pool k (clone c at site j) the free surface antigen R, the
// antigen-conjugate complex S and the internalised conjugate E (per species), and
// the cells: viable x0 and damaged x1..x3 (Simeoni transit to death). Cells are
// counted in units of 1e9, amounts in nmol. docs/disease.md gives the equations.
//
//   exchange   X_j (eps V_j C_free,plasma - A_j)          plasma <-> site j
//   binding    kon (A_j / (eps V_j)) R - koff S
//   dR/dt    = ksyn N (1 - d occ) - kturn R - binding - death R
//   dS/dt    = binding - kint S - death S                (dying cells' S returns to A_j)
//   dE/dt    = kint S - klys E - death E                  (klys E frees DAR payloads in the cell)
//   dx0/dt   = g x0 - (h_payload + h_fc) x0
//   dx1/dt   = (h_payload + h_fc) x0 - k1 x1,  dx2/dt = k1 (x1 - x2),  dx3/dt = k1 (x2 - x3)
//   death    = k1 x3 / N                                  (the fraction of the pool dying per day)
//   dM/dt    = kM (M0 N / N0 - M)                          (serum M-protein, g/L)
// with N the pool's living cells, occ = S / (R + S), h_fc = adcc_max occ R0/(R0 + R50),
// ksyn = kturn R0 (R0: the clone's antigen per cell) and k1 = 3 / kill_delay.
//
// With binding: quasi_equilibrium the states are, per site, the total conjugate
// T = A + sum_k S_k (per species) and, per pool, the total antigen Rtot = R + S;
// binding is at equilibrium at every instant, with one KD = koff / kon for every
// species and pool at the site, so the free concentration C solves
//   eps V C + (sum_k Rtot_k) C / (KD + C) = T                     (a quadratic in C)
// and R = Rtot KD / (KD + C), S = Rtot C / (KD + C), each species in proportion to
// its share of T. Then
//   dT/dt    = X_j (eps V C_free,plasma - eps V C) - sum_k kint S_k
//   dRtot/dt = ksyn N (1 - d occ) - kturn R - kint S - death Rtot
// which is the kinetic model with its fast binding step eliminated.
#include "disease/disease.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "core/quantity.h"
#include "disease/cellular.h"
#include "disease/effector.h"
#include "io/yaml_doc.h"
#include "pk/conjugate.h"

namespace icsim {

namespace {

constexpr double kAvogadro = 6.02214076e23;
constexpr double kBillion = 1e9;  // cells per unit of the cell states
// nmol of antigen on 1e9 cells carrying one molecule each.
constexpr double kNmolPer1e9Molecules = kBillion / kAvogadro * 1e9;

class Tumour final : public Module {
 public:
  Tumour(ModelBuilder& b, const BuildPlan& plan, const DiseaseOptions& o)
      : growth_(o.growth), qe_(o.binding == Binding::kQuasiEquilibrium), dar_(plan.layout.dar) {
    layout_.clones = o.clones;
    layout_.sites = {"marrow"};
    if (o.extramedullary) layout_.sites.push_back("emd");
    layout_.payload_equilibrium = o.interstitial_payload == Binding::kQuasiEquilibrium;
    const int species = plan.layout.species();
    central_ = central_states(b, plan.layout);
    const char* conjugate = qe_ ? ".conjugate_total" : ".conjugate";
    for (const std::string& site : layout_.sites)
      site_conjugate_.push_back(add_conjugate_pool(b, plan.layout, "tumour." + site + conjugate));
    for (int k = 0; k < layout_.pools(); ++k) {
      const std::string pool = layout_.pool_name(k);
      Pool p;
      p.antigen = b.add_state(pool + (qe_ ? ".antigen_total" : ".antigen"));
      for (int s = 0; s < species; ++s) {
        const Carries carried = conjugate_carries(plan.layout, s);
        if (!qe_) p.complex.push_back(b.add_state(fmt::format("{}.complex.{}", pool, s), carried));
        p.internalised.push_back(b.add_state(fmt::format("{}.internalised.{}", pool, s), carried));
      }
      if (!qe_) b.add_cell_conjugate(p.complex);
      b.add_cell_conjugate(p.internalised);
      p.viable = b.add_state(pool + ".cells");
      for (int i = 1; i <= 3; ++i) p.damaged[i - 1] = b.add_state(fmt::format("{}.damaged{}", pool, i));
      layout_.cell_states.push_back({p.viable, p.damaged[0], p.damaged[1], p.damaged[2]});
      const std::string clone = "disease.clones." + layout_.clones[layout_.clone_of(k)] + ".";
      p.fraction = b.param(clone + "fraction");
      p.antigen_per_cell = b.param(clone + "antigen");
      p.growth_factor = b.param(clone + "growth_factor");
      p.internalisation_factor = b.param(clone + "internalisation_factor");
      p.downregulation = b.param(clone + "antigen_downregulation");
      pools_.push_back(p);
    }
    m_protein_ = b.add_state("disease.m_protein");
    if (o.free_light_chains) flc_ = b.add_state("disease.flc");

    m0_param_ = b.find_param("disease.m_protein");
    cells_param_ = b.find_param("disease.cells");
    cells_per_m_ = b.param("disease.cells_per_m_protein");
    m_half_life_ = b.param("disease.m_protein_half_life");
    doubling_ = b.param("disease.doubling_time");
    capacity_ = b.param("disease.carrying_capacity");
    flc0_ = b.find_param("disease.flc");
    flc_half_life_ = b.find_param("disease.flc_half_life");
    site_volume_ = {b.param("disease.marrow_volume")};
    site_exchange_ = {b.param("disease.marrow_exchange")};
    partition_ = b.param("disease.marrow_partition");
    if (o.extramedullary) {
      emd_fraction_ = b.param("disease.emd_fraction");
      site_volume_.push_back(b.param("disease.emd_volume"));
      site_exchange_.push_back(b.param("disease.emd_exchange"));
    }
    kon_ = b.param("cellular.kon");
    koff_ = b.param("cellular.koff");
    kint_ = b.param("cellular.internalisation");
    kturn_ = b.param("cellular.antigen_turnover");
    klys_ = b.param("cellular.lysosomal_degradation");
    delay_ = b.param("cellular.kill_delay");
    cell_volume_ = b.param("cellular.cell_volume");
    adcc_max_ = b.param("cellular.adcc_max");
    adcc50_ = b.param("cellular.adcc_antigen50");
    v1_ = b.param("disposition.V1");
    ff_ = b.quantity(names::kFreeFraction);
    burden_ = b.add_quantity(names::kBurdenRatio);
    catabolised_ = b.accumulator("tumour.catabolised", {1.0, 0.0, 0.0});

    // Derived once per patient (prepare).
    n0_ = b.add_derived_param("tumour.baseline_cells");
    m0_ = b.add_derived_param("tumour.baseline_m_protein");
    rate_ = b.add_derived_param("tumour.growth_rate");
    k_m_ = b.add_derived_param("tumour.m_protein_elimination");
    k_flc_ = b.add_derived_param("tumour.flc_elimination");
    k_transit_ = b.add_derived_param("tumour.transit_rate");
    norm_ = b.add_derived_param("tumour.growth_normaliser");
    for (int k = 0; k < layout_.pools(); ++k) {
      pools_[k].n0 = b.add_derived_param(layout_.pool_name(k) + ".baseline_cells");
      pools_[k].r0 = b.add_derived_param(layout_.pool_name(k) + ".antigen_nmol_per_1e9");
    }

    const auto* cellular = plan.agent.options<CellularOptions>("cellular");
    effector_ = cellular && cellular->effector == EffectorKind::kRadionuclide
                    ? make_radionuclide_effector(b, layout_, plan.layout, plan.agent)
                    : make_adc_effector(b, layout_, plan.layout);
    add_outputs(b);
  }

  const char* name() const override { return "tumour"; }

  void link(ModelBuilder& b) override { effector_->link(b); }

  void prepare(double* p) const override {
    const double n0 = cells_param_ >= 0 ? p[cells_param_] : p[m0_param_] * p[cells_per_m_];
    p[n0_] = n0 / kBillion;
    p[m0_] = m0_param_ >= 0 ? p[m0_param_] : n0 / p[cells_per_m_];
    p[rate_] = std::log(2.0) / p[doubling_];
    p[k_m_] = std::log(2.0) / p[m_half_life_];
    p[k_flc_] = flc_half_life_ >= 0 ? std::log(2.0) / p[flc_half_life_] : 0.0;
    p[k_transit_] = 3.0 / p[delay_];
    const double k = p[capacity_] / kBillion;
    if ((growth_ == GrowthLaw::kGompertz || growth_ == GrowthLaw::kLogistic) && !(k > p[n0_]))
      throw std::runtime_error(fmt::format("the carrying capacity ({:g} cells) must exceed the baseline burden ({:g} cells)",
                                           p[capacity_], n0));
    p[norm_] = growth_ == GrowthLaw::kGompertz ? 1.0 / std::log(k / p[n0_])
               : growth_ == GrowthLaw::kLogistic ? 1.0 / (1.0 - p[n0_] / k)
                                                 : 1.0;
    const double emd = emd_fraction_ >= 0 ? p[emd_fraction_] : 0.0;
    for (int k2 = 0; k2 < layout_.pools(); ++k2) {
      const Pool& q = pools_[k2];
      const double at_site = layout_.site_of(k2) == 0 ? 1.0 - emd : emd;
      p[q.n0] = p[n0_] * p[q.fraction] * at_site;
      p[q.r0] = p[q.antigen_per_cell] * kNmolPer1e9Molecules;
    }
    effector_->prepare(p);
  }

  void initialise(const double* p, double* y) const override {
    for (const Pool& q : pools_) {
      y[q.viable] = p[q.n0];
      y[q.antigen] = p[q.r0] * p[q.n0];
    }
    y[m_protein_] = p[m0_];
    if (flc_ >= 0) y[flc_] = p[flc0_];
    effector_->initialise(p, y);
  }

  // Binding to the cells relaxes at kon C + koff; C is not known from the
  // parameters, so a typical therapeutic concentration stands in for it.
  static constexpr double kTypicalConjugateNM = 100.0;

  double fastest_rate(const double* p) const override {
    const double binding = qe_ ? 0.0 : p[kon_] * kTypicalConjugateNM + p[koff_];
    double fastest = std::max({binding + p[kint_], p[klys_], 3.0 / p[delay_], p[kturn_]});
    for (int x : site_exchange_) fastest = std::max(fastest, p[x]);
    if (flc_half_life_ >= 0 && flc_ >= 0) fastest = std::max(fastest, std::log(2.0) / p[flc_half_life_]);
    return std::max(fastest, effector_->fastest_rate(p));
  }

  void derive(EvalContext& c) const override { c.q[burden_] = total_cells(c.y) / c.p[n0_]; }

  void rhs(const EvalContext& c, double* dy) const override {
    const double* p = c.p;
    const double* y = c.y;
    const int species = static_cast<int>(dar_.size());
    const double ff = c.q[ff_], v1 = p[v1_], eps = p[partition_];
    const double kon = p[kon_], koff = p[koff_], kturn = p[kturn_], klys = p[klys_];
    const double k1 = p[k_transit_];

    // Plasma <-> site exchange of free conjugate.
    const int sites = static_cast<int>(layout_.sites.size());
    SiteView site_view[2];
    double fluid_conc[2][kMaxSpecies];
    double bound_fraction[2] = {0.0, 0.0};  // quasi-equilibrium: C / (KD + C) at the site
    for (int j = 0; j < sites; ++j) {
      const double vol = p[site_volume_[j]], kx = p[site_exchange_[j]];
      site_view[j].volume_L = vol;
      if (qe_) bound_fraction[j] = equilibrate(p, y, j, fluid_conc[j]);
      for (int s = 0; s < species; ++s) {
        const int a = site_conjugate_[j][s];
        const double free_amount = qe_ ? eps * vol * fluid_conc[j][s] : y[a];
        site_view[j].fluid_payload += dar_[s] * free_amount;
        const double flux = kx * (eps * vol * y[central_[s]] * ff / v1 - free_amount);
        dy[central_[s]] -= flux;
        dy[a] += flux;
        if (!qe_) fluid_conc[j][s] = y[a] / (eps * vol);
      }
    }

    const double n_total = total_cells(y);
    const double g = growth(p, n_total);
    PoolView view[kMaxPools];
    double occupancy[kMaxPools];
    for (int k = 0; k < layout_.pools(); ++k) {
      const Pool& q = pools_[k];
      const int j = layout_.site_of(k);
      const double n = layout_.cells(y, k);
      const double death = n > 0.0 ? k1 * std::max(0.0, y[q.damaged[2]]) / n : 0.0;
      const double kint = p[kint_] * p[q.internalisation_factor];
      double r = y[q.antigen], bound = 0.0, lysosomal = 0.0, dying = 0.0, on_surface = 0.0, in_endosomes = 0.0;
      if (qe_) {
        // The complex of each species: the pool's bound antigen in the species' share
        // of the site's conjugate. Dying cells' complex returns to the site's total.
        const double total = std::max(0.0, r), share = site_share(y, j);
        bound = total * bound_fraction[j];
        r = total - bound;
        for (int s = 0; s < species; ++s) {
          const double sc = bound * (share > 0.0 ? std::max(0.0, y[site_conjugate_[j][s]]) / share : 0.0);
          const double e = y[q.internalised[s]];
          dy[q.internalised[s]] += kint * sc - klys * e - death * e;
          dy[site_conjugate_[j][s]] -= kint * sc;
          add_if(dy, catabolised_, klys * e + death * e);
          lysosomal += dar_[s] * klys * e;
          dying += dar_[s] * death * e;
          on_surface += dar_[s] * sc;
          in_endosomes += dar_[s] * e;
        }
        dy[q.antigen] -= (kint + death) * bound;
      } else {
        for (int s = 0; s < species; ++s) {
          const double sc = y[q.complex[s]], e = y[q.internalised[s]];
          const double binding = kon * fluid_conc[j][s] * r - koff * sc;
          dy[q.complex[s]] += binding - kint * sc - death * sc;
          dy[q.internalised[s]] += kint * sc - klys * e - death * e;
          dy[site_conjugate_[j][s]] += death * sc - binding;
          dy[q.antigen] -= binding;
          add_if(dy, catabolised_, klys * e + death * e);
          lysosomal += dar_[s] * klys * e;
          dying += dar_[s] * death * e;
          on_surface += dar_[s] * sc;
          in_endosomes += dar_[s] * e;
          bound += sc;
        }
      }
      const double occ = r + bound > 0.0 ? bound / (r + bound) : 0.0;
      occupancy[k] = occ;
      dy[q.antigen] += kturn * p[q.r0] * n * (1.0 - p[q.downregulation] * occ) - kturn * r - death * r;
      view[k] = {n, n * kBillion * p[cell_volume_], death, lysosomal, dying, on_surface, in_endosomes};
    }

    double hazard[kMaxPools];
    effector_->rhs(c, site_view, view, dy, hazard);

    for (int k = 0; k < layout_.pools(); ++k) {
      const Pool& q = pools_[k];
      const double antigen = p[q.antigen_per_cell];
      const double fc = antigen > 0.0 ? p[adcc_max_] * occupancy[k] * antigen / (antigen + p[adcc50_]) : 0.0;
      const double kill = (hazard[k] + fc) * y[q.viable];
      dy[q.viable] += g * p[q.growth_factor] * y[q.viable] - kill;
      dy[q.damaged[0]] += kill - k1 * y[q.damaged[0]];
      dy[q.damaged[1]] += k1 * (y[q.damaged[0]] - y[q.damaged[1]]);
      dy[q.damaged[2]] += k1 * (y[q.damaged[1]] - y[q.damaged[2]]);
    }

    const double ratio = n_total / p[n0_];
    dy[m_protein_] += p[k_m_] * (p[m0_] * ratio - y[m_protein_]);
    if (flc_ >= 0) dy[flc_] += p[k_flc_] * (p[flc0_] * ratio - y[flc_]);
  }

  // The most pools and species the fixed-size scratch arrays of rhs hold.
  static constexpr int kMaxPools = 64;
  static constexpr int kMaxSpecies = 33;

 private:
  struct Pool {
    int antigen = -1, viable = -1, damaged[3] = {-1, -1, -1};
    std::vector<int> complex, internalised;
    int fraction = -1, antigen_per_cell = -1, growth_factor = -1, internalisation_factor = -1, downregulation = -1;
    int n0 = -1, r0 = -1;
  };

  // The site's total conjugate over its species (nmol), negative round-off as 0.
  double site_share(const double* y, int j) const {
    double t = 0.0;
    for (int a : site_conjugate_[j]) t += std::max(0.0, y[a]);
    return t;
  }

  // Quasi-equilibrium at site j: writes the free conjugate of each species in the
  // site's fluid (nM) into conc and returns the bound fraction of the antigen,
  // C / (KD + C). C is the positive root of
  //   eps V C^2 + (eps V KD + Rtot - T) C - T KD = 0,
  // taken in the form that does not cancel when the antigen exceeds the conjugate.
  double equilibrate(const double* p, const double* y, int j, double* conc) const {
    const double t = site_share(y, j);
    double rtot = 0.0;
    for (int k = 0; k < layout_.pools(); ++k)
      if (layout_.site_of(k) == j) rtot += std::max(0.0, y[pools_[k].antigen]);
    const double fluid = p[partition_] * p[site_volume_[j]], kd = p[koff_] / p[kon_];
    const double b = fluid * kd + rtot - t, disc = std::sqrt(b * b + 4.0 * fluid * t * kd);
    double c = 0.0;
    if (t > 0.0) c = b > 0.0 ? 2.0 * t * kd / (b + disc) : (disc - b) / (2.0 * fluid);
    const int species = static_cast<int>(site_conjugate_[j].size());
    for (int s = 0; s < species; ++s) conc[s] = t > 0.0 ? c * std::max(0.0, y[site_conjugate_[j][s]]) / t : 0.0;
    return kd + c > 0.0 ? c / (kd + c) : 1.0;
  }

  double total_cells(const double* y) const {
    double n = 0.0;
    for (int k = 0; k < layout_.pools(); ++k) n += layout_.cells(y, k);
    return n;
  }

  // The specific growth rate (1/day) of a clone with growth_factor 1 at burden n (1e9 cells).
  double growth(const double* p, double n) const {
    const double r = p[rate_];
    switch (growth_) {
      case GrowthLaw::kExponential: return r;
      case GrowthLaw::kGompertz: return n > 0.0 ? r * std::log(p[capacity_] / kBillion / n) * p[norm_] : r;
      case GrowthLaw::kLogistic: return r * (1.0 - n / (p[capacity_] / kBillion)) * p[norm_];
      case GrowthLaw::kNone: return 0.0;
    }
    return 0.0;
  }

  void add_outputs(ModelBuilder& b) {
    b.add_output({"tumour_cells", [this](const EvalContext& c) { return total_cells(c.y) * kBillion; }});
    for (size_t c = 0; c < layout_.clones.size(); ++c) {
      b.add_output({"clone_" + layout_.clones[c] + "_cells", [this, c](const EvalContext& e) {
                      double n = 0.0;
                      for (int k = 0; k < layout_.pools(); ++k)
                        if (layout_.clone_of(k) == static_cast<int>(c)) n += layout_.cells(e.y, k);
                      return n * kBillion;
                    }});
    }
    b.add_output({"m_protein_g_per_L", [this](const EvalContext& c) { return c.y[m_protein_]; }});
    if (flc_ >= 0) b.add_output({"flc_mg_per_L", [this](const EvalContext& c) { return c.y[flc_]; }});
  }

  GrowthLaw growth_;
  bool qe_;
  std::vector<int> dar_;
  TumourLayout layout_;
  std::vector<int> central_;
  std::vector<std::vector<int>> site_conjugate_;
  std::vector<Pool> pools_;
  std::vector<int> site_volume_, site_exchange_;
  int m_protein_ = -1, flc_ = -1;
  int m0_param_ = -1, cells_param_ = -1, cells_per_m_, m_half_life_, doubling_, capacity_, flc0_ = -1,
      flc_half_life_ = -1, partition_, emd_fraction_ = -1;
  int kon_, koff_, kint_, kturn_, klys_, delay_, cell_volume_, adcc_max_, adcc50_, v1_, ff_, burden_, catabolised_;
  int n0_, m0_, rate_, norm_, k_m_, k_flc_, k_transit_;
  std::unique_ptr<Effector> effector_;
};

}  // namespace

const char* to_string(Binding b) {
  return b == Binding::kQuasiEquilibrium ? "quasi_equilibrium" : "kinetic";
}

const char* to_string(GrowthLaw g) {
  switch (g) {
    case GrowthLaw::kGompertz: return "gompertz";
    case GrowthLaw::kExponential: return "exponential";
    case GrowthLaw::kLogistic: return "logistic";
    case GrowthLaw::kNone: return "none";
  }
  return "";
}

bool DiseaseOptions::is_valid(std::string* why) const {
  if (clones.empty()) {
    if (why) *why = "a disease needs at least one clone: clones: [{name: ..., fraction: 1, antigen: ... /cell}]";
    return false;
  }
  if (static_cast<int>(clones.size()) * (extramedullary ? 2 : 1) > 64) {
    if (why) *why = "at most 64 clones (32 with an extramedullary site)";
    return false;
  }
  return true;
}

namespace {

// Keys of the disease section that the scenario reads (assessment of response),
// not the tumour.
const std::vector<std::string>& assessment_keys() {
  static const std::vector<std::string> keys = {"model",           "assessment_every", "assessment_start",
                                                "measurement_error", "cr_threshold",    "variability"};
  return keys;
}

class DiseaseMechanism final : public Mechanism {
  double written_in(const AgentSpec& a, const std::string& name, const char* unit) const {
    return written_value(a, *this, name, unit);
  }

 public:
  const char* section() const override { return "disease"; }
  const char* summary() const override {
    return "the patient's myeloma: clones at the marrow (and an extramedullary site), growth, the conjugate's "
           "delivery and kill, M-protein and free light chains (a scenario section)";
  }
  bool in_scenario() const override { return true; }
  std::vector<ParamDecl> parameters() const override {
    return {
        {"m_protein", "g/L", Bound::kPositive, "baseline serum M-protein"},
        {"cells", "cell", Bound::kPositive, "baseline tumour cells (else from m_protein)"},
        {"cells_per_m_protein", "cell*L/g", Bound::kPositive, "tumour cells per g/L of serum M-protein at steady state",
         "2.1e10 cell*L/g",
         "SCIENCE.md B5: Poels 2025 baseline marrow burden over M-protein (agrees with Durie-Salmon staging)"},
        {"m_protein_half_life", "day", Bound::kPositive, "elimination half-life of serum M-protein", "13.8 day",
         "Poels 2025 (from Mills 2017); physiological IgG is about 21 d (SCIENCE.md 4.2)"},
        {"doubling_time", "day", Bound::kPositive, "doubling time of the untreated tumour at the baseline burden",
         "40 day", "Collins 2023 KGR 0.0174 /day (belantamab RRMM M-protein growth; ln 2 / KGR)"},
        {"carrying_capacity", "cell", Bound::kPositive, "plateau burden of Gompertz or logistic growth", "3.2e12 cell",
         "Collins 2023 carrying capacity 150 g/L times 2.1e10 cells per g/L"},
        {"flc", "mg/L", Bound::kPositive, "baseline involved serum free light chain"},
        {"flc_half_life", "day", Bound::kPositive, "elimination half-life of free light chains", "0.125 day",
         "kappa monomer 2-4 h (SCIENCE.md 4.2)"},
        {"marrow_volume", "L", Bound::kPositive, "bone marrow volume", "1.75 L", "Poels 2025 elranatamab QSP"},
        {"marrow_exchange", "1/day", Bound::kNonNegative, "exchange of conjugate between plasma and marrow",
         "0.95 /day", "Shah 2012 antibody exchange 2*P*Rcap/RKrogh^2 (P 334 um/day, 8 um, 75 um)"},
        {"marrow_partition", "1", Bound::kFraction, "marrow fraction accessible to the conjugate", "0.24",
         "Shah 2012 (epsilon of the ADC)"},
        {"emd_fraction", "1", Bound::kFraction, "fraction of tumour cells at an extramedullary site"},
        {"emd_volume", "L", Bound::kPositive, "volume of the extramedullary site", "0.1 L",
         "estimate: a plasmacytoma of about 6 cm diameter"},
        {"emd_exchange", "1/day", Bound::kNonNegative, "exchange of conjugate between plasma and the extramedullary site",
         "0.103 /day", "marrow exchange times the Collins 2023 EMD factor 0.108 on KEO"},
        {"lethal_burden", "cell", Bound::kPositive,
         "tumour cells at which the animal or patient dies: survival ends on the first daily check at or above it "
         "(optional; docs/mouse.md)"},
        {"shed_antigen_from_tumour", "1", Bound::kFraction,
         "fraction of soluble antigen production that comes from the tumour (follows its burden)", "0.95",
         "SCIENCE.md 5.3: 2.57 ng/mL in healthy people against 56 ng/mL median in RRMM"},
    };
  }
  const char* member_list() const override { return "clones"; }
  std::vector<ParamDecl> member_parameters() const override {
    return {
        {"fraction", "1", Bound::kFraction, "the clone's fraction of the baseline tumour"},
        {"antigen", "1/cell", Bound::kNonNegative, "surface antigen copies per cell"},
        {"growth_factor", "1", Bound::kNonNegative, "growth rate relative to the disease's", "1", "default"},
        {"internalisation_factor", "1", Bound::kNonNegative, "internalisation relative to the agent's", "1", "default"},
        {"sensitivity", "1", Bound::kNonNegative, "payload sensitivity (0: insensitive; scales potency)", "1",
         "default"},
        {"efflux", "1/day", Bound::kNonNegative, "efflux of free payload by pumps (MDR1)", "0 /day",
         "default: no efflux pump"},
        {"antigen_downregulation", "1", Bound::kFraction,
         "fall of antigen synthesis at full occupancy (antigen loss under pressure)", "0", "default"},
    };
  }
  std::vector<std::string> members(const MechanismOptions& mo) const override {
    return static_cast<const DiseaseOptions&>(mo).clones;
  }
  std::vector<std::string> option_keys() const override {
    std::vector<std::string> keys = {"growth", "binding", "interstitial_payload"};
    keys.insert(keys.end(), assessment_keys().begin(), assessment_keys().end());
    return keys;
  }
  std::unique_ptr<MechanismOptions> default_options() const override { return std::make_unique<DiseaseOptions>(); }
  void read_options(const SectionInput& in, MechanismOptions& mo, AgentSpec&) const override {
    auto& o = static_cast<DiseaseOptions&>(mo);
    if (in.node["growth"]) {
      const std::string g = in.doc.text(in.node["growth"], in.key + ".growth");
      if (g == "gompertz") o.growth = GrowthLaw::kGompertz;
      else if (g == "exponential") o.growth = GrowthLaw::kExponential;
      else if (g == "logistic") o.growth = GrowthLaw::kLogistic;
      else if (g == "none") o.growth = GrowthLaw::kNone;
      else in.doc.fail(in.node["growth"], in.key + ".growth", "unknown growth law: use gompertz, exponential, logistic or none");
    }
    for (auto [key, field] : {std::pair{"binding", &o.binding}, std::pair{"interstitial_payload", &o.interstitial_payload}}) {
      if (!in.node[key]) continue;
      const std::string v = in.doc.text(in.node[key], in.key + "." + key);
      if (v == "kinetic") *field = Binding::kKinetic;
      else if (v == "quasi_equilibrium") *field = Binding::kQuasiEquilibrium;
      else in.doc.fail(in.node[key], in.key + "." + key, "unknown value '" + v + "': use kinetic or quasi_equilibrium");
    }
    if (in.node["clones"]) {
      o.clones.clear();
      for (const auto& e : in.node["clones"]) o.clones.push_back(e["name"].as<std::string>());
    }
    if (in.node["emd_fraction"]) o.extramedullary = true;
    if (in.node["flc"]) o.free_light_chains = true;
  }
  std::vector<std::pair<std::string, std::string>> write_options(const MechanismOptions& mo) const override {
    const auto& o = static_cast<const DiseaseOptions&>(mo);
    return {{"growth", to_string(o.growth)},
            {"binding", to_string(o.binding)},
            {"interstitial_payload", to_string(o.interstitial_payload)}};
  }
  std::vector<std::string> required(const MechanismOptions& mo) const override {
    std::vector<std::string> out;
    for (const std::string& c : static_cast<const DiseaseOptions&>(mo).clones) {
      out.push_back("clones." + c + ".fraction");
      out.push_back("clones." + c + ".antigen");
    }
    return out;
  }
  bool uses(const std::string& name, const MechanismOptions& mo) const override {
    const auto& o = static_cast<const DiseaseOptions&>(mo);
    if (name.rfind("emd_", 0) == 0) return o.extramedullary;
    if (name == "flc_half_life") return o.free_light_chains;
    return true;
  }
  std::string check(const AgentSpec& a, const MechanismOptions& mo) const override {
    const auto& o = static_cast<const DiseaseOptions&>(mo);
    if (!a.has_mechanism("cellular"))
      return fmt::format("agent '{}' has no cellular parameters (a 'cellular:' section: binding to the cell, "
                         "internalisation, payload potency), so its effect on the myeloma cannot be simulated",
                         a.id);
    if (!a.has("disease.m_protein") && !a.has("disease.cells"))
      return "give the baseline burden: 'm_protein' (serum M-protein, e.g. 30 g/L) or 'cells'";
    if (o.binding == Binding::kQuasiEquilibrium && a.has("cellular.kon") && !(a.params.at("cellular.kon").written.value > 0))
      return "binding: quasi_equilibrium needs the agent's cellular.kon > 0 (the equilibrium's KD is koff / kon)";
    if (o.interstitial_payload == Binding::kQuasiEquilibrium && a.has("cellular.payload_exchange") &&
        !(a.params.at("cellular.payload_exchange").written.value > 0))
      return "interstitial_payload: quasi_equilibrium needs the agent's cellular.payload_exchange > 0 (the payload "
             "must leave the site's fluid for the equilibrium to exist)";
    double sum = 0.0;
    for (const std::string& c : o.clones) sum += a.params.at("disease.clones." + c + ".fraction").written.value;
    if (std::abs(sum - 1.0) > 1e-6)
      return fmt::format("the clones' fractions add up to {:.6g}, not 1", sum);
    const bool counted = a.has("disease.cells");
    const double m = counted ? 0.0 : written_in(a, "m_protein", "g/L");
    const double per_m = counted ? 0.0 : written_in(a, "cells_per_m_protein", "cell*L/g");
    const double n0 = counted ? written_in(a, "cells", "cell") : m * per_m;
    if (a.has("disease.lethal_burden") && written_in(a, "lethal_burden", "cell") <= n0)
      return fmt::format("the lethal burden ({:g} cells) must exceed the baseline burden ({:g} cells): the animal "
                         "would be dead at the start",
                         written_in(a, "lethal_burden", "cell"), n0);
    // Gompertz and logistic growth need the plateau above the baseline burden: said
    // here, from the written values (else defaults), not by every patient's prepare.
    if (o.growth == GrowthLaw::kGompertz || o.growth == GrowthLaw::kLogistic) {
      const double capacity = written_in(a, "carrying_capacity", "cell");
      if (capacity <= n0)  // false when a value is missing or its unit is wrong: reported after
        return fmt::format(
            "the carrying capacity ({:g} cells{}) must exceed the baseline burden ({:g} cells{}) for {} growth: "
            "raise disease.carrying_capacity or choose another 'growth'",
            capacity, a.has("disease.carrying_capacity") ? "" : ", the default", n0,
            counted ? "" : fmt::format(": m_protein {:g} g/L times cells_per_m_protein {:g} cell*L/g", m, per_m),
            to_string(o.growth));
    }
    return "";
  }
  Dependencies dependencies() const override {
    return {{names::kBurdenRatio}, {names::kPools}, {names::kCentral, names::kFreeFraction}};
  }
  void build(ModelBuilder& b, const BuildPlan& plan, const MechanismOptions& mo) const override {
    const auto& o = static_cast<const DiseaseOptions&>(mo);
    if (plan.layout.species() > Tumour::kMaxSpecies) throw std::logic_error("too many conjugate species for the tumour");
    b.add_module(std::make_unique<Tumour>(b, plan, o));
  }
  const char* example() const override {
    return "{m_protein: 30 g/L, growth: none, clones: [{name: a, fraction: 0.9, antigen: 5000 /cell},"
           " {name: b, fraction: 0.1, antigen: 0 /cell}]}";
  }
  std::vector<std::string> needs_sections() const override { return {"cellular"}; }
  const char* switched_off() const override { return "{marrow_exchange: 0 /day}"; }
};

}  // namespace

std::vector<RandomEffectSpec> disease_random_effects(const std::vector<std::string>& clones) {
  auto log_normal = [](const std::string& parameter, double variance, const char* source) {
    RandomEffectSpec r;
    r.parameter = parameter;
    r.form = RandomEffectForm::kLogNormal;
    r.variance = variance;
    r.source = source;
    return r;
  };
  std::vector<RandomEffectSpec> out = {log_normal(
      "disease.doubling_time", 0.677,
      "Collins 2023 between-patient variance of KGR (omega^2 0.677, CV 96 %); the doubling time is ln 2 / KGR, "
      "so its logarithm has the same variance")};
  for (const std::string& c : clones)
    out.push_back(log_normal(
        "disease.clones." + c + ".antigen", 0.356,
        "estimate: BCMA on RRMM cells 670 (IQR 380-850) molecules per cell (SCIENCE.md 5.1, 15 patients); a "
        "log-normal with that IQR has variance (ln(850/380) / 1.349)^2 = 0.356. Used for any antigen; each "
        "clone varies on its own"));
  return out;
}

const Mechanism& disease_mechanism() {
  static const DiseaseMechanism m;
  return m;
}

}  // namespace icsim
