// A cohort of virtual patients simulated in parallel (oneTBB), delivered to a sink
// in patient order, chunk by chunk, so memory does not grow with the cohort.
#pragma once

#include "icsim/icsim.h"
#include "icsim/record.h"
#include "trial/scenario.h"

namespace icsim {

// Results of the patients in flight (two chunks) above this are refused before the run.
inline constexpr double kMaxInFlightBytes = 8e9;

// Throws InputError for problems only a patient reveals (a missing covariate) and for
// an output grid too large to hold in memory, std::invalid_argument for invalid
// options, and Interrupted when RunOptions::stop is set.
CohortSummary run_cohort(const Scenario& s, const RunOptions& o, ResultSink& sink);

}  // namespace icsim
