// The record of what was run: a scenario file that reproduces a run exactly. The
// agent is written out in full (inline), every parameter in engine units with its
// source, after every --set override; numbers are written so that they read back
// bit for bit. Re-running it gives byte-identical results (tests/io/provenance_test.cc).
#pragma once

#include <string>

#include "trial/scenario.h"

namespace icsim {

std::string resolved_scenario_yaml(const Scenario& s);

}  // namespace icsim
