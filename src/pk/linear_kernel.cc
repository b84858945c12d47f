#include "pk/linear_kernel.h"

#include "pk/conjugate.h"
#include "pk/exposure/exposure.h"

namespace icsim {

bool LinearDispositionKernel::applies(const BuiltModel& m) {
  const std::vector<std::string> plain = {"disposition", "exposure_integral"};
  return m.model->module_names() == plain && m.layout.species() == 1 && m.model->accumulator_count() == 0;
}

LinearDispositionKernel::LinearDispositionKernel(const BuiltModel& m, const double* in)
    : course_(ClearanceCourse::find(*m.model)),
      central_(m.model->state(names::central(0))),
      peripheral_(m.model->state(names::peripheral(0))),
      auc_(m.model->state(kExposureState)),
      v1_(m.model->find_param("disposition.V1")),
      q_(m.model->find_param("disposition.Q")),
      v2_(m.model->find_param("disposition.V2")),
      in_(in) {}

void LinearDispositionKernel::eval(double t, const double* y, double* dy) {
  if (t != last_t_) {
    last_cl_ = course_(p_, t);
    last_t_ = t;
  }
  const double conc = y[central_] / p_[v1_] * 1.0;  // free fraction 1, as in Disposition::rhs
  dy[central_] = in_[central_] - last_cl_ * conc;
  if (peripheral_ >= 0) {
    const double flow = p_[q_] * conc - p_[q_] * y[peripheral_] / p_[v2_];
    dy[central_] -= flow;
    dy[peripheral_] = in_[peripheral_] + flow;
  }
  dy[auc_] = in_[auc_] + y[central_] / p_[v1_];
}

}  // namespace icsim
