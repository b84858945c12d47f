// Deconjugation: each conjugated payload leaves its antibody at first order
// (rate k per payload), so species DAR n becomes n-1 at rate n*k (Bender et al.
// 2014 with equal per-payload rates). Applied to every conjugate pool alike, so the
// average DAR of a single dose falls as DAR0*exp(-k*t) whatever the disposition.
#include <stdexcept>

#include "pk/modules.h"

namespace icsim {

namespace {

class Deconjugation final : public Module {
 public:
  Deconjugation(ModelBuilder& b, const ConjugateLayout& layout) : dar_(layout.dar) {
    for (size_t s = 0; s < dar_.size(); ++s)
      if (dar_[s] != static_cast<int>(s))
        throw std::logic_error("deconjugation needs one species per DAR value 0..n");
    pools_ = b.conjugate_pools();
    k_ = b.param("dar.deconjugation");
    payload_lost_ = b.accumulator("payload.lost");
    const double mw = layout.molecular_weight;
    std::vector<int> central = pools_.front();
    b.add_output({"plasma_conjugated_ug_per_mL", [central, mw, this](const EvalContext& c) {
                    double sum = 0.0;
                    for (size_t s = 1; s < central.size(); ++s) sum += c.y[central[s]];
                    return sum / c.p[v1_] * mw * 1e-6;
                  }});
    b.add_output({"plasma_average_dar", [central](const EvalContext& c) {
                    double n = 0.0, payloads = 0.0;
                    for (size_t s = 0; s < central.size(); ++s) {
                      n += c.y[central[s]];
                      payloads += static_cast<double>(s) * c.y[central[s]];
                    }
                    return n > 0.0 ? payloads / n : 0.0;
                  }});
    v1_ = b.param("disposition.V1");
  }
  void link(const ModelBuilder& b) override { payload_ = b.state(names::kPayloadCentral); }
  const char* name() const override { return "deconjugation"; }

  void rhs(const EvalContext& c, double* dy) const override {
    const double k = c.p[k_];
    double released = 0.0;
    for (const auto& pool : pools_) {
      for (size_t s = 1; s < pool.size(); ++s) {
        const double flux = k * static_cast<double>(s) * c.y[pool[s]];
        dy[pool[s]] -= flux;
        dy[pool[s - 1]] += flux;
        released += flux;
      }
    }
    // Released payload enters plasma (Singh & Shah 2017, Eq 3 corrected).
    if (payload_ >= 0) dy[payload_] += released;
    else add_if(dy, payload_lost_, released);
  }

 private:
  std::vector<int> dar_;
  std::vector<std::vector<int>> pools_;
  int k_, payload_lost_, v1_ = -1, payload_ = -1;
};

}  // namespace

std::unique_ptr<Module> make_deconjugation(ModelBuilder& b, const ConjugateLayout& layout) {
  return std::make_unique<Deconjugation>(b, layout);
}

}  // namespace icsim
