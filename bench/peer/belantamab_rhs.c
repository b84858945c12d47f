/* Right-hand side of the belantamab mafodotin population PK model for deSolve's
 * compiled-code interface (Papathanasiou et al., Clin Pharmacokinet
 * 2025;64(6):925-942): linear two-compartment model, amounts in mg, time in days,
 * CL(t) = CL * exp(Imax * t^g / (T50^g + t^g)). State 3 is the infusion rate (mg/day),
 * set by events at each infusion start and end, so the solver restarts there. */
#include <R_ext/RS.h>
#include <math.h>

static double parms[7]; /* CL, V1, Q, V2, Imax, T50, gamma */
#define CL parms[0]
#define V1 parms[1]
#define Q parms[2]
#define V2 parms[3]
#define IMAX parms[4]
#define T50 parms[5]
#define GAMMA parms[6]

void initmod(void (*odeparms)(int *, double *)) {
  int n = 7;
  odeparms(&n, parms);
}

void derivs(int *neq, double *t, double *y, double *ydot, double *yout, int *ip) {
  double cl = CL;
  if (*t > 0) {
    double tg = pow(*t, GAMMA);
    cl *= exp(IMAX * tg / (pow(T50, GAMMA) + tg));
  }
  double c = y[0] / V1;
  ydot[0] = y[2] - cl * c - Q * c + Q * y[1] / V2;
  ydot[1] = Q * c - Q * y[1] / V2;
  ydot[2] = 0.0;
}
