// The CVODE wrapper (src/ode/cvode.cc) around its C library: an exception from the
// right-hand side reaches the caller of step() intact instead of unwinding through
// CVODE, and the SUNDIALS handles are owned so that steppers come and go cleanly.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <typeinfo>

#include "ode/stepper.h"

namespace icsim {
namespace {

// dy/dt = -y, throwing once t passes throw_after.
struct ThrowingDecay : OdeRhs {
  double throw_after = 1.0;
  void eval(double t, const double* y, double* dy) override {
    if (t > throw_after) throw std::runtime_error("boom");
    dy[0] = -y[0];
  }
};

TEST(CvodeWrapper, RhsExceptionIsRethrownFromStep) {
  ThrowingDecay rhs;
  const SolverOptions o;
  auto stepper = make_cvode_stepper(1, rhs, o);
  const double y0 = 1.0;
  stepper->restart(0.0, &y0);
  bool caught = false;
  try {
    for (double t = 0.0; t < 5.0;) t = stepper->step(5.0);
  } catch (const std::exception& e) {
    caught = true;
    // The same exception, not a SolverError made from CVODE's CV_RHSFUNC_FAIL.
    EXPECT_EQ(typeid(e), typeid(std::runtime_error));
    EXPECT_STREQ(e.what(), "boom");
  }
  EXPECT_TRUE(caught);

  // CVODE was left usable: a restart integrates normally.
  rhs.throw_after = std::numeric_limits<double>::infinity();
  stepper->restart(0.0, &y0);
  double t = 0.0;
  while (t < 5.0) t = stepper->step(5.0);
  EXPECT_EQ(t, 5.0);
  EXPECT_NEAR(stepper->state()[0], std::exp(-5.0), 1e-4);
}

// A smoke test for the ownership of the SUNDIALS handles, not a leak check (run it
// under valgrind or -fsanitize=address for that): 1,000 steppers made, used for one
// step and destroyed must not crash.
TEST(CvodeWrapper, ConstructDestroyManyTimes) {
  ThrowingDecay rhs;
  rhs.throw_after = std::numeric_limits<double>::infinity();
  const SolverOptions o;
  const double y0 = 1.0;
  for (int i = 0; i < 1000; ++i) {
    auto stepper = make_cvode_stepper(1, rhs, o);
    stepper->restart(0.0, &y0);
    ASSERT_GT(stepper->step(1.0), 0.0);
  }
}

}  // namespace
}  // namespace icsim
