// The ADC effector (SCIENCE.md 1.2-1.3, Singh & Shah 2017 with tubulin binding in
// quasi-equilibrium). Per pool k (a clone at a site) one state: the payload in its
// cells, free plus bound to the intracellular target. Per site one state: the free
// payload in the interstitium, shared by every clone there (the bystander route).
//
//   total in the cells      c_T = I / V_cells
//   free (quasi-equilibrium with target T, dissociation constant K)
//                           c_f = ((c_T - T - K) + sqrt((c_T - T - K)^2 + 4 K c_T)) / 2
//   bound                   c_b = c_T - c_f
//   dI/dt  = freed in lysosomes - P (c_f - c_i) V_cells - efflux c_f V_cells - death I
//   dPi/dt = sum over pools of the last three terms + payload of dying cells' endosomes
//            + X (eps V_site C_plasma - Pi)
//   kill hazard = kmax (s c_T)^h / (EC50^h + (s c_T)^h)      (s: the clone's sensitivity)
//
// Killing follows the total payload in the cell, free and bound, as the kill term
// KKILL (DM1_f + DM1_b) of Singh & Shah 2017 does; the target binding holds payload
// in the cell (bound payload does not permeate or get pumped out).
//
// where c_i = Pi / (eps V_site) is the payload in the interstitial fluid, P the
// membrane permeability, X the plasma-site exchange and eps the payload's partition.
//
// With interstitial_payload: quasi_equilibrium, Pi has no state: it is the root of
// dPi/dt = 0, which is linear in Pi because permeation is,
//   Pi = (X eps V_site C_plasma + sum_k (P c_f V_cells + efflux + release + dying))
//        / (X + sum_k P V_cells / (eps V_site)),
// and what the cells lose goes on to plasma at once. X (25 min half-time for DM1)
// is the fastest rate of the model; this removes it.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "disease/effector.h"
#include "pk/conjugate.h"

namespace icsim {

namespace {

class AdcEffector final : public Effector {
 public:
  AdcEffector(ModelBuilder& b, const TumourLayout& t) : layout_(t) {
    if (!t.payload_equilibrium)
      for (size_t j = 0; j < t.sites.size(); ++j)
        interstitial_.push_back(b.add_state("tumour." + t.sites[j] + ".payload", {0.0, 1.0, 0.0}));
    for (int k = 0; k < t.pools(); ++k) {
      cell_.push_back(b.add_state(t.pool_name(k) + ".payload", {0.0, 1.0, 0.0}));
      const std::string clone = "disease.clones." + t.clones[t.clone_of(k)] + ".";
      sensitivity_.push_back(b.param(clone + "sensitivity"));
      efflux_.push_back(b.param(clone + "efflux"));
    }
    permeability_ = b.param("cellular.payload_permeability");
    exchange_ = b.param("cellular.payload_exchange");
    partition_ = b.param("cellular.payload_partition");
    target_ = b.param("cellular.target_concentration");
    kd_ = b.param("cellular.target_kd");
    kmax_ = b.param("cellular.kill_max");
    ec50_ = b.param("cellular.kill_ec50");
    hill_ = b.param("cellular.kill_hill");
    lost_ = b.accumulator("payload.lost", {0.0, 1.0, 0.0});
    cell_volume_ = b.param("cellular.cell_volume");
    // The payload in the cells of each clone at the first site (the marrow), nM;
    // blank below 1e4 cells, where the amount is within the solver's tolerance.
    const int clones = static_cast<int>(t.clones.size());
    for (int c = 0; c < clones; ++c) {
      b.add_output({"clone_" + t.clones[c] + "_payload_nM", [this, c](const EvalContext& e) {
                      const double cells = layout_.cells(e.y, c);
                      if (cells < 1e-5) return std::numeric_limits<double>::quiet_NaN();
                      return std::max(0.0, e.y[cell_[c]]) / (cells * 1e9 * e.p[cell_volume_]);
                    }});
    }
  }
  void link(ModelBuilder& b) override {
    plasma_ = b.find_state(names::kPayloadCentral);
    plasma_v1_ = b.find_param("payload.V1");
  }
  const char* name() const override { return "adc_effector"; }
  double fastest_rate(const double* p) const override {
    return layout_.payload_equilibrium ? p[permeability_] : std::max(p[exchange_], p[permeability_]);
  }

  void rhs(const EvalContext& c, const SiteView* sites, const PoolView* pools, double* dy,
           double* hazard) const override {
    const double* p = c.p;
    const double perm = p[permeability_], eps = p[partition_];
    const double plasma_conc = plasma_ >= 0 ? c.y[plasma_] / p[plasma_v1_] : 0.0;
    if (layout_.payload_equilibrium) {
      rhs_equilibrium(c, plasma_conc, sites, pools, dy, hazard);
      return;
    }
    for (size_t j = 0; j < interstitial_.size(); ++j) {
      const double pi = c.y[interstitial_[j]];
      const double exchange = p[exchange_] * (eps * sites[j].volume_L * plasma_conc - pi);
      dy[interstitial_[j]] += exchange;
      if (plasma_ >= 0) dy[plasma_] -= exchange;
      else add_if(dy, lost_, -exchange);  // no plasma payload model: what leaves the site is not followed
    }
    for (size_t k = 0; k < cell_.size(); ++k) {
      const PoolView& pool = pools[k];
      const int site = layout_.site_of(static_cast<int>(k));
      const double fluid = eps * sites[site].volume_L;
      const double c_i = fluid > 0.0 ? c.y[interstitial_[site]] / fluid : 0.0;
      const double amount = c.y[cell_[k]];
      const double v = pool.cell_volume_L;
      double c_total = 0.0;
      const double c_free = free_in_cells(p, amount, v, &c_total);
      const double permeation = perm * (c_free - c_i) * v;
      const double pumped = p[efflux_[k]] * c_free * v;
      const double released = pool.death_rate * amount;
      dy[cell_[k]] += pool.lysosomal_payload - permeation - pumped - released;
      dy[interstitial_[site]] += permeation + pumped + released + pool.dying_payload;
      hazard[k] = kill_hazard(p, k, c_total);
    }
  }

 private:
  // The free payload (nM) in a pool's cells holding `amount` nmol in volume v (L):
  // quasi-equilibrium with the intracellular target; writes the total into c_total.
  double free_in_cells(const double* p, double amount, double v, double* c_total) const {
    *c_total = 0.0;
    if (!(v > 0.0)) return 0.0;
    *c_total = std::max(0.0, amount) / v;
    const double b = *c_total - p[target_] - p[kd_];
    return 0.5 * (b + std::sqrt(b * b + 4.0 * p[kd_] * *c_total));
  }

  double kill_hazard(const double* p, size_t k, double c_total) const {
    const double hill = p[hill_], x = p[sensitivity_[k]] * c_total;
    const double xh = hill == 1.0 ? x : std::pow(x, hill);
    const double eh = hill == 1.0 ? p[ec50_] : std::pow(p[ec50_], hill);
    return x > 0.0 ? p[kmax_] * xh / (eh + xh) : 0.0;
  }

  void rhs_equilibrium(const EvalContext& c, double plasma_conc, const SiteView* sites, const PoolView* pools,
                       double* dy, double* hazard) const {
    const double* p = c.p;
    const double perm = p[permeability_], eps = p[partition_], x = p[exchange_];
    const size_t n_sites = layout_.sites.size();
    double inflow[2] = {0.0, 0.0}, uptake[2] = {0.0, 0.0};  // per site: cells' output at c_i = 0; P V / fluid
    double c_free[kMaxPools];
    for (size_t k = 0; k < cell_.size(); ++k) {
      const PoolView& pool = pools[k];
      const int site = layout_.site_of(static_cast<int>(k));
      const double fluid = eps * sites[site].volume_L, v = pool.cell_volume_L, amount = c.y[cell_[k]];
      double c_total = 0.0;
      c_free[k] = free_in_cells(p, amount, v, &c_total);
      inflow[site] += (perm + p[efflux_[k]]) * c_free[k] * v + pool.death_rate * amount + pool.dying_payload;
      if (fluid > 0.0) uptake[site] += perm * v / fluid;
      hazard[k] = kill_hazard(p, k, c_total);
    }
    double c_i[2] = {0.0, 0.0};
    for (size_t j = 0; j < n_sites; ++j) {
      const double fluid = eps * sites[j].volume_L;
      const double pi = x + uptake[j] > 0.0 ? (x * fluid * plasma_conc + inflow[j]) / (x + uptake[j]) : 0.0;
      c_i[j] = fluid > 0.0 ? pi / fluid : 0.0;
      const double to_plasma = x * (pi - fluid * plasma_conc);
      if (plasma_ >= 0) dy[plasma_] += to_plasma;
      else add_if(dy, lost_, to_plasma);
    }
    for (size_t k = 0; k < cell_.size(); ++k) {
      const PoolView& pool = pools[k];
      const double v = pool.cell_volume_L;
      const double out = perm * (c_free[k] - c_i[layout_.site_of(static_cast<int>(k))]) * v +
                         p[efflux_[k]] * c_free[k] * v + pool.death_rate * c.y[cell_[k]];
      dy[cell_[k]] += pool.lysosomal_payload - out;
    }
  }

  static constexpr size_t kMaxPools = 64;

  TumourLayout layout_;
  std::vector<int> interstitial_, cell_, sensitivity_, efflux_;
  int permeability_, exchange_, partition_, target_, kd_, kmax_, ec50_, hill_, lost_;
  int cell_volume_, plasma_ = -1, plasma_v1_ = -1;
};

}  // namespace

std::unique_ptr<Effector> make_adc_effector(ModelBuilder& b, const TumourLayout& t, const ConjugateLayout&) {
  return std::make_unique<AdcEffector>(b, t);
}

}  // namespace icsim
