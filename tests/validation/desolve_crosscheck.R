# Independent implementation check: the library models written again in R, in the
# papers' own units (hours, mg, mg/L), solved with deSolve lsoda, against icsim's
# output for the same scenarios. Tolerance: 1e-5 relative on every daily output
# above 1e-3 ug/mL; both solvers run at rtol 1e-10, so 1e-5 is far above either
# integration error but far below any modelling difference.
# Usage: Rscript desolve_crosscheck.R ICSIM_BINARY REPO_ROOT
suppressPackageStartupMessages(library(deSolve))
args <- commandArgs(trailingOnly = TRUE)
icsim <- args[1]
root <- args[2]
failed <- FALSE

run_icsim <- function(scenario, sets) {
  out <- file.path(tempdir(), basename(scenario))
  status <- system2(icsim, c("simulate", file.path(root, scenario), "-o", out,
                             paste0("--set ", sets)), stdout = FALSE)
  if (status != 0) stop("icsim failed on ", scenario)
  read.csv(file.path(out, "timeseries.csv"))
}

# Doses as infusions: the rate (mg/h) is a state that events switch, so lsoda restarts
# at every infusion start and end.
infusion_events <- function(starts_h, duration_h, rate) {
  ev <- data.frame(var = "rate", time = c(starts_h, starts_h + duration_h),
                   value = c(rep(rate, length(starts_h)), rep(0, length(starts_h))), method = "rep")
  ev[order(ev$time), ]
}

compare <- function(name, expected, actual) {
  keep <- expected > 1e-3
  worst <- max(abs(actual[keep] / expected[keep] - 1))
  cat(sprintf("[measured] %s: max relative difference icsim vs deSolve %.2e\n", name, worst))
  if (!(worst < 1e-5)) {
    cat("FAILED:", name, "\n")
    failed <<- TRUE
  }
}

# Belantamab mafodotin, Papathanasiou 2025: 2-compartment model, CL(t) sigmoid in days.
bela <- function(t, y, p) {
  with(as.list(p), {
    tday <- t / 24
    cl <- CL * if (tday > 0) exp(Imax * tday^g / (T50^g + tday^g)) else 1  # L/day
    c1 <- y[1] / V1
    list(c((y[3] - (cl / 24) * c1 - (Q / 24) * c1 + (Q / 24) * y[2] / V2),
           (Q / 24) * c1 - (Q / 24) * y[2] / V2, 0))
  })
}
p <- c(CL = 0.926, V1 = 4.21, Q = 0.711, V2 = 6.63, Imax = -0.403, T50 = 66.4, g = 2.87)
ev <- infusion_events(21 * 24 * (0:7), 0.5, 187.5 / 0.5)
times <- sort(unique(c(24 * (0:168), ev$time)))
sol <- ode(c(a1 = 0, a2 = 0, rate = 0), times, bela, p, method = "lsoda",
           events = list(data = ev), rtol = 1e-10, atol = 1e-12)
ref <- sol[sol[, "time"] %in% (24 * (0:168)), "a1"] / p[["V1"]]
ic <- run_icsim("scenarios/belantamab-typical.yaml",
                c("simulation.output_every=1d", "simulation.rtol=1e-10", "simulation.atol=1e-14nmol"))
compare("belantamab typical, plasma total", ref, ic$plasma_total_ug_per_mL)

# Daratumumab, Li 2021 QSS TMDD in hours, mg and mg/L (target in drug equivalents).
dara <- function(t, y, p) {
  with(as.list(p), {
    ctot <- y[1] / V1
    rtot <- y[3]
    b <- ctot - rtot - Kss
    cfree <- 0.5 * (b + sqrt(b^2 + 4 * Kss * ctot))
    cplx <- ctot - cfree
    list(c(y[4] - CL * cfree - Q * cfree + Q * y[2] / V2 - kint * cplx * V1,
           Q * cfree - Q * y[2] / V2,
           ksyn - kdeg * (rtot - cplx) - kint * cplx, 0))
  })
}
p <- c(CL = 0.0051, V1 = 3.76, Q = 0.0329, V2 = 3.31, ksyn = 0.178, kdeg = 0.0082, kint = 0.092, Kss = 1.79)
starts <- 24 * c(7 * (0:7), 56 + 14 * (0:7), 168 + 28 * (0:5))
ev <- infusion_events(starts, 4, 16 * 75 / 4)
times <- sort(unique(c(24 * (0:400), ev$time)))
sol <- ode(c(a1 = 0, a2 = 0, rtot = p[["ksyn"]] / p[["kdeg"]], rate = 0), times, dara, p, method = "lsoda",
           events = list(data = ev), rtol = 1e-10, atol = 1e-12)
daily <- sol[, "time"] %in% (24 * (0:400))
ic <- run_icsim("scenarios/daratumumab-16mgkg.yaml", c("simulation.rtol=1e-10", "simulation.atol=1e-14nmol"))
compare("daratumumab QSS TMDD, plasma total", sol[daily, "a1"] / p[["V1"]], ic$plasma_total_ug_per_mL)
nM_per_mg_L <- 1e6 / 148000
compare("daratumumab QSS TMDD, total target", sol[daily, "rtot"] * nM_per_mg_L, ic$target_total_nM)

if (failed) quit(status = 1)
cat("deSolve cross-check: 3 passed, 0 failed\n")
