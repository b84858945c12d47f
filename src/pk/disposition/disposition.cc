#include <cmath>
#include <string>

#include "pk/modules.h"

namespace icsim {

std::string names::central(int s) { return "conjugate.central." + std::to_string(s); }
std::string names::peripheral(int s) { return "conjugate.peripheral." + std::to_string(s); }

ClearanceCourse ClearanceCourse::find(const ModelBuilder& b) {
  ClearanceCourse c;
  c.cl = b.param("disposition.CL");
  c.t50_pow = b.param("disposition.clearance_change.T50^gamma");
  if (c.t50_pow >= 0) {  // declared only when the clearance changes
    c.imax = b.param("disposition.clearance_change.Imax");
    c.gamma = b.param("disposition.clearance_change.gamma");
    c.first_dose = b.param(kFirstDoseParam);
  }
  return c;
}

std::vector<int> central_states(const ModelBuilder& b, const ConjugateLayout& layout) {
  std::vector<int> states;
  for (int s = 0; s < layout.species(); ++s) states.push_back(b.state(names::central(s)));
  return states;
}

std::vector<int> add_conjugate_pool(ModelBuilder& b, const ConjugateLayout& layout, const std::string& prefix) {
  std::vector<int> pool;
  for (int s = 0; s < layout.species(); ++s) pool.push_back(b.add_state(prefix + "." + std::to_string(s)));
  b.add_conjugate_pool(pool);
  return pool;
}

namespace {

class Disposition final : public Module {
 public:
  Disposition(ModelBuilder& b, const ConjugateLayout& layout, int compartments, bool tvc)
      : dar_(layout.dar), two_(compartments == 2), tvc_(tvc) {
    const int n = layout.species();
    std::vector<int> central_pool, peripheral_pool;
    for (int s = 0; s < n; ++s) central_pool.push_back(b.add_state(names::central(s)));
    if (two_)
      for (int s = 0; s < n; ++s) peripheral_pool.push_back(b.add_state(names::peripheral(s)));
    central_ = central_pool;
    peripheral_ = peripheral_pool;
    b.add_conjugate_pool(central_pool);
    if (two_) b.add_conjugate_pool(peripheral_pool);
    cl_ = b.param("disposition.CL");
    v1_ = b.param("disposition.V1");
    q_ = b.param("disposition.Q");
    v2_ = b.param("disposition.V2");
    t50_ = b.param("disposition.clearance_change.T50");
    if (tvc_) {
      b.add_derived_param("disposition.clearance_change.T50^gamma");
      b.add_derived_param(kFirstDoseParam);
    }
    course_ = ClearanceCourse::find(b);
    ff_ = b.add_quantity(names::kFreeFraction);
    total_ = b.add_quantity(names::kPlasmaTotal);
    eliminated_ = b.accumulator("conjugate.eliminated");
    payload_lost_ = b.accumulator("payload.lost");
  }

  // Called after all modules exist, so the payload state can be found.
  void link(const ModelBuilder& b) override {
    payload_ = b.state(names::kPayloadCentral);
    release_ = b.param("payload.release_on_catabolism");
  }

  const char* name() const override { return "disposition"; }

  void prepare(double* p) const override {
    if (tvc_) p[course_.t50_pow] = std::pow(p[t50_], p[course_.gamma]);
  }

  void derive(EvalContext& c) const override {
    c.q[ff_] = 1.0;
    double sum = 0.0;
    for (int i : central_) sum += c.y[i];
    c.q[total_] = sum / c.p[v1_];
  }

  void rhs(const EvalContext& c, double* dy) const override {
    const double v1 = c.p[v1_], cl = course_(c.p, c.t), ff = c.q[ff_];
    const double release = release_ >= 0 ? c.p[release_] : 0.0;
    const int n = static_cast<int>(central_.size());
    double payload_released = 0.0;
    for (int s = 0; s < n; ++s) {
      const double free_conc = c.y[central_[s]] / v1 * ff;
      const double elim = cl * free_conc;  // linear clearance acts on free conjugate
      dy[central_[s]] -= elim;
      add_if(dy, eliminated_, elim);
      payload_released += dar_[s] * elim;
      if (two_) {
        const double v2 = c.p[v2_], q = c.p[q_];
        const double flow = q * free_conc - q * c.y[peripheral_[s]] / v2;
        dy[central_[s]] -= flow;
        dy[peripheral_[s]] += flow;
      }
    }
    if (payload_ >= 0) {
      dy[payload_] += release * payload_released;
      add_if(dy, payload_lost_, (1.0 - release) * payload_released);
    } else {
      add_if(dy, payload_lost_, payload_released);
    }
  }

 private:
  std::vector<int> dar_, central_, peripheral_;
  bool two_, tvc_;
  ClearanceCourse course_;
  int cl_, v1_, q_, v2_, t50_, ff_, total_;
  int eliminated_, payload_lost_, payload_ = -1, release_ = -1;
};

}  // namespace

std::unique_ptr<Module> make_disposition(ModelBuilder& b, const ConjugateLayout& layout,
                                         int compartments, bool time_varying_clearance) {
  return std::make_unique<Disposition>(b, layout, compartments, time_varying_clearance);
}

}  // namespace icsim
