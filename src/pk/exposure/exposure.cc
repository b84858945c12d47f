// The integral of the plasma total concentration as a state, so that AUC over any
// dosing interval is exact to the solver tolerance rather than a trapezoid sum.
#include "pk/modules.h"

namespace icsim {

namespace {

class ExposureIntegral final : public Module {
 public:
  explicit ExposureIntegral(ModelBuilder& b)
      : auc_(b.add_state("exposure.auc")), total_(b.quantity(names::kPlasmaTotal)) {}
  const char* name() const override { return "exposure_integral"; }
  void rhs(const EvalContext& c, double* dy) const override { dy[auc_] += c.q[total_]; }

 private:
  int auc_, total_;
};

}  // namespace

std::unique_ptr<Module> make_exposure_integral(ModelBuilder& b) {
  return std::make_unique<ExposureIntegral>(b);
}

}  // namespace icsim
