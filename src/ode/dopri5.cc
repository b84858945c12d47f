// Explicit Runge-Kutta Dormand-Prince 5(4) with FSAL, PI-free standard step control
// and the 4th-order continuous extension of Hairer, Norsett & Wanner (Solving ODEs I,
// 2nd ed., Sec. II.5 and II.6; code DOPRI5).
#include <algorithm>
#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "core/aligned.h"
#include "icsim/error.h"
#include "ode/stepper.h"

namespace icsim {

namespace {

constexpr double c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9;
constexpr double a21 = 1.0 / 5;
constexpr double a31 = 3.0 / 40, a32 = 9.0 / 40;
constexpr double a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9;
constexpr double a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561, a54 = -212.0 / 729;
constexpr double a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176,
                 a65 = -5103.0 / 18656;
constexpr double a71 = 35.0 / 384, a73 = 500.0 / 1113, a74 = 125.0 / 192, a75 = -2187.0 / 6784,
                 a76 = 11.0 / 84;
constexpr double e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200,
                 e6 = 22.0 / 525, e7 = -1.0 / 40;
constexpr double d1 = -12715105075.0 / 11282082432.0, d3 = 87487479700.0 / 32700410799.0,
                 d4 = -10690763975.0 / 1880347072.0, d5 = 701980252875.0 / 199316789632.0,
                 d6 = -1453857185.0 / 822651844.0, d7 = 69997945.0 / 29380423.0;

class alignas(kCacheLine) Dopri5 final : public Stepper {
 public:
  Dopri5(int n, OdeRhs& rhs, const SolverOptions& o)
      : n_(n), rhs_(rhs), o_(o), y_(n), y1_(n), k1_(n), k2_(n), k3_(n), k4_(n), k5_(n), k6_(n),
        k7_(n), tmp_(n), r1_(n), r2_(n), r3_(n), r4_(n), r5_(n) {}

  void restart(double t, const double* y) override {
    t_ = t;
    std::copy(y, y + n_, y_.begin());
    eval(t_, y_.data(), k1_.data());
    steps_ = 0;  // h_ carries over: the last step size is a good first guess
  }

  void forget() override {
    h_ = 0.0;
    stiff_ = non_stiff_ = 0;
  }

  double step(double t_stop) override {
    const double span = t_stop - t_;
    if (span <= 0.0) return t_;
    if (h_ <= 0.0) h_ = initial_step(span);
    for (;;) {
      if (++steps_ > o_.max_steps)
        throw SolverError(t_, fmt::format("more than {} steps in one dosing segment", o_.max_steps));
      bool last = false;
      double h = h_;
      if (t_ + 1.01 * h >= t_stop) {
        h = t_stop - t_;
        last = true;
      }
      const double err = attempt(h);
      if (!std::isfinite(err))
        throw SolverError(t_, "the state became non-finite (NaN or infinity)");
      double fac = err == 0.0 ? 10.0 : std::clamp(0.9 * std::pow(err, -0.2), 0.2, 10.0);
      if (err <= 1.0) {
        ++accepted_;
        accept(h, last ? t_stop : t_ + h);
        h_ = last ? std::max(h_, h * fac) : h * fac;
        return t_;
      }
      ++rejected_;
      h_ = h * std::max(fac, 0.1);
      if (h_ < 1e-14 * std::max(1.0, std::abs(t_)))
        throw SolverError(t_, "step size fell below the round-off limit");
    }
  }

  const double* state() const override { return y_.data(); }

  void interpolate(double t, double* out) override {
    const double th = (t - t_old_) / h_old_, th1 = 1.0 - th;
    for (int i = 0; i < n_; ++i)
      out[i] = r1_[i] + th * (r2_[i] + th1 * (r3_[i] + th * (r4_[i] + th1 * r5_[i])));
  }

  long rhs_evaluations() const override { return evals_; }
  SolverWork work() const override { return {accepted_, rejected_, evals_, 0}; }
  const char* name() const override { return "dopri5"; }

 private:
  void eval(double t, const double* y, double* dy) {
    ++evals_;
    rhs_.eval(t, y, dy);
  }

  // Hairer's starting step (Solving ODEs I, Sec. II.4).
  double initial_step(double span) {
    double d0 = 0, d1 = 0;
    for (int i = 0; i < n_; ++i) {
      const double sc = o_.atol + o_.rtol * std::abs(y_[i]);
      d0 += (y_[i] / sc) * (y_[i] / sc);
      d1 += (k1_[i] / sc) * (k1_[i] / sc);
    }
    d0 = std::sqrt(d0 / n_);
    d1 = std::sqrt(d1 / n_);
    double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
    h0 = std::min(h0, span);
    for (int i = 0; i < n_; ++i) tmp_[i] = y_[i] + h0 * k1_[i];
    eval(t_ + h0, tmp_.data(), k2_.data());
    double d2 = 0;
    for (int i = 0; i < n_; ++i) {
      const double sc = o_.atol + o_.rtol * std::abs(y_[i]);
      d2 += ((k2_[i] - k1_[i]) / sc) * ((k2_[i] - k1_[i]) / sc);
    }
    d2 = std::sqrt(d2 / n_) / h0;
    const double dm = std::max(d1, d2);
    const double h1 = dm <= 1e-15 ? std::max(1e-6, h0 * 1e-3) : std::pow(0.01 / dm, 0.2);
    return std::min({100 * h0, h1, span});
  }

  double attempt(double h) {
    // Local restrict pointers: the stage loops then keep everything in registers.
    const int n = n_;
    const double* __restrict y = y_.data();
    double* __restrict tmp = tmp_.data();
    double* __restrict y1 = y1_.data();
    const double* __restrict k1 = k1_.data();
    double* __restrict k2 = k2_.data();
    double* __restrict k3 = k3_.data();
    double* __restrict k4 = k4_.data();
    double* __restrict k5 = k5_.data();
    double* __restrict k6 = k6_.data();
    double* __restrict k7 = k7_.data();
    for (int i = 0; i < n; ++i) tmp[i] = y[i] + h * a21 * k1[i];
    eval(t_ + c2 * h, tmp, k2);
    for (int i = 0; i < n; ++i) tmp[i] = y[i] + h * (a31 * k1[i] + a32 * k2[i]);
    eval(t_ + c3 * h, tmp, k3);
    for (int i = 0; i < n; ++i) tmp[i] = y[i] + h * (a41 * k1[i] + a42 * k2[i] + a43 * k3[i]);
    eval(t_ + c4 * h, tmp, k4);
    for (int i = 0; i < n; ++i) tmp[i] = y[i] + h * (a51 * k1[i] + a52 * k2[i] + a53 * k3[i] + a54 * k4[i]);
    eval(t_ + c5 * h, tmp, k5);
    for (int i = 0; i < n; ++i)
      tmp[i] = y[i] + h * (a61 * k1[i] + a62 * k2[i] + a63 * k3[i] + a64 * k4[i] + a65 * k5[i]);
    eval(t_ + h, tmp, k6);
    for (int i = 0; i < n; ++i) y1[i] = y[i] + h * (a71 * k1[i] + a73 * k3[i] + a74 * k4[i] + a75 * k5[i] + a76 * k6[i]);
    eval(t_ + h, y1, k7);
    double err = 0.0;
    for (int i = 0; i < n; ++i) {
      const double ei = h * (e1 * k1[i] + e3 * k3[i] + e4 * k4[i] + e5 * k5[i] + e6 * k6[i] + e7 * k7[i]);
      const double sc = o_.atol + o_.rtol * std::max(std::abs(y[i]), std::abs(y1[i]));
      err += (ei / sc) * (ei / sc);
    }
    return std::sqrt(err / n);
  }

  // Hairer & Wanner's stiffness test for DOPRI5 (Solving ODEs II, Sec. IV.2; code
  // DOPRI5): h*lambda estimated from the last two stages at t+h; beyond the method's
  // stability boundary (3.25) on 15 accepted steps without 6 non-stiff ones between,
  // the problem is stiff and an implicit method is cheaper.
  void test_stiffness(double h) {
    double num = 0.0, den = 0.0;
    for (int i = 0; i < n_; ++i) {
      const double dk = k7_[i] - k6_[i], dy = y1_[i] - tmp_[i];
      num += dk * dk;
      den += dy * dy;
    }
    if (den > 0.0 && h * std::sqrt(num / den) > 3.25) {
      non_stiff_ = 0;
      if (++stiff_ >= 15) throw StiffnessDetected(t_);
    } else if (++non_stiff_ == 6) {
      stiff_ = 0;
    }
  }

  void accept(double h, double t_new) {
    if (o_.detect_stiffness) test_stiffness(h);
    for (int i = 0; i < n_; ++i) {
      const double dy = y1_[i] - y_[i];
      const double bspl = h * k1_[i] - dy;
      r1_[i] = y_[i];
      r2_[i] = dy;
      r3_[i] = bspl;
      r4_[i] = dy - h * k7_[i] - bspl;
      r5_[i] = h * (d1 * k1_[i] + d3 * k3_[i] + d4 * k4_[i] + d5 * k5_[i] + d6 * k6_[i] + d7 * k7_[i]);
    }
    t_old_ = t_;
    h_old_ = h;
    t_ = t_new;
    std::swap(y_, y1_);
    std::swap(k1_, k7_);  // first same as last
  }

  int n_;
  OdeRhs& rhs_;
  SolverOptions o_;
  AlignedVector y_, y1_, k1_, k2_, k3_, k4_, k5_, k6_, k7_, tmp_, r1_, r2_, r3_, r4_, r5_;
  double t_ = 0, h_ = 0, t_old_ = 0, h_old_ = 1;
  long steps_ = 0, evals_ = 0, accepted_ = 0, rejected_ = 0;
  int stiff_ = 0, non_stiff_ = 0;  // stiffness test counts
};

}  // namespace

std::unique_ptr<Stepper> make_dopri5_stepper(int n, OdeRhs& rhs, const SolverOptions& o) {
  return std::make_unique<Dopri5>(n, rhs, o);
}

}  // namespace icsim
