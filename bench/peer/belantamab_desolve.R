# icsim speed workload in R deSolve: lsoda with a compiled C right-hand side.
# Belantamab mafodotin population PK (Papathanasiou et al., Clin Pharmacokinet
# 2025;64(6):925-942) with between-patient random effects; 2.5 mg/kg (75 kg) as
# 30-min zero-order infusions every 21 days x8; C = A1/V1 every day to day 168;
# rtol = atol = 1e-6; one core. Dosing: compiled deSolve events switch the infusion
# rate (state R) on and off, and lsoda restarts at each event (as icsim does).
# Usage (from the repository root): Rscript bench/peer/belantamab_desolve.R [N_PATIENTS]
suppressPackageStartupMessages(library(deSolve))
args <- commandArgs(trailingOnly = TRUE)
n_patients <- if (length(args) > 0) as.integer(args[1]) else 10000L
stopifnot(!is.na(n_patients), n_patients > 0)

# Build the right-hand side into a temporary directory (nothing is written to the repo).
peer_dir <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE))))
source(file.path(peer_dir, "compile_rhs.R"))
compile_rhs(file.path(peer_dir, "belantamab_rhs.c"))

# Regimen: 187.5 mg over 30 min (rate in mg/day), days 0, 21, ..., 147.
dose <- 2.5 * 75
t_inf <- 30 / 1440
starts <- 21 * (0:7)
event_times <- sort(c(starts, starts + t_inf))    # infusion starts and ends
days <- 0:168
times <- sort(c(days, starts + t_inf))            # event times must be output times
daily <- times %in% days

# Parameters: CL (L/day), V1 (L), Q (L/day), V2 (L), Imax, T50 (day), gamma, rate (mg/day)
typical <- c(CL = 0.926, V1 = 4.21, Q = 0.711, V2 = 6.63, Imax = -0.403, T50 = 66.4,
             gamma = 2.87, rate = dose / t_inf)
omega <- diag(c(CL = 0.06593, V1 = 0.03922, Q = 0.03546, V2 = 0.08945, Imax = 0.01366, T50 = 0.39236))
omega[1, 2] <- omega[2, 1] <- 0.0328

simulate <- function(p, out_times = times, ev_times = event_times) {
  lsoda(y = c(A1 = 0, A2 = 0, R = 0), times = out_times, func = "derivs", parms = unname(p),
        dllname = "belantamab_rhs", initfunc = "initmod",
        events = list(func = "infusion_event", time = ev_times),
        rtol = 1e-6, atol = 1e-6)
}

# Typical patient (all eta = 0), cycle 1, on a 0.001-day grid (plus the infusion end).
grid <- sort(c(seq(0, 21, by = 0.001), t_inf))
typ <- simulate(typical, grid, c(0, t_inf))
conc <- typ[, "A1"] / typical[["V1"]]
auc <- sum(diff(grid) * (head(conc, -1) + tail(conc, -1)) / 2)
cat(sprintf("typical: cmax=%.4f ctrough21=%.4f auc0_21=%.3f\n",
            conc[grid == t_inf], conc[length(conc)], auc))

# Random effects, drawn before timing: eta = L z with L L' = Omega.
set.seed(20250601)
eta <- matrix(rnorm(6 * n_patients), n_patients, 6) %*% chol(omega)   # rows: (L z)'
conc_out <- matrix(NA_real_, n_patients, length(days))

elapsed <- system.time({
  for (i in seq_len(n_patients)) {
    p <- typical
    p[c("CL", "V1", "Q", "V2", "T50")] <- typical[c("CL", "V1", "Q", "V2", "T50")] * exp(eta[i, c(1:4, 6)])
    p[["Imax"]] <- typical[["Imax"]] + eta[i, 5]
    out <- simulate(p)
    conc_out[i, ] <- out[daily, "A1"] / p[["V1"]]
  }
})[["elapsed"]]
stopifnot(all(is.finite(conc_out)))
cat(sprintf("deSolve lsoda (compiled C RHS): %d patients in %.2f s = %.1f patients/s\n",
            n_patients, elapsed, n_patients / elapsed))
