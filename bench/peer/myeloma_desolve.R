# icsim's disease-model speed workload in R deSolve: lsoda with a compiled C
# right-hand side (myeloma_rhs.c). Belantamab mafodotin population PK with a myeloma
# of two clones in the marrow (bench/data/myeloma-two-clones.yaml): 2.5 mg/kg as
# 30-min infusions every 21 days x8, output every day to day 168, one core. Each
# patient's parameters are read from a patients.csv that icsim wrote for that scenario
# (columns named by parameter), so both sides simulate the same patients.
#
# The model is icsim's for this scenario only (checked below as far as patients.csv
# tells): the marrow alone, Gompertz growth, one DAR-4 species, no plasma payload.
#
# Usage (from anywhere):
#   Rscript bench/peer/myeloma_desolve.R PATIENTS_CSV [N] [OUT_CSV] [--reduced] [--tight]
#           [--timeseries=FILE] [--diagnostics[=M]]
# N: the first N patients of the file (default: all). OUT_CSV (or the environment
# variable MYELOMA_DESOLVE_OUT): per patient the M-protein (g/L) at days 21, 42, ..., 168.
# --tight (or MYELOMA_DESOLVE_TIGHT=1): rtol 1e-10, atol 1e-14 for the equality check;
# default rtol 1e-6, atol 1e-9, icsim's defaults for this scenario (scalar tolerances on
# every state, as icsim's). --timeseries=FILE: every day of every patient, with the
# columns of icsim's timeseries.csv that this model has (all but the AUC).
# --reduced: both fast processes at quasi-equilibrium, icsim's
#   --set disease.binding=quasi_equilibrium --set disease.interstitial_payload=quasi_equilibrium
# (derivs_reduced in myeloma_rhs.c); without it the kinetic model, icsim's default.
# --diagnostics[=M]: lsoda's work per patient on the first M patients (default N):
# right-hand-side calls in the timed run, and, counted after the timing, steps, calls
# and Jacobians over the stretches between the infusion events (see work() below).
suppressPackageStartupMessages(library(deSolve))
all_args <- commandArgs(trailingOnly = TRUE)
flags <- grep("^--", all_args, value = TRUE)
args <- setdiff(all_args, flags)
unknown <- flags[!(flags %in% c("--tight", "--reduced") |
                   grepl("^--timeseries=|^--diagnostics(=[0-9]+)?$", flags))]
if (length(args) < 1 || length(unknown) > 0)
  stop("usage: Rscript myeloma_desolve.R PATIENTS_CSV [N] [OUT_CSV] [--reduced] [--tight] ",
       "[--timeseries=FILE] [--diagnostics[=M]]")
patients_csv <- args[1]
out_csv <- if (length(args) >= 3) args[3] else Sys.getenv("MYELOMA_DESOLVE_OUT", "")
tight <- "--tight" %in% flags || Sys.getenv("MYELOMA_DESOLVE_TIGHT", "") == "1"
reduced <- "--reduced" %in% flags
diagnostics <- grep("^--diagnostics", flags, value = TRUE)
series_csv <- sub("^--timeseries=", "", grep("^--timeseries=", flags, value = TRUE))
rtol <- if (tight) 1e-10 else 1e-6
atol <- if (tight) 1e-14 else 1e-9

tab <- read.csv(patients_csv, check.names = FALSE, stringsAsFactors = FALSE)
n_patients <- if (length(args) >= 2) as.integer(args[2]) else nrow(tab)
stopifnot(!is.na(n_patients), n_patients > 0)
if (n_patients > nrow(tab)) stop(sprintf("%s has %d patients, not %d", patients_csv, nrow(tab), n_patients))
n_counted <- if (length(diagnostics) == 0) 0L else if (diagnostics[1] == "--diagnostics") n_patients else
  min(n_patients, as.integer(sub("^--diagnostics=", "", diagnostics[1])))

# Build the right-hand side into a temporary directory (nothing is written to the repo).
peer_dir <- dirname(normalizePath(sub("^--file=", "", grep("^--file=", commandArgs(), value = TRUE))))
source(file.path(peer_dir, "compile_rhs.R"))
compile_rhs(file.path(peer_dir, "myeloma_rhs.c"))

# What patients.csv does not hold: the agent's molecular weight and DAR (library entry
# of belantamab mafodotin) and the regimen of bench/data/myeloma-two-clones.yaml.
mw <- 152000                      # g/mol: nmol per mg is 1e6 / mw
dar <- 4                          # one species, DAR 4
t_inf <- 30 / 1440                # 30-min infusion, days
starts <- 21 * (0:7)              # 8 doses Q3W from day 0
dose_mg_per_kg <- 2.5
days <- 0:168
event_times <- sort(c(starts, starts + t_inf))   # infusion starts and ends
times <- sort(unique(c(days, starts + t_inf)))   # event times must be output times
daily <- match(days, times)
visits <- seq(21, 168, by = 21)

# Clones: names from the columns disease.clones.NAME.fraction, in file order.
clones <- sub("^disease\\.clones\\.(.*)\\.fraction$", "\\1", grep("^disease\\.clones\\..*\\.fraction$", names(tab), value = TRUE))
max_clones <- 8L
stopifnot(length(clones) >= 1, length(clones) <= max_clones)
global <- c("disposition.CL", "disposition.V1", "disposition.Q", "disposition.V2",
            "disposition.clearance_change.Imax", "disposition.clearance_change.T50",
            "disposition.clearance_change.gamma", "RATE", "DAR",
            "cellular.kon", "cellular.koff", "cellular.internalisation", "cellular.antigen_turnover",
            "cellular.lysosomal_degradation", "cellular.kill_delay", "cellular.cell_volume",
            "cellular.adcc_max", "cellular.adcc_antigen50", "cellular.payload_permeability",
            "cellular.payload_exchange", "cellular.payload_partition", "cellular.target_concentration",
            "cellular.target_kd", "cellular.kill_max", "cellular.kill_ec50", "cellular.kill_hill",
            "disease.m_protein", "disease.cells_per_m_protein", "disease.m_protein_half_life",
            "disease.doubling_time", "disease.carrying_capacity", "disease.marrow_volume",
            "disease.marrow_exchange", "disease.marrow_partition", "NCLONES")
per_clone <- c("fraction", "antigen", "growth_factor", "internalisation_factor", "sensitivity", "efflux",
               "antigen_downregulation")
from_file <- setdiff(global, c("RATE", "DAR", "NCLONES"))
clone_cols <- as.vector(t(outer(clones, per_clone, function(c, p) paste0("disease.clones.", c, ".", p))))
missing <- setdiff(c(from_file, clone_cols, "covariate.weight"), names(tab))
if (length(missing) > 0) stop("columns missing from ", patients_csv, ": ", paste(missing, collapse = ", "))
# myeloma_rhs.c is this scenario's model: Gompertz growth (an option, not a column,
# so not checked), the marrow alone, no free light chains, no plasma payload, no
# deconjugation, no target or soluble antigen in plasma, baseline from m_protein.
extra <- grep("^(payload|dar|target|soluble_antigen)\\.|^disease\\.(emd_|flc|cells$)", names(tab), value = TRUE)
if (length(extra) > 0) stop("myeloma_rhs.c does not model: ", paste(extra, collapse = ", "))
# Every parameter that varies between patients must be one this script reads per
# patient: each random effect (eta.NAME) names a column read here, and so does every
# other parameter column whose value differs between the patients simulated.
read <- c(from_file, clone_cols, "covariate.weight")
unread_eta <- setdiff(sub("^eta\\.", "", grep("^eta\\.", names(tab), value = TRUE)), read)
if (length(unread_eta) > 0)
  stop("random effects on parameters this script does not read: ", paste(unread_eta, collapse = ", "))
not_parameters <- paste0("^(patient|status|solver|solver_fallback|steps|rejected_steps|rhs_evaluations|",
                         "jacobian_evaluations|error_time_day|error)$|^(eta|response|terminal_half_life_day)\\.")
varying <- Filter(function(col) length(unique(tab[seq_len(n_patients), col])) > 1,
                  grep(not_parameters, setdiff(names(tab), read), value = TRUE, invert = TRUE))
if (length(varying) > 0)
  stop("parameters that vary between patients but are not read: ", paste(varying, collapse = ", "))

# Parameters and initial states of every patient, before the timer starts. The state
# vectors are myeloma_rhs.c's (its header): per clone 7 states in the kinetic model
# (R, S, E, x0..x3) and 6 in the reduced one (Rtot, E, x0..x3), and in the kinetic
# model the marrow interstitial payload after M.
stride <- if (reduced) 6L else 7L
n_par <- length(global) + length(per_clone) * max_clones
parms <- matrix(0, n_patients, n_par)
y0 <- vector("list", n_patients)
kNmolPer1e9Molecules <- 1e9 / 6.02214076e23 * 1e9
for (i in seq_len(n_patients)) {
  row <- tab[i, ]
  g <- unlist(row[from_file])
  dose_nmol <- dose_mg_per_kg * row[["covariate.weight"]] * 1e6 / mw
  cp <- matrix(0, max_clones, length(per_clone))
  cp[seq_along(clones), ] <- matrix(unlist(row[clone_cols]), length(clones), length(per_clone), byrow = TRUE)
  parms[i, ] <- c(g[1:7], dose_nmol / t_inf, dar, g[8:length(g)], length(clones), t(cp))
  # Baseline: as icsim's initialise (viable cells, free antigen at R0 per cell, M0).
  n0 <- row[["disease.m_protein"]] * row[["disease.cells_per_m_protein"]] / 1e9
  # Antigen (free R, or total Rtot: no conjugate is bound yet), then the cells.
  pool <- unlist(lapply(seq_along(clones), function(k) {
    cells <- n0 * cp[k, 1]
    c(cp[k, 2] * kNmolPer1e9Molecules * cells, if (reduced) 0 else c(0, 0), cells, 0, 0, 0)
  }))
  y0[[i]] <- c(0, 0, 0, pool, row[["disease.m_protein"]], if (reduced) NULL else 0, rep(0, length(clones)), 0)
}
im <- 3 + stride * length(clones) + 1       # 1-based column of M in the state vector
first_payload <- im + if (reduced) 1 else 2 # 1-based column of the first clone's payload
cell_cols <- unlist(lapply(seq_along(clones), function(k) 3 + stride * (k - 1) + (stride - 3):stride))
func <- if (reduced) "derivs_reduced" else "derivs"

# hmax: lsoda's default for the whole run, the largest output interval (1 day), also
# when work() below solves a shorter stretch.
hmax <- max(diff(times))
solve <- function(p, y, at, ev) {
  out <- lsoda(y = y, times = at, func = func, parms = p,
               dllname = "myeloma_rhs", initfunc = "initmod",
               events = list(func = "infusion_event", time = ev),
               rtol = rtol, atol = atol, hmax = hmax, maxsteps = 500000)
  if (attr(out, "istate")[1] != 2) stop("lsoda failed, istate ", attr(out, "istate")[1])
  out
}
simulate <- function(p, y) solve(p, y, times, event_times)[daily, -1, drop = FALSE]   # daily rows, states only

# lsoda's steps and Jacobians on one patient. deSolve restarts lsoda (istate 1) at
# every event, and a restart sets lsoda's counters to 0: diagnostics() of the whole run
# counts only the last stretch (day 147.02 to 168). So each stretch between events is
# solved again as a call of its own, with the event at its start (the same restarts,
# the same stops at the output times), and the counts are summed over the 16 stretches.
# Solved alone, a stretch does not come out bit for bit as inside the whole run (its
# last output differs at round-off, and the next stretch starts from it), so the
# counts are those of a nearly identical run: returned with them is the largest
# relative difference of the M-protein from the timed run. The timed run's own
# right-hand-side calls are counted in myeloma_rhs.c (rhs_calls).
work <- function(p, y, m_timed) {
  ends <- c(event_times[-1], max(times))
  counts <- c(steps = 0, rhs = 0, jacobians = 0, bdf = 0)
  states <- NULL
  for (s in seq_along(event_times)) {
    at <- times[times >= event_times[s] & times <= ends[s]]
    out <- solve(p, y, at, event_times[s])
    is <- attr(out, "istate")
    counts <- counts + c(is[2], is[3], is[14], is[15] == 2)
    y <- out[nrow(out), -1]
    states <- rbind(states, if (s == 1) out else out[-1, , drop = FALSE])
  }
  m <- states[match(days, states[, 1]), 1 + im]
  c(counts, difference = max(abs(m - m_timed) / pmax(abs(m), abs(m_timed))))
}

m_protein <- matrix(NA_real_, n_patients, length(days))
keep <- length(series_csv) > 0
series <- if (keep) vector("list", n_patients) else NULL
calls <- numeric(n_patients)
rhs_calls <- function() .C("rhs_calls", n = 0)$n
invisible(rhs_calls())
elapsed <- system.time({
  for (i in seq_len(n_patients)) {
    y <- simulate(parms[i, ], y0[[i]])
    m_protein[i, ] <- y[, im]
    if (keep) series[[i]] <- y
    if (i <= n_counted) calls[i] <- rhs_calls()
  }
})[["elapsed"]]
stopifnot(all(is.finite(m_protein)))
cat(sprintf("model: %s; tolerances: rtol %g, atol %g\n",
            if (reduced) "reduced (binding and interstitial payload at quasi-equilibrium)" else "kinetic",
            rtol, atol))
cat(sprintf("deSolve lsoda (compiled C RHS): %d patients in %.2f s = %.1f patients/s\n",
            n_patients, elapsed, n_patients / elapsed))
if (n_counted > 0) {
  counts <- t(sapply(seq_len(n_counted), function(i) work(parms[i, ], y0[[i]], m_protein[i, ])))
  per <- function(x) sprintf("%.0f (%.0f)", mean(x), median(x))
  cat(sprintf(paste0("lsoda per patient, mean (median) over %d: %s right-hand-side calls in the timed run; ",
                     "solving the 16 stretches between events again: %s steps, %s right-hand-side calls ",
                     "(with the Jacobians' difference quotients), %s Jacobians (each with an LU decomposition), ",
                     "%.1f stretches ending on BDF; M-protein within %.1g of the timed run\n"),
              n_counted, per(calls[seq_len(n_counted)]), per(counts[, "steps"]), per(counts[, "rhs"]), per(counts[, "jacobians"]),
              mean(counts[, "bdf"]), max(counts[, "difference"])))
}

patient_ids <- if ("patient" %in% names(tab)) tab$patient[seq_len(n_patients)] else seq_len(n_patients) - 1L
if (nzchar(out_csv)) {
  out <- data.frame(patient = patient_ids, m_protein[, match(visits, days), drop = FALSE])
  names(out)[-1] <- paste0("m_protein_g_per_L_day", visits)
  write.csv(out, out_csv, row.names = FALSE, quote = FALSE)
}
if (keep) {
  rows <- lapply(seq_len(n_patients), function(i) {
    y <- series[[i]]
    cells <- sapply(seq_along(clones), function(k) pmax(0, rowSums(y[, cell_cols[4 * (k - 1) + 1:4], drop = FALSE])))
    cells <- matrix(cells, ncol = length(clones))
    d <- data.frame(patient = patient_ids[i], time_day = days,
                    plasma_total_ug_per_mL = y[, 1] / parms[i, 2] * mw * 1e-6,
                    tumour_cells = rowSums(cells) * 1e9, m_protein_g_per_L = y[, im])
    for (k in seq_along(clones)) {
      # As icsim's outputs: payload in the cells (nM), blank below 1e4 cells.
      payload <- pmax(0, y[, first_payload + k - 1]) / (cells[, k] * 1e9 * parms[i, match("cellular.cell_volume", global)])
      payload[cells[, k] < 1e-5] <- NA
      d[[paste0("clone_", clones[k], "_cells")]] <- cells[, k] * 1e9
      d[[paste0("clone_", clones[k], "_payload_nM")]] <- payload
    }
    d
  })
  write.csv(do.call(rbind, rows), series_csv, row.names = FALSE, quote = FALSE)
}
