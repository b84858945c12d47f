// A SUNDIALS dense direct linear solver backed by Eigen's blocked, vectorised LU
// with partial pivoting: the same factorisation as SUNLinSol_Dense, several times
// faster on the 10-50 state systems of binding models (bench/, Binding/*).
#pragma once

#include <sundials/sundials_context.h>
#include <sundials/sundials_linearsolver.h>

namespace icsim {

SUNLinearSolver make_eigen_dense_solver(SUNContext ctx, int n);

}  // namespace icsim
