# Kaplan-Meier median survival of icsim (summary.json) against R's survival package
# on the same animals' times (patients.csv): two mouse cohorts, one with every animal
# dead and one with survivors censored at the end. Exact agreement is expected (same
# estimator, same median convention); 1e-9 d allows for the written digits.
# Usage: Rscript survival_crosscheck.R ICSIM_BINARY SOURCE_DIR
args <- commandArgs(trailingOnly = TRUE)
icsim <- args[1]
root <- args[2]
if (!requireNamespace("survival", quietly = TRUE)) {
  cat("SKIP: R package 'survival' not installed (scripts/install-deps.sh installs r-cran-survival)\n")
  quit(status = 0)
}
library(survival)
failures <- 0
check <- function(scenario, sets) {
  out <- tempfile("icsim-km-")
  cmd <- c("simulate", file.path(root, scenario), "-o", out, "--no-timeseries")
  for (s in sets) cmd <- c(cmd, "--set", shQuote(s))
  status <- system2(icsim, cmd, stdout = FALSE, stderr = FALSE)
  if (status != 0) stop(sprintf("icsim failed (%d) on %s", status, scenario))
  p <- read.csv(file.path(out, "patients.csv"))
  fit <- survfit(Surv(p$survival.survival_day, 1 - p$survival.survival_censored) ~ 1)
  r_median <- unname(summary(fit)$table["median"])
  text <- paste(readLines(file.path(out, "summary.json")), collapse = "\n")
  m <- regmatches(text, regexec('"survival_day":\\s*\\{[^}]*"median_day":\\s*([-0-9.eE+]+|null)', text))[[1]]
  icsim_median <- if (length(m) < 2 || m[2] == "null") NA else as.numeric(m[2])
  same <- (is.na(r_median) && is.na(icsim_median)) ||
    (!is.na(r_median) && !is.na(icsim_median) && abs(r_median - icsim_median) <= 1e-9)
  cat(sprintf("%-45s %-22s deaths %2d/%2d  R median %s  icsim %s  %s\n", scenario, paste(sets, collapse = " "),
              sum(1 - p$survival.survival_censored), nrow(p), format(r_median), format(icsim_median),
              if (same) "ok" else "DIFFERENT"))
  if (!same) failures <<- failures + 1
  unlink(out, recursive = TRUE)
}
check("scenarios/mouse/lu177-daratumumab-jnm2021.yaml", c("regimen.dose=1.85 MBq"))
check("scenarios/mouse/ac225-daratumumab-jnm2021.yaml", c("regimen.dose=3.7 kBq", "simulation.patients=30"))
if (failures > 0) quit(status = 1)
