// The right-hand side of a model that is nothing but linear disposition (one
// conjugate species, no binding, no payload) and its exposure integral, fused into
// one function. It computes the same terms, in the same order, as the modules
// Disposition and ExposureIntegral composed by Model::rhs, without the dispatch;
// PatientSimulator uses it whenever a model allows (tests/pk/linear_kernel_test.cc).
#pragma once

#include "core/aligned.h"
#include "model/build.h"
#include "ode/stepper.h"
#include "pk/disposition/disposition.h"

namespace icsim {

class alignas(kCacheLine) LinearDispositionKernel final : public OdeRhs {
 public:
  // True when `m` consists of exactly what this kernel computes.
  static bool applies(const BuiltModel& m);
  LinearDispositionKernel(const BuiltModel& m, const double* in);
  void set_params(const double* p) {
    p_ = p;
    last_t_ = -1.0;
  }
  void eval(double t, const double* y, double* dy) override;

 private:
  ClearanceCourse course_;
  int central_, peripheral_, auc_, v1_, q_, v2_;
  const double* in_;
  const double* p_ = nullptr;
  double last_t_ = -1.0, last_cl_ = 0.0;  // Runge-Kutta stages repeat times
};

}  // namespace icsim
