#include "ode/eigen_dense_solver.h"

#include <nvector/nvector_serial.h>
#include <sunmatrix/sunmatrix_dense.h>

#include <Eigen/Dense>

namespace icsim {

namespace {

struct Content {
  explicit Content(int n) : lu(n) {}
  Eigen::PartialPivLU<Eigen::MatrixXd> lu;
  sunindextype last_flag = 0;
};

Content* content(SUNLinearSolver s) { return static_cast<Content*>(s->content); }

SUNLinearSolver_Type get_type(SUNLinearSolver) { return SUNLINEARSOLVER_DIRECT; }
SUNLinearSolver_ID get_id(SUNLinearSolver) { return SUNLINEARSOLVER_CUSTOM; }
int initialize(SUNLinearSolver) { return SUNLS_SUCCESS; }

// setup and solve are called from CVODE's C frames, which an exception (Eigen may
// throw std::bad_alloc) must not unwind: it becomes an unrecoverable failure.
int setup(SUNLinearSolver s, SUNMatrix a) noexcept {
  Content* c = content(s);
  try {
    const sunindextype n = SUNDenseMatrix_Rows(a);
    // SUNDIALS dense matrices are stored column-major, as Eigen's default.
    const Eigen::Map<const Eigen::MatrixXd> m(SUNDenseMatrix_Data(a), n, n);
    c->lu.compute(m);
    // A zero pivot means a singular iteration matrix: recoverable, CVODE cuts the step.
    const auto& d = c->lu.matrixLU().diagonal();
    for (sunindextype i = 0; i < n; ++i)
      if (d[i] == 0.0) return c->last_flag = i + 1;
    return c->last_flag = SUNLS_SUCCESS;
  } catch (...) {
    return c->last_flag = SUNLS_PACKAGE_FAIL_UNREC;
  }
}

int solve(SUNLinearSolver s, SUNMatrix, N_Vector x, N_Vector b, realtype) noexcept {
  Content* c = content(s);
  try {
    const sunindextype n = N_VGetLength_Serial(b);
    Eigen::Map<Eigen::VectorXd> xv(N_VGetArrayPointer(x), n);
    const Eigen::Map<const Eigen::VectorXd> bv(N_VGetArrayPointer(b), n);
    xv = c->lu.solve(bv);
    return c->last_flag = SUNLS_SUCCESS;
  } catch (...) {
    return c->last_flag = SUNLS_PACKAGE_FAIL_UNREC;
  }
}

sunindextype last_flag(SUNLinearSolver s) { return content(s)->last_flag; }

int free_solver(SUNLinearSolver s) {
  if (!s) return SUNLS_SUCCESS;
  delete content(s);
  s->content = nullptr;
  SUNLinSolFreeEmpty(s);
  return SUNLS_SUCCESS;
}

}  // namespace

// Like SUNDIALS' own constructors, returns nullptr when out of memory.
SUNLinearSolver make_eigen_dense_solver(SUNContext ctx, int n) {
  SUNLinearSolver s = SUNLinSolNewEmpty(ctx);
  if (!s) return nullptr;
  s->ops->gettype = get_type;
  s->ops->getid = get_id;
  s->ops->initialize = initialize;
  s->ops->setup = setup;
  s->ops->solve = solve;
  s->ops->lastflag = last_flag;
  s->ops->free = free_solver;
  try {
    s->content = new Content(n);
  } catch (...) {
    SUNLinSolFreeEmpty(s);
    return nullptr;
  }
  return s;
}

}  // namespace icsim
