/* Right-hand side of icsim's disease model for deSolve's compiled-code interface:
 * the belantamab mafodotin population PK (linear two-compartment, time-varying
 * clearance) with a myeloma of one or more clones in the marrow, written from icsim's
 * src/disease/disease.cc and src/disease/adc_effector.cc (equations in
 * docs/disease.md). Units as in icsim: days, L, nmol, nM, cells in units of 1e9,
 * M-protein in g/L. One conjugate species (DAR given as a parameter), free fraction 1,
 * no plasma payload model (payload leaving the marrow is not followed).
 *
 * Two models, in icsim's state order (icsim's exposure integral is left out; the last
 * state is the infusion rate, switched by the event function):
 *
 * derivs, the kinetic model (disease.binding and disease.interstitial_payload
 * kinetic, icsim's default):
 *   0 A1 central conjugate, 1 A2 peripheral, 2 Am marrow interstitial conjugate,
 *   per clone k at 3 + 7k: R antigen, S complex, E internalised, x0 viable,
 *                          x1, x2, x3 damaged,
 *   then M (M-protein), Pi (marrow interstitial payload), per clone I_k (payload in
 *   the cells), and the infusion rate (nmol/day).
 *
 * derivs_reduced, both fast processes at quasi-equilibrium (disease.binding and
 * disease.interstitial_payload quasi_equilibrium): no complex and no interstitial
 * payload state,
 *   0 A1, 1 A2, 2 T marrow total conjugate (free in the fluid plus bound),
 *   per clone k at 3 + 6k: Rtot total antigen (free plus bound), E, x0, x1, x2, x3,
 *   then M, per clone I_k, and the infusion rate.
 *
 * Parameters: see the P_* indices below; R (myeloma_desolve.R) writes them in this
 * order, padded to MAX_CLONES clones. */
#include <R_ext/RS.h>
#include <R_ext/Error.h>
#include <math.h>

#define MAX_CLONES 8
enum {
  P_CL, P_V1, P_Q, P_V2, P_IMAX, P_T50, P_GAMMA, P_RATE, P_DAR,
  P_KON, P_KOFF, P_KINT, P_KTURN, P_KLYS, P_KILL_DELAY, P_CELL_VOLUME, P_ADCC_MAX, P_ADCC50,
  P_PERM, P_PAY_EXCHANGE, P_PAY_PARTITION, P_TARGET, P_TARGET_KD, P_KILL_MAX, P_KILL_EC50, P_KILL_HILL,
  P_M0, P_CELLS_PER_M, P_M_HALF_LIFE, P_DOUBLING, P_CAPACITY, P_MARROW_VOLUME, P_MARROW_EXCHANGE,
  P_MARROW_PARTITION, P_NCLONES,
  P_GLOBAL /* number of global parameters */
};
/* Per clone, at P_GLOBAL + NCP * k: */
enum { C_FRACTION, C_ANTIGEN, C_GROWTH, C_INTERNALISATION, C_SENSITIVITY, C_EFFLUX, C_DOWNREGULATION, NCP };
#define NPARMS (P_GLOBAL + NCP * MAX_CLONES)

static double parms[NPARMS];
/* Derived once per patient, as icsim's prepare() does. */
static double t50g, n0, km, growth_rate, k1, capacity, norm, pool_n0[MAX_CLONES], pool_r0[MAX_CLONES];
static int nclones;
/* Right-hand-side calls since the last rhs_calls() (both models; doubles for .C). */
static double calls;

void rhs_calls(double *n) {
  *n = calls;
  calls = 0.0;
}

/* nmol of antigen on 1e9 cells carrying one molecule each. */
static const double kNmolPer1e9Molecules = 1e9 / 6.02214076e23 * 1e9;

#define CP(k, i) parms[P_GLOBAL + NCP * (k) + (i)]

void initmod(void (*odeparms)(int *, double *)) {
  int n = NPARMS;
  odeparms(&n, parms);
  nclones = (int)parms[P_NCLONES];
  if (nclones < 1 || nclones > MAX_CLONES) error("myeloma_rhs: 1 to %d clones", MAX_CLONES);
  t50g = pow(parms[P_T50], parms[P_GAMMA]);
  n0 = parms[P_M0] * parms[P_CELLS_PER_M] / 1e9;
  km = log(2.0) / parms[P_M_HALF_LIFE];
  growth_rate = log(2.0) / parms[P_DOUBLING];
  k1 = 3.0 / parms[P_KILL_DELAY];
  capacity = parms[P_CAPACITY] / 1e9;
  if (!(capacity > n0)) error("myeloma_rhs: the carrying capacity must exceed the baseline burden");
  norm = 1.0 / log(capacity / n0); /* Gompertz */
  for (int k = 0; k < nclones; ++k) {
    pool_n0[k] = n0 * CP(k, C_FRACTION);
    pool_r0[k] = CP(k, C_ANTIGEN) * kNmolPer1e9Molecules;
  }
}

/* Plasma: linear two-compartment disposition, CL(t) = CL exp(Imax t^g / (T50^g + t^g)),
 * with the infusion rate y[irate]. Returns the central concentration (nM). */
static double plasma(double t, const double *y, double *ydot, int irate) {
  const double V1 = parms[P_V1], Q = parms[P_Q], V2 = parms[P_V2];
  double cl = parms[P_CL];
  if (t > 0.0) {
    const double tg = pow(t, parms[P_GAMMA]);
    cl *= exp(parms[P_IMAX] * tg / (t50g + tg));
  }
  const double c1 = y[0] / V1, c2 = y[1] / V2;
  ydot[0] = y[irate] - cl * c1 - Q * c1 + Q * c2;
  ydot[1] = Q * c1 - Q * c2;
  ydot[irate] = 0.0;
  return c1;
}

/* Living cells (viable and damaged) of the clone whose x0 is at x, negative as 0. */
static double living(const double *x) {
  const double n = x[0] + x[1] + x[2] + x[3];
  return n > 0.0 ? n : 0.0;
}

/* Gompertz growth rate on the total living burden of the clones whose x0 is at
 * y[first + stride k]. */
static double growth(const double *y, int first, int stride) {
  double ntotal = 0.0;
  for (int k = 0; k < nclones; ++k) ntotal += living(y + first + stride * k);
  return ntotal > 0.0 ? growth_rate * log(capacity / ntotal) * norm : growth_rate;
}

/* Payload in clone k's cells (amount nmol in cell volume v L): total c_total and free
 * concentration (nM), the free one in quasi-equilibrium with tubulin. */
static double free_payload(double amount, double v, double *c_total) {
  *c_total = 0.0;
  if (!(v > 0.0)) return 0.0;
  const double kd = parms[P_TARGET_KD];
  *c_total = (amount > 0.0 ? amount : 0.0) / v;
  const double bq = *c_total - parms[P_TARGET] - kd;
  return 0.5 * (bq + sqrt(bq * bq + 4.0 * kd * *c_total));
}

/* Kill of clone k's viable cells x (1e9 cells/day): payload hazard (Emax of the total
 * payload in the cell) and Fc effector hazard at occupancy occ; then the Simeoni
 * transit of x = (x0, x1, x2, x3) into dx. */
static void kill_and_transit(int k, double c_total, double occ, double g, const double *x, double *dx) {
  const double kmax = parms[P_KILL_MAX], ec50 = parms[P_KILL_EC50], hill = parms[P_KILL_HILL];
  const double xs = CP(k, C_SENSITIVITY) * c_total;
  const double xh = hill == 1.0 ? xs : pow(xs, hill);
  const double eh = hill == 1.0 ? ec50 : pow(ec50, hill);
  const double hazard = xs > 0.0 ? kmax * xh / (eh + xh) : 0.0;
  const double antigen = CP(k, C_ANTIGEN);
  const double fc = antigen > 0.0 ? parms[P_ADCC_MAX] * occ * antigen / (antigen + parms[P_ADCC50]) : 0.0;
  const double kill = (hazard + fc) * x[0];
  dx[0] = g * CP(k, C_GROWTH) * x[0] - kill;
  dx[1] = kill - k1 * x[1];
  dx[2] = k1 * (x[1] - x[2]);
  dx[3] = k1 * (x[2] - x[3]);
}

/* Serum M-protein, produced in proportion to the living tumour cells. */
static double m_protein_rate(const double *y, int first, int stride, double m) {
  double ntotal = 0.0;
  for (int k = 0; k < nclones; ++k) ntotal += living(y + first + stride * k);
  return km * (parms[P_M0] * ntotal / n0 - m);
}

void derivs(int *neq, double *t, double *y, double *ydot, double *yout, int *ip) {
  calls += 1.0;
  const int nc = nclones;
  const int im = 3 + 7 * nc, ipi = im + 1, irate = ipi + nc + 1;
  if (*neq != irate + 1) error("myeloma_rhs: %d states given, %d expected", *neq, irate + 1);
  const double dar = parms[P_DAR];
  const double c1 = plasma(*t, y, ydot, irate);

  /* Plasma <-> marrow exchange of free conjugate. */
  const double vm = parms[P_MARROW_VOLUME], eps = parms[P_MARROW_PARTITION];
  const double flux = parms[P_MARROW_EXCHANGE] * (eps * vm * c1 - y[2]);
  ydot[0] -= flux;
  ydot[2] = flux;
  const double cm = y[2] / (eps * vm); /* conjugate in the marrow interstitial fluid, nM */

  /* Marrow interstitial payload: with no plasma payload it washes out. */
  const double fluid = parms[P_PAY_PARTITION] * vm;
  const double pi = y[ipi];
  ydot[ipi] = parms[P_PAY_EXCHANGE] * (0.0 - pi);
  const double ci = fluid > 0.0 ? pi / fluid : 0.0;

  /* Total living burden (viable and damaged) drives Gompertz growth. */
  const double g = growth(y, 6, 7);

  const double kon = parms[P_KON], koff = parms[P_KOFF], kturn = parms[P_KTURN], klys = parms[P_KLYS];
  const double perm = parms[P_PERM];
  for (int k = 0; k < nc; ++k) {
    const int b = 3 + 7 * k;
    const double r = y[b], s = y[b + 1], e = y[b + 2];
    const double n = living(y + b + 3);
    const double x3 = y[b + 6];
    const double death = n > 0.0 ? k1 * (x3 > 0.0 ? x3 : 0.0) / n : 0.0;
    const double kint = parms[P_KINT] * CP(k, C_INTERNALISATION);

    /* Binding, internalisation, lysosomal degradation; dying cells' complex returns to the marrow. */
    const double binding = kon * cm * r - koff * s;
    ydot[b + 1] = binding - kint * s - death * s;
    ydot[b + 2] = kint * s - klys * e - death * e;
    ydot[2] += death * s - binding;
    const double occ = r + s > 0.0 ? s / (r + s) : 0.0;
    ydot[b] = -binding + kturn * pool_r0[k] * n * (1.0 - CP(k, C_DOWNREGULATION) * occ) - kturn * r - death * r;
    const double lysosomal = dar * klys * e, dying = dar * death * e;

    /* Payload in the cells: quasi-equilibrium with tubulin, permeation, efflux, release by dying cells. */
    const int ic = ipi + 1 + k;
    const double amount = y[ic];
    const double v = n * 1e9 * parms[P_CELL_VOLUME];
    double c_total;
    const double c_free = free_payload(amount, v, &c_total);
    const double permeation = perm * (c_free - ci) * v;
    const double pumped = CP(k, C_EFFLUX) * c_free * v;
    const double released = death * amount;
    ydot[ic] = lysosomal - permeation - pumped - released;
    ydot[ipi] += permeation + pumped + released + dying;

    kill_and_transit(k, c_total, occ, g, y + b + 3, ydot + b + 3);
  }
  ydot[im] = m_protein_rate(y, 6, 7, y[im]);
}

void derivs_reduced(int *neq, double *t, double *y, double *ydot, double *yout, int *ip) {
  calls += 1.0;
  const int nc = nclones;
  const int im = 3 + 6 * nc, irate = im + nc + 1;
  if (*neq != irate + 1) error("myeloma_rhs: %d states given, %d expected", *neq, irate + 1);
  const double dar = parms[P_DAR];
  const double c1 = plasma(*t, y, ydot, irate);

  /* Binding at equilibrium in the marrow: the free concentration C solves
   *   eps V C + (sum_k Rtot_k) C / (KD + C) = T,
   * a quadratic, its positive root taken in the form that does not cancel. */
  const double vm = parms[P_MARROW_VOLUME], eps = parms[P_MARROW_PARTITION];
  const double fluid = eps * vm, kd = parms[P_KOFF] / parms[P_KON];
  const double total = y[2] > 0.0 ? y[2] : 0.0;
  double rtot = 0.0;
  for (int k = 0; k < nc; ++k) rtot += y[3 + 6 * k] > 0.0 ? y[3 + 6 * k] : 0.0;
  const double bq = fluid * kd + rtot - total, disc = sqrt(bq * bq + 4.0 * fluid * total * kd);
  double cm = 0.0;
  if (total > 0.0) cm = bq > 0.0 ? 2.0 * total * kd / (bq + disc) : (disc - bq) / (2.0 * fluid);
  const double bound_fraction = kd + cm > 0.0 ? cm / (kd + cm) : 1.0;

  /* Plasma <-> marrow exchange of free conjugate. */
  const double flux = parms[P_MARROW_EXCHANGE] * (fluid * c1 - fluid * cm);
  ydot[0] -= flux;
  ydot[2] = flux;

  const double g = growth(y, 5, 6);

  /* Payload: the marrow interstitial payload in quasi-equilibrium, the root of a linear
   * equation (no plasma payload, so what leaves the marrow is lost):
   *   Pi = sum_k ((P + efflux) c_f V_cells + release + dying) / (X + sum_k P V_cells / fluid). */
  const double kturn = parms[P_KTURN], klys = parms[P_KLYS], perm = parms[P_PERM];
  const double pay_fluid = parms[P_PAY_PARTITION] * vm;
  double inflow = 0.0, uptake = 0.0;
  double v[MAX_CLONES], death[MAX_CLONES], c_free[MAX_CLONES], c_total[MAX_CLONES], lysosomal[MAX_CLONES];
  for (int k = 0; k < nc; ++k) {
    const int b = 3 + 6 * k;
    const double n = living(y + b + 2);
    const double x3 = y[b + 5];
    death[k] = n > 0.0 ? k1 * (x3 > 0.0 ? x3 : 0.0) / n : 0.0;
    const double kint = parms[P_KINT] * CP(k, C_INTERNALISATION);

    /* Bound and free antigen at equilibrium; internalisation of the bound antigen,
     * lysosomal degradation, cell death (the dying cells' complex stays in T). */
    const double pool = y[b] > 0.0 ? y[b] : 0.0;
    const double bound = pool * bound_fraction, r = pool - bound;
    /* The complex: the bound antigen in the one species' share of T (1 when T > 0), as icsim. */
    const double sc = bound * (total > 0.0 ? (y[2] > 0.0 ? y[2] : 0.0) / total : 0.0);
    const double e = y[b + 1];
    ydot[b + 1] = kint * sc - klys * e - death[k] * e;
    ydot[2] -= kint * sc;
    const double occ = r + bound > 0.0 ? bound / (r + bound) : 0.0;
    ydot[b] = -(kint + death[k]) * bound + kturn * pool_r0[k] * n * (1.0 - CP(k, C_DOWNREGULATION) * occ) -
              kturn * r - death[k] * r;
    lysosomal[k] = dar * klys * e;

    const double amount = y[im + 1 + k];
    v[k] = n * 1e9 * parms[P_CELL_VOLUME];
    c_free[k] = free_payload(amount, v[k], &c_total[k]);
    inflow += (perm + CP(k, C_EFFLUX)) * c_free[k] * v[k] + death[k] * amount + dar * death[k] * e;
    if (pay_fluid > 0.0) uptake += perm * v[k] / pay_fluid;

    kill_and_transit(k, c_total[k], occ, g, y + b + 2, ydot + b + 2);
  }
  const double x = parms[P_PAY_EXCHANGE];
  const double pi = x + uptake > 0.0 ? inflow / (x + uptake) : 0.0;
  const double ci = pay_fluid > 0.0 ? pi / pay_fluid : 0.0;
  for (int k = 0; k < nc; ++k) {
    const double amount = y[im + 1 + k];
    const double out = perm * (c_free[k] - ci) * v[k] + CP(k, C_EFFLUX) * c_free[k] * v[k] + death[k] * amount;
    ydot[im + 1 + k] = lysosomal[k] - out;
  }
  ydot[im] = m_protein_rate(y, 5, 6, y[im]);
}

/* Event at each infusion start and end: toggle the infusion on or off. */
void infusion_event(int *n, double *t, double *y) {
  y[*n - 1] = (y[*n - 1] > 0.0) ? 0.0 : parms[P_RATE];
}
