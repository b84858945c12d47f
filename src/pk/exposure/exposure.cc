// The integral of the plasma total concentration as a state, so that AUC over any
// dosing interval is exact to the solver tolerance rather than a trapezoid sum.
#include "pk/exposure/exposure.h"

#include "pk/conjugate.h"

namespace icsim {

namespace {

class ExposureIntegral final : public Module {
 public:
  explicit ExposureIntegral(ModelBuilder& b)
      : auc_(b.add_state(kExposureState)), total_(b.quantity(names::kPlasmaTotal)) {}
  const char* name() const override { return "exposure_integral"; }
  void rhs(const EvalContext& c, double* dy) const override { dy[auc_] += c.q[total_]; }

 private:
  int auc_, total_;
};

}  // namespace

namespace {

struct NoOptions final : OptionsBase<NoOptions> {
  bool is_valid(std::string*) const override { return true; }
};

class ExposureMechanism final : public Mechanism {
 public:
  const char* section() const override { return "exposure"; }
  const char* summary() const override { return "the integral of the plasma total concentration (exact AUC)"; }
  bool always_on() const override { return true; }
  bool has_section() const override { return false; }
  std::vector<ParamDecl> parameters() const override { return {}; }
  std::unique_ptr<MechanismOptions> default_options() const override { return std::make_unique<NoOptions>(); }
  std::vector<std::string> required(const MechanismOptions&) const override { return {}; }
  Dependencies dependencies() const override { return {{}, {}, {names::kPlasmaTotal}}; }
  void build(ModelBuilder& b, const BuildPlan& plan, const MechanismOptions&) const override {
    b.add_module(std::make_unique<ExposureIntegral>(b));
    // Cumulative AUC from time 0, so exposure to any time can be read off the grid.
    const int auc = b.state(kExposureState);
    const double ug_per_mL_per_nM = plan.layout.molecular_weight * 1e-6;
    b.add_output({"auc_cumulative_ug_day_per_mL", [auc, ug_per_mL_per_nM](const EvalContext& c) {
                    return c.y[auc] * ug_per_mL_per_nM;
                  }});
  }
  const char* example() const override { return ""; }
};

}  // namespace

const Mechanism& exposure_mechanism() {
  static const ExposureMechanism m;
  return m;
}

}  // namespace icsim
