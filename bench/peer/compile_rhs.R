# Builds a compiled deSolve right-hand side with R CMD SHLIB and loads it; sourced by
# belantamab_desolve.R and myeloma_desolve.R. compile_rhs("DIR/NAME.c") copies NAME.c
# into a directory of R's tempdir() and builds it there, so nothing is written to the
# repository, then loads it under the name NAME (deSolve's dllname). If the build
# fails it stops with R CMD SHLIB's output.
compile_rhs <- function(src) {
  name <- sub("\\.c$", "", basename(src))
  build <- file.path(tempdir(), name)
  dir.create(build, showWarnings = FALSE)
  invisible(file.copy(src, build, overwrite = TRUE))
  old_wd <- setwd(build)
  on.exit(setwd(old_wd))
  out <- system2(file.path(R.home("bin"), "R"), c("CMD", "SHLIB", basename(src)), stdout = TRUE, stderr = TRUE)
  if (!is.null(attr(out, "status"))) stop("R CMD SHLIB failed:\n", paste(out, collapse = "\n"))
  invisible(dyn.load(file.path(build, paste0(name, .Platform$dynlib.ext))))
}
