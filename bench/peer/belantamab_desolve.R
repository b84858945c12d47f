# The icsim speed workload in R deSolve (lsoda, compiled C right-hand side):
# belantamab mafodotin population PK (Papathanasiou et al., Clin Pharmacokinet
# 2025;64(6):925-942) with random effects, 2.5 mg/kg (75 kg) as 30-min infusions
# Q3W x8, output every day to day 168, rtol = atol = 1e-6, one core.
# Usage (from the repository root): Rscript bench/peer/belantamab_desolve.R [PATIENTS]
suppressPackageStartupMessages(library(deSolve))
args <- commandArgs(trailingOnly = TRUE)
n_patients <- if (length(args) > 0) as.integer(args[1]) else 10000L

here <- dirname(normalizePath(sub("--file=", "", grep("--file=", commandArgs(), value = TRUE))))
build <- file.path(tempdir(), "icsim-peer")
dir.create(build, showWarnings = FALSE)
invisible(file.copy(file.path(here, "belantamab_rhs.c"), build, overwrite = TRUE))
old <- setwd(build)
status <- system2(file.path(R.home("bin"), "R"), c("CMD", "SHLIB", "belantamab_rhs.c"), stdout = FALSE, stderr = FALSE)
setwd(old)
if (status != 0) stop("R CMD SHLIB failed: install r-base-dev")
dyn.load(file.path(build, paste0("belantamab_rhs", .Platform$dynlib.ext)))

dose <- 2.5 * 75                     # mg
infusion <- 30 / 1440                # day
rate <- dose / infusion              # mg/day
starts <- 21 * (0:7)
event_times <- c(starts, starts + infusion)
events <- data.frame(var = "rate", time = event_times, value = c(rep(rate, 8), rep(0, 8)), method = "rep")
events <- events[order(events$time), ]
times <- sort(unique(c(0:168, events$time)))
daily <- times %in% 0:168

typical <- c(CL = 0.926, V1 = 4.21, Q = 0.711, V2 = 6.63, Imax = -0.403, T50 = 66.4, gamma = 2.87)
omega <- diag(c(0.06593, 0.03922, 0.03546, 0.08945, 0.01366, 0.39236))
omega[1, 2] <- omega[2, 1] <- 0.0328
L <- t(chol(omega))                  # eta = L z

simulate <- function(p, out_times = times) {
  ode(y = c(central = 0, peripheral = 0, rate = 0), times = out_times, func = "derivs",
      parms = p, dllname = "belantamab_rhs", initfunc = "initmod", nout = 0,
      events = list(data = events), method = "lsoda", rtol = 1e-6, atol = 1e-6)
}

# Typical patient, for a correctness check against icsim.
fine <- sort(unique(c(seq(0, 21, by = 0.001), events$time[events$time <= 21])))
typ <- simulate(typical, fine)
conc <- typ[, "central"] / typical[["V1"]]
auc <- sum(diff(typ[, "time"]) * (head(conc, -1) + tail(conc, -1)) / 2)
cat(sprintf("typical: cmax=%.4f ctrough21=%.4f auc0_21=%.3f (Cavg %.4f)\n",
            max(conc), conc[length(conc)], auc, auc / 21))

set.seed(1)
checksum <- 0
elapsed <- system.time({
  for (i in seq_len(n_patients)) {
    eta <- as.vector(L %*% rnorm(6))
    p <- typical
    p[c("CL", "V1", "Q", "V2")] <- typical[c("CL", "V1", "Q", "V2")] * exp(eta[1:4])
    p[["Imax"]] <- typical[["Imax"]] + eta[5]
    p[["T50"]] <- typical[["T50"]] * exp(eta[6])
    out <- simulate(p)
    checksum <- checksum + out[daily, "central"][85] / p[["V1"]]
  }
})[["elapsed"]]
cat(sprintf("deSolve lsoda (compiled C RHS): %d patients in %.2f s = %.1f patients/s\n",
            n_patients, elapsed, n_patients / elapsed))
