// A cohort of virtual patients simulated in parallel (oneTBB), delivered to a sink
// in patient order, chunk by chunk, so memory does not grow with the cohort.
#pragma once

#include "icsim/icsim.h"
#include "icsim/record.h"
#include "trial/scenario.h"

namespace icsim {

// Throws InputError for problems only a patient reveals (a missing covariate), and
// std::invalid_argument for invalid options.
CohortSummary run_cohort(const Scenario& s, const RunOptions& o, ResultSink& sink);

}  // namespace icsim
