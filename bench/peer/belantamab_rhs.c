/* Right-hand side of the belantamab mafodotin population PK model for deSolve's
 * compiled-code interface (Papathanasiou et al., Clin Pharmacokinet
 * 2025;64(6):925-942): linear two-compartment model, amounts in mg, time in days
 * since the first dose, CL(t) = CL * exp(Imax * t^g / (T50^g + t^g)).
 * States: A1 (central), A2 (peripheral), R (zero-order infusion rate, mg/day). R is
 * constant between deSolve events; the event function below switches it on at each
 * infusion start and off at each end, and deSolve restarts lsoda after every event. */
#include <R_ext/RS.h>
#include <math.h>

static double parms[8]; /* CL, V1, Q, V2, Imax, T50, gamma, infusion rate (mg/day) */
static double t50g;     /* T50^gamma, computed once per patient */

void initmod(void (*odeparms)(int *, double *)) {
  int n = 8;
  odeparms(&n, parms);
  t50g = pow(parms[5], parms[6]);
}

void derivs(int *neq, double *t, double *y, double *ydot, double *yout, int *ip) {
  const double V1 = parms[1], Q = parms[2], V2 = parms[3], imax = parms[4];
  double tg = pow(*t, parms[6]);
  double cl = parms[0] * exp(imax * tg / (t50g + tg));
  double c1 = y[0] / V1, c2 = y[1] / V2;
  ydot[0] = y[2] - cl * c1 - Q * c1 + Q * c2;
  ydot[1] = Q * c1 - Q * c2;
  ydot[2] = 0.0;
}

/* Event at each infusion start and end: toggle the infusion on or off. */
void infusion_event(int *n, double *t, double *y) {
  y[2] = (y[2] > 0.0) ? 0.0 : parms[7];
}
