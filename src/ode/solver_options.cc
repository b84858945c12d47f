#include <cmath>

#include "ode/stepper.h"
#include "trial/scenario.h"

namespace icsim {

namespace {
bool invalid(std::string* why, const char* reason) {
  if (why) *why = reason;
  return false;
}
}  // namespace

const char* to_string(SolverKind k) {
  switch (k) {
    case SolverKind::kAuto: return "auto";
    case SolverKind::kCvode: return "cvode";
    case SolverKind::kExplicit: return "explicit";
  }
  return "";
}

bool solver_kind_from_string(const std::string& text, SolverKind* out) {
  for (SolverKind k : {SolverKind::kAuto, SolverKind::kCvode, SolverKind::kExplicit})
    if (text == to_string(k)) {
      *out = k;
      return true;
    }
  return false;
}

bool SolverOptions::is_valid(std::string* why) const {
  if (!(rtol > 0 && rtol < 1)) return invalid(why, "rtol must be between 0 and 1");
  if (!(atol > 0) || !std::isfinite(atol)) return invalid(why, "atol must be > 0");
  if (max_steps < 1) return invalid(why, "max_steps must be >= 1");
  return true;
}

bool SimulationSettings::is_valid(std::string* why) const {
  if (!(until_day > 0) || !std::isfinite(until_day)) return invalid(why, "until must be > 0");
  if (!(output_every_day > 0) || !std::isfinite(output_every_day)) return invalid(why, "output_every must be > 0");
  if (until_day / output_every_day > 1e7) return invalid(why, "more than 10 million output times per patient");
  if (patients < 1) return invalid(why, "patients must be >= 1");
  return solver.is_valid(why);
}

}  // namespace icsim
