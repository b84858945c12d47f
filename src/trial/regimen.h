// Dosing regimens: regular schedules, schedules in phases and explicit dose times,
// expanded into dose events for one patient.
#pragma once

#include <string>
#include <vector>

#include "model/spec.h"

namespace icsim {

enum class DoseBasis { kMass, kPerWeight, kPerBsa, kAmount };

struct DoseSpec {
  double value = 0.0;  // mg for mass bases, nmol for kAmount
  DoseBasis basis = DoseBasis::kMass;
  std::string text;    // as written, e.g. "2.5 mg/kg"
};

// Infusions shorter than this (day; 0.0864 s) are given as a bolus: the schedule
// merges times closer than Schedule::kEps (1e-9 day), so an infusion that short
// would start and end at one stop and give nothing. The difference from a true
// 0.0864 s infusion is below anything the output shows.
inline constexpr double kShortestInfusionDay = 1e-6;

struct Phase {
  DoseSpec dose;
  double infusion_day = 0.0;   // 0: IV bolus (as is anything below kShortestInfusionDay)
  double every_day = 0.0;      // interval of a regular schedule
  int doses = 1;
  bool has_start = false;
  double start_day = 0.0;
  std::vector<double> times_day;  // explicit dose times (instead of every/doses)
  // What the phase gives (`of:`): "" for the agent, else a DoseForm of the agent's.
  std::string of;
  double molecular_weight = 0.0;  // g/mol of what it gives when not the agent (0: unknown)
  Origin origin;
};

// Something besides the agent that a regimen can give (`of:`), with what converts its
// doses: its molecular weight (g/mol; 0 when not known, so no mass doses) and its
// specific activity (MBq/nmol; 0 when it is not radioactive, so no activity doses).
struct DoseForm {
  std::string name;
  double molecular_weight = 0.0;
  double mbq_per_nmol = 0.0;
};

struct Regimen {
  std::vector<Phase> phases;
};

struct DoseEvent {
  double time_day = 0.0;
  double duration_day = 0.0;  // 0: bolus
  double amount_mg = 0.0;  // 0 for a dose of something whose molecular weight is not known
  double amount_nmol = 0.0;
  double interval_day = 0.0;  // nominal interval to the next dose of its phase (0: none)
  std::string of;             // what is given ("": the agent; Phase::of)
};

// Dose events in time order. Doses per weight or BSA use the patient's covariates
// (weight in kg, bsa in m2). Throws InputError when a needed covariate is missing.
std::vector<DoseEvent> expand_regimen(const Regimen& r, const Covariates& c, double molecular_weight);

}  // namespace icsim
