// Target-mediated drug disposition: full model and quasi-steady-state approximation.
#include <algorithm>
#include <cmath>
#include <string>

#include "pk/modules.h"

namespace icsim {

namespace {

// Target parameters shared by both forms. Baseline target R0 is either given
// directly or follows from synthesis: R0 = ksyn / kdeg.
struct TargetParams {
  int kdeg, kint, baseline, synthesis;
  bool synthesis_given;
  TargetParams(const ModelBuilder& b, bool syn)
      : kdeg(b.param("target.kdeg")),
        kint(b.param("target.kint")),
        baseline(b.param("target.baseline")),
        synthesis(b.param("target.synthesis")),
        synthesis_given(syn) {}
  double r0(const double* p) const { return synthesis_given ? p[synthesis] / p[kdeg] : p[baseline]; }
  double ksyn(const double* p) const { return synthesis_given ? p[synthesis] : p[baseline] * p[kdeg]; }
};

// Mager & Jusko 2001, in amounts within the central volume V1:
//   dA/dt  = ... - kon*A*R/V1 + koff*RC
//   dR/dt  = ksyn*V1 - kdeg*R - kon*A*R/V1 + koff*RC
//   dRC/dt = kon*A*R/V1 - (koff + kint)*RC
class TmddFull final : public Module {
 public:
  TmddFull(ModelBuilder& b, const ConjugateLayout& layout, bool syn)
      : tp_(b, syn), dar_(layout.dar) {
    free_target_ = b.add_state("target.free");
    central_ = central_states(b, layout);
    complex_ = add_conjugate_pool(b, layout, "target.complex");
    kon_ = b.param("target.kon");
    koff_ = b.param("target.koff");
    v1_ = b.param("disposition.V1");
    total_ = b.quantity(names::kPlasmaTotal);
    internalised_ = b.accumulator("target.internalised");
    payload_internalised_ = b.accumulator("payload.internalised");
    b.add_output({"target_free_nM", [this](const EvalContext& c) { return c.y[free_target_] / c.p[v1_]; }});
    b.add_output({"target_total_nM", [this](const EvalContext& c) {
                    double sum = c.y[free_target_];
                    for (int i : complex_) sum += c.y[i];
                    return sum / c.p[v1_];
                  }});
  }
  const char* name() const override { return "tmdd_full"; }
  double fastest_rate(const double* p) const override {
    return std::max({p[kon_] * tp_.r0(p), p[koff_] + p[tp_.kint], p[tp_.kdeg]});
  }

  void initialise(const double* p, double* y) const override { y[free_target_] = tp_.r0(p) * p[v1_]; }

  void derive(EvalContext& c) const override {
    double sum = 0.0;
    for (int i : complex_) sum += c.y[i];
    c.q[total_] += sum / c.p[v1_];
  }

  void rhs(const EvalContext& c, double* dy) const override {
    const double* p = c.p;
    const double v1 = p[v1_], kon = p[kon_], koff = p[koff_], kint = p[tp_.kint];
    const double r = c.y[free_target_];
    double net_binding = 0.0;
    for (size_t s = 0; s < complex_.size(); ++s) {
      const double rc = c.y[complex_[s]];
      const double bind = kon * c.y[central_[s]] * r / v1 - koff * rc;
      dy[central_[s]] -= bind;
      dy[complex_[s]] += bind - kint * rc;
      net_binding += bind;
      add_if(dy, internalised_, kint * rc);
      add_if(dy, payload_internalised_, dar_[s] * kint * rc);
    }
    dy[free_target_] += tp_.ksyn(p) * v1 - p[tp_.kdeg] * r - net_binding;
  }

 private:
  TargetParams tp_;
  std::vector<int> dar_, central_, complex_;
  int free_target_, kon_, koff_, v1_, total_, internalised_, payload_internalised_;
};

// Gibiansky et al. 2008 QSS: the central state holds total conjugate (free + bound),
// the target state total target; free drug solves the QSS quadratic
//   C = 0.5 * (b + sqrt(b^2 + 4*Kss*Ctot)),  b = Ctot - Rtot - Kss,
// written in the form without cancellation when b < 0.
class TmddQss final : public Module {
 public:
  TmddQss(ModelBuilder& b, const ConjugateLayout& layout, bool syn) : tp_(b, syn), dar_(layout.dar) {
    total_target_ = b.add_state("target.total");
    central_ = central_states(b, layout);
    kss_ = b.param("target.Kss");
    v1_ = b.param("disposition.V1");
    ff_ = b.quantity(names::kFreeFraction);
    complex_ = b.add_quantity("target.complex_nM");
    internalised_ = b.accumulator("target.internalised");
    payload_internalised_ = b.accumulator("payload.internalised");
    b.add_output({"target_free_nM", [this](const EvalContext& c) {
                    return c.y[total_target_] / c.p[v1_] - c.q[complex_];
                  }});
    b.add_output({"target_total_nM", [this](const EvalContext& c) { return c.y[total_target_] / c.p[v1_]; }});
  }
  const char* name() const override { return "tmdd_qss"; }

  void initialise(const double* p, double* y) const override { y[total_target_] = tp_.r0(p) * p[v1_]; }

  void derive(EvalContext& c) const override {
    const double v1 = c.p[v1_], kss = c.p[kss_];
    double amount = 0.0;
    for (int i : central_) amount += c.y[i];
    const double ctot = std::max(amount / v1, 0.0);
    const double rtot = std::max(c.y[total_target_] / v1, 0.0);
    const double bq = ctot - rtot - kss;
    const double root = std::sqrt(bq * bq + 4.0 * kss * ctot);
    const double free = bq >= 0.0 ? 0.5 * (bq + root) : (root - bq > 0.0 ? 2.0 * kss * ctot / (root - bq) : 0.0);
    c.q[complex_] = ctot - free;
    c.q[ff_] = ctot > 0.0 ? free / ctot : 1.0;
  }

  void rhs(const EvalContext& c, double* dy) const override {
    const double* p = c.p;
    const double v1 = p[v1_];
    const double complex_amount = c.q[complex_] * v1;
    const double internalisation = p[tp_.kint] * complex_amount;
    double amount = 0.0;
    for (int i : central_) amount += c.y[i];
    if (amount > 0.0) {
      for (size_t s = 0; s < central_.size(); ++s) {
        const double share = c.y[central_[s]] / amount;  // species bind alike
        dy[central_[s]] -= internalisation * share;
        add_if(dy, payload_internalised_, dar_[s] * internalisation * share);
      }
    }
    add_if(dy, internalised_, internalisation);
    dy[total_target_] += tp_.ksyn(p) * v1 - p[tp_.kdeg] * (c.y[total_target_] - complex_amount) - internalisation;
  }

 private:
  TargetParams tp_;
  std::vector<int> dar_, central_;
  int total_target_, kss_, v1_, ff_, complex_, internalised_, payload_internalised_;
};

}  // namespace

std::unique_ptr<Module> make_tmdd_full(ModelBuilder& b, const ConjugateLayout& layout, bool synthesis_given) {
  return std::make_unique<TmddFull>(b, layout, synthesis_given);
}

std::unique_ptr<Module> make_tmdd_qss(ModelBuilder& b, const ConjugateLayout& layout, bool synthesis_given) {
  return std::make_unique<TmddQss>(b, layout, synthesis_given);
}

}  // namespace icsim
