// IMWG response and progression of multiple myeloma from a series of assessments
// (Kumar et al. 2016, Lancet Oncol 17:e328; Durie et al. 2006, Leukemia 20:1467;
// SCIENCE.md 4.3), applied as a simulated trial applies them (SCIENCE.md 4.4). Pure
// logic: no model, no random numbers. Days are any common origin; M-protein in g/L,
// free light chains (FLC) in mg/L.
#pragma once

#include <limits>
#include <string>
#include <vector>

namespace icsim {

// Best first, so that a smaller value is a better response.
enum class Response { kSCR, kCR, kVGPR, kPR, kMR, kSD, kPD };
// "sCR", "CR", "VGPR", "PR", "MR", "SD", "PD".
const char* to_string(Response r);

// Which quantity the rules follow: the serum M-protein, or, in light-chain-only
// disease, the difference of involved and uninvolved FLC (dFLC).
enum class ImwgMeasure { kAuto, kSerum, kLightChain };
// "auto", "serum", "light_chain".
const char* to_string(ImwgMeasure m);

// Measurable disease (Kumar 2016): serum M-protein >= 10 g/L, else involved FLC
// >= 100 mg/L (light-chain-only disease).
inline constexpr double kImwgMeasurableM_g_per_L = 10.0;
inline constexpr double kImwgMeasurableFlc_mg_per_L = 100.0;

struct ImwgOptions {
  // kAuto: light chain when the baseline M-protein is < 10 g/L and the baseline
  // involved FLC is >= 100 mg/L; else serum (also for a serum M below 10 g/L, which
  // a trial would not enrol but a simulation may still follow as relative change).
  ImwgMeasure measure = ImwgMeasure::kAuto;
  // A response category counts only when two consecutive assessments meet it.
  bool confirm_response = true;
  // Progression counts only when the next assessment meets it too.
  bool confirm_progression = true;
  // CR stands in for negative immunofixation (IFE): M-protein below this, and at
  // least the VGPR reduction. Serum IFE detects roughly 0.1-0.2 g/L, electrophoresis
  // only about 0.5-1 g/L (below 1 g/L an M-protein may hide under normal proteins on
  // capillary electrophoresis: Padelli et al., Clin Lab, doi
  // 10.7754/Clin.Lab.2020.201115). The lower end of the IFE range is taken, so that a
  // surrogate CR is not called where IFE would likely still see the band. >= 0.
  double cr_threshold_g_per_L = 0.1;
  // sCR stands in for CR plus a normal FLC ratio and no clonal marrow cells: CR and
  // tumour cells below this fraction of baseline, the sensitivity at which minimal
  // residual disease is called negative (1 cell in 10^5; Kumar 2016). In [0, 1].
  double scr_tumour_fraction = 1e-5;
  // Light-chain disease only: CR needs, besides the VGPR fall of dFLC and the
  // M-protein below cr_threshold_g_per_L, the involved FLC at or below this: the upper
  // limit of normal for kappa (3.3-19.4 mg/L; lambda 5.7-26.3 mg/L; Katzmann et al.
  // 2002, Clin Chem 48:1437). >= 0.
  double cr_involved_flc_mg_per_L = 19.4;
  // True when the options can be used; else `why` says what is wrong.
  bool is_valid(std::string* why) const;
};

// One assessment (the baseline, or a visit on treatment).
struct Assessment {
  double day = 0;
  double m_protein_g_per_L = 0;  // serum M-protein, finite and >= 0
  // Light-chain disease: involved FLC (needed there, finite and >= 0) and uninvolved
  // FLC (0 when not measured, i.e. the involved FLC alone is followed).
  double involved_flc_mg_per_L = std::numeric_limits<double>::quiet_NaN();
  double uninvolved_flc_mg_per_L = 0;
  // Tumour cells as a fraction of baseline; NaN when unknown (then sCR is not
  // assigned and CR is the best). Not read from the baseline.
  double tumour_fraction = std::numeric_limits<double>::quiet_NaN();
};

struct ImwgResult {
  static constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  ImwgMeasure measure = ImwgMeasure::kSerum;  // the one used (never kAuto)
  // Best confirmed category; PD when progression was confirmed and nothing better
  // than SD was confirmed before it; SD when nothing was confirmed.
  Response best = Response::kSD;
  // First assessment of the first confirmed pair at >= PR, >= VGPR, >= CR.
  double response_day = kNaN, vgpr_day = kNaN, cr_day = kNaN;
  double progression_day = kNaN;              // first of the two confirming assessments
  double unconfirmed_progression_day = kNaN;  // a rise at the last assessment, with none after it
  // Lowest value up to progression (or over all assessments), and its first day: the
  // M-protein in g/L, or dFLC in mg/L in light-chain disease.
  double nadir = kNaN, nadir_day = kNaN;
  double duration_of_response_day = kNaN;     // progression_day - response_day
  bool response_censored = false;             // a confirmed response and no progression
  double censoring_day = kNaN;                // last assessment when no progression
  // Unconfirmed category at each visit assessed: PD where the visit meets the
  // progression rule, else the category of its reduction. Visits after the one that
  // confirms progression are not assessed (the patient leaves the trial), so this may
  // be shorter than the visits.
  std::vector<Response> per_visit;
};

// Assesses `visits` against `baseline`. Throws std::invalid_argument, naming the
// argument, for invalid options, a baseline whose followed value (M-protein, or
// dFLC) is not finite and > 0, a non-finite or negative M-protein, FLC or tumour
// fraction, an involved FLC missing in light-chain disease, or days that are not
// finite and strictly increasing from the baseline on.
ImwgResult assess_imwg(const Assessment& baseline, const std::vector<Assessment>& visits,
                       const ImwgOptions& options = {});

// An observed M-protein from the true one `m` (g/L) with a combined additive (g/L)
// and proportional (fraction) residual error (SCIENCE.md 4.4; Collins 2023 used
// 0.832 g/L and 0.063): max(0, m + sqrt(add^2 + (prop*m)^2) * z), for a standard
// normal draw `z` from the caller. Throws std::invalid_argument for a negative or
// non-finite argument (z may be negative).
double observe_m_protein(double m, double additive_sd, double proportional_sd, double z);

}  // namespace icsim
