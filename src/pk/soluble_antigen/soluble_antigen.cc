// Soluble (shed) antigen, e.g. sBCMA: produced and eliminated on its own, binds
// free conjugate in plasma; the complex is eliminated at its own rate, so the
// antigen acts as a sink (soluble-receptor block of the sHER2 models, SCIENCE.md 2.3).
#include <algorithm>
#include <string>

#include "pk/modules.h"

namespace icsim {

namespace {

class SolubleAntigen final : public Module {
 public:
  SolubleAntigen(ModelBuilder& b, const ConjugateLayout& layout, double antigen_mw) : dar_(layout.dar) {
    free_ = b.add_state("soluble_antigen.free");
    central_ = central_states(b, layout);
    complex_ = add_conjugate_pool(b, layout, "soluble_antigen.complex");
    baseline_ = b.param("soluble_antigen.baseline");
    kdeg_ = b.param("soluble_antigen.kdeg");
    kon_ = b.param("soluble_antigen.kon");
    koff_ = b.param("soluble_antigen.koff");
    kel_ = b.param("soluble_antigen.complex_elimination");
    v1_ = b.param("disposition.V1");
    ff_ = b.quantity(names::kFreeFraction);
    total_ = b.quantity(names::kPlasmaTotal);
    eliminated_ = b.accumulator("soluble_antigen.complex_eliminated");
    payload_lost_ = b.accumulator("payload.lost");
    const double ng_per_mL_per_nM = antigen_mw * 1e-3;
    b.add_output({"soluble_antigen_free_ng_per_mL", [this, ng_per_mL_per_nM](const EvalContext& c) {
                    return c.y[free_] / c.p[v1_] * ng_per_mL_per_nM;
                  }});
  }
  void link(const ModelBuilder& b) override {
    payload_ = b.state(names::kPayloadCentral);
    release_ = b.param("payload.release_on_catabolism");
  }
  const char* name() const override { return "soluble_antigen"; }
  double fastest_rate(const double* p) const override {
    return std::max({p[kon_] * p[baseline_], p[koff_] + p[kel_], p[kdeg_]});
  }

  void initialise(const double* p, double* y) const override { y[free_] = p[baseline_] * p[v1_]; }

  void derive(EvalContext& c) const override {
    double sum = 0.0;
    for (int i : complex_) sum += c.y[i];
    c.q[total_] += sum / c.p[v1_];
  }

  void rhs(const EvalContext& c, double* dy) const override {
    const double* p = c.p;
    const double v1 = p[v1_], kon = p[kon_], koff = p[koff_], kel = p[kel_], kdeg = p[kdeg_];
    const double ff = c.q[ff_], sag = c.y[free_];
    double net_binding = 0.0, payload_released = 0.0;
    for (size_t s = 0; s < complex_.size(); ++s) {
      const double rc = c.y[complex_[s]];
      const double bind = kon * c.y[central_[s]] * ff * sag / v1 - koff * rc;
      dy[central_[s]] -= bind;
      dy[complex_[s]] += bind - kel * rc;
      net_binding += bind;
      add_if(dy, eliminated_, kel * rc);
      payload_released += dar_[s] * kel * rc;
    }
    // sS0 is the drug-free steady state: synthesis = kdeg * baseline.
    dy[free_] += kdeg * p[baseline_] * v1 - kdeg * sag - net_binding;
    const double release = (payload_ >= 0 && release_ >= 0) ? p[release_] : 0.0;
    add_if(dy, payload_, release * payload_released);
    add_if(dy, payload_lost_, (1.0 - release) * payload_released);
  }

 private:
  std::vector<int> dar_, central_, complex_;
  int free_, baseline_, kdeg_, kon_, koff_, kel_, v1_, ff_, total_, eliminated_, payload_lost_;
  int payload_ = -1, release_ = -1;
};

}  // namespace

std::unique_ptr<Module> make_soluble_antigen(ModelBuilder& b, const ConjugateLayout& layout, double antigen_mw) {
  return std::make_unique<SolubleAntigen>(b, layout, antigen_mw);
}

}  // namespace icsim
