#include "radiation/dosimetry_run.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "icsim/error.h"
#include "io/number_format.h"
#include "radiation/label.h"
#include "population/covariates.h"
#include "radiation/radiobiology.h"
#include "trial/regimen.h"

namespace icsim {

namespace {

using json = nlohmann::ordered_json;

// Targets whose biologically effective dose is reported: the radiobiology table's
// tissue for each (alpha/beta and repair half-time; docs/radiobiology.md).
const std::map<std::string, std::string> kBedTissue = {{"red_marrow", "red_marrow"}, {"kidneys", "kidney"}};

// 8 significant digits, as the other result files.
std::string format_number(double v) {
  std::string out;
  append_g(out, v, 8);
  return out;
}

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t lo = static_cast<size_t>(pos);
  const size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (pos - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace

const std::vector<std::string>& DosimetrySink::targets() {
  static const std::vector<std::string> t = {"red_marrow", "liver", "kidneys", "spleen", "lungs", "total_body"};
  return t;
}

DosimetrySink::DosimetrySink(const Scenario& s, DirectoryWriter& files) : s_(s), files_(files) {
  const auto* label = s.agent.options<LabelOptions>("label");
  if (!label)
    throw InputError(s.file, 0, "agent",
                     fmt::format("dosimetry needs a labelled agent: '{}' has no label: {{nuclide: ..., "
                                 "specific_activity: ...}}",
                                 s.agent.id));
  nuclide_ = label->nuclide;
  // A pretargeted agent's label comes with its hapten, dosed apart from the antibody:
  // the administered activity is the regimen's hapten doses before `until`.
  pretargeted_ = s.agent.has_mechanism("pretargeting");
  if (pretargeted_) {
    const Covariates c = complete_covariates(s.patient, s.agent.covariate_reference, s.bsa_formula);
    const double mbq_per_nmol = s.agent.value("pretargeting.hapten.specific_activity");
    for (const DoseEvent& e : expand_regimen(s.regimen, c, s.agent.molecular_weight))
      if (e.of == "hapten" && e.time_day <= s.simulation.until_day) hapten_MBq_ += e.amount_nmol * mbq_per_nmol;
  }
  const radiation::NuclideLibrary& library = radiation::NuclideLibrary::shared();
  const double lambda_per_day = library.get(nuclide_).lambda_per_day;
  lambda_per_h_ = lambda_per_day / 24.0;
  specific_activity_ = pretargeted_ ? 0.0 : s.agent.value("label.specific_activity");
  // The tumour's marrow site holds the marrow's fluid (the mechanistic disease only; an
  // empirical M-protein model has no site, and the blood method stays).
  disease_ = s.agent.has_mechanism("disease");
  rbe_ = s.agent.has("cellular.alpha_rbe") ? s.agent.value("cellular.alpha_rbe") : radiation::AlphaRbeOptions{}.constant;
  // Daughters counted over 20 half-lives of the label: those of a chain that decay
  // in that time decay where the label did.
  energy_ = radiation::chain_energy(library, nuclide_, 20.0 * std::log(2.0) / lambda_per_day);
  phantom_ = radiation::Phantom::for_species(s.species());
  organ_sources_ = radiation::OrganSources::read_default();
  if (s.species() != "human") organ_sources_ = organ_sources_.in_phantom(phantom_);
  std::vector<std::string> sources = {"red_marrow"};  // besides the remainder
  for (const radiation::OrganSource& o : organ_sources_.organs) sources.push_back(o.organ);
  mird_ = std::make_unique<radiation::OrganDosimetry>(phantom_, energy_, nuclide_, sources);
  if (label->daughters == LabelOptions::Daughters::kReleased) {
    free_ = radiation::free_chain(library, radiation::FreeDaughterData::shared(), nuclide_);
    // The label's TIA stands for its whole chain's energy in the S-values (estimated
    // ones are proportional to that energy): a part with other energy per decay
    // counts as label decays in proportion.
    in_place_share_ = free_.in_place_MeV() / free_.chain_MeV();
    const radiation::DecayChain chain(library, nuclide_);
    for (size_t k = 0; k < free_.followed.size(); ++k) {
      free_share_.push_back(free_.per_decay_MeV(k) / free_.chain_MeV());
      free_members_.push_back(chain.member(free_.followed[k]).name);
    }
  }
}

std::map<std::string, double> DosimetrySink::sources(const Amounts& a, double plasma_mL) const {
  using radiation::Region;
  const double marrow_g = phantom_.mass("red_marrow"), ecf = phantom_.marrow_ecf_fraction;
  // With a disease the marrow's fluid is the tumour site's, counted in its activity:
  // the blood method is for a marrow the model does not hold.
  const double blood_method = disease_ ? 0.0 : (a.plasma_per_mL + a.hapten_per_mL) * ecf * marrow_g;
  const double kept = in_place_share_;  // antibody outside cells keeps this share of its energy
  std::map<std::string, double> out;
  out["red_marrow"] = blood_method * kept + a.cells + a.tumour - (1.0 - kept) * a.release_marrow;
  for (const radiation::OrganSource& o : organ_sources_.organs) {
    double v = a.plasma_per_mL * (o.blood_fraction * plasma_mL + o.interstitial_mL) * kept +
               o.catabolism_share * a.catabolised;
    if (o.organ == "kidneys") v += a.free[static_cast<size_t>(Region::kKidneys)] + a.kidney;
    if (o.organ == "liver") v += a.free[static_cast<size_t>(Region::kLiver)];
    out[o.organ] = v;
  }
  double body = a.body - (1.0 - kept) * a.release + a.hapten + a.kidney;
  for (double f : a.free) body += f;
  return radiation::with_remainder(std::move(out), body);
}

int DosimetrySink::column(const std::string& name) const {
  for (size_t i = 0; i < info_.columns.size(); ++i)
    if (info_.columns[i] == name) return static_cast<int>(i);
  return -1;
}

void DosimetrySink::begin(const CohortInfo& info) {
  info_ = info;
  files_.begin(info);
  rates_ = "patient,time_day";
  for (const std::string& t : targets()) rates_ += ",dose_rate_" + t + "_mGy_per_h";
  rates_ += '\n';
}

void DosimetrySink::patient(const PatientRecord& r) {
  files_.patient(r);
  add(r);
}

void DosimetrySink::deliver(const PatientRecord& r, const std::vector<std::string>& encoded) {
  files_.deliver(r, encoded);
  add(r);
}

void DosimetrySink::add(const PatientRecord& r) {
  if (!r.ok || r.series.empty()) return;
  const size_t cols = info_.columns.size() + (info_.observed ? 1 : 0);
  const size_t rows = info_.times.size();
  auto value = [&](size_t row, int c) { return c < 0 ? 0.0 : r.series[row * cols + static_cast<size_t>(c)]; };
  // The tumour in the marrow (its own column when there is an extramedullary site).
  const bool split = column("tumour_marrow_activity_MBq") >= 0;
  const int plasma = column("plasma_activity_kBq_per_mL"), body = column("body_activity_MBq"),
            tumour = column(split ? "tumour_marrow_activity_MBq" : "tumour_activity_MBq"),
            cells = column("target_cells_activity_MBq"), catabolised = column("catabolised_activity_MBq"),
            tia_plasma = column("tia_plasma_MBq_h"), tia_body = column("tia_body_MBq_h"),
            tia_tumour = column(split ? "tia_tumour_marrow_MBq_h" : "tia_tumour_MBq_h"),
            tia_cells = column("tia_target_cells_MBq_h"), tia_catabolised = column("tia_catabolised_MBq_h"),
            release = column("release_sites_MBq"), tia_release = column("tia_release_sites_MBq_h"),
            release_marrow = column("release_tumour_marrow_MBq"),
            tia_release_marrow = column("tia_release_tumour_marrow_MBq_h"),
            hapten = column("hapten_plasma_activity_kBq_per_mL"), tia_hapten = column("tia_hapten_plasma_MBq_h"),
            kidney = column("kidney_activity_MBq"), tia_kidney = column("tia_kidney_MBq_h");
  // Free daughters' columns by member and region (-1 where the member's model has none).
  std::vector<std::array<int, radiation::kRegionCount>> free_now, free_tia;
  for (const std::string& member : free_members_) {
    const std::string tag = radiation::member_tag(member);
    std::array<int, radiation::kRegionCount> now{}, tia{};
    for (int g = 0; g < radiation::kRegionCount; ++g) {
      const std::string region = radiation::region_name(static_cast<radiation::Region>(g));
      now[static_cast<size_t>(g)] = column("free_" + tag + "_" + region + "_MBq");
      tia[static_cast<size_t>(g)] = column("tia_free_" + tag + "_" + region + "_MBq_h");
    }
    free_now.push_back(now);
    free_tia.push_back(tia);
  }
  double v1_L = 0.0, hapten_L = 0.0;
  for (size_t i = 0; i < info_.parameters.size(); ++i) {
    if (info_.parameters[i] == "disposition.V1") v1_L = r.params[i];
    if (info_.parameters[i] == "pretargeting.hapten.volume") hapten_L = r.params[i];
  }
  const double plasma_mL = v1_L * 1000.0;

  // Activities at an output row; with `integral`, their time integrals to `until`
  // and then to complete decay at the nuclide's rate (the free daughters, fed by the
  // label, follow it in the tail).
  const size_t last = rows - 1;
  const double tail = 1.0 / lambda_per_h_;
  auto amounts = [&](size_t row, bool integral) {
    auto get = [&](int now, int tia) {
      return integral ? value(last, tia) + value(last, now) * tail : value(row, now);
    };
    Amounts a;
    a.plasma_per_mL = integral ? value(last, tia_plasma) / plasma_mL + value(last, plasma) * 1e-3 * tail
                               : value(row, plasma) * 1e-3;
    a.catabolised = get(catabolised, tia_catabolised);
    a.cells = get(cells, tia_cells);
    a.tumour = get(tumour, tia_tumour);
    a.body = get(body, tia_body);
    a.release = get(release, tia_release);
    a.release_marrow = get(release_marrow, tia_release_marrow);
    // A pretargeted label's free hapten (in the extracellular fluid, whose marrow share
    // the blood method takes) and what the kidneys hold of it.
    // (tia_hapten_plasma_MBq_h integrates the part in the plasma volume, V1 / Vh of it.)
    if (hapten >= 0 && hapten_L > 0.0 && v1_L > 0.0) {
      a.hapten = integral ? value(last, tia_hapten) * hapten_L / v1_L + value(last, hapten) * hapten_L * tail
                          : value(row, hapten) * hapten_L;
      a.hapten_per_mL = a.hapten / (hapten_L * 1e3);
    }
    a.kidney = get(kidney, tia_kidney);
    for (size_t k = 0; k < free_now.size(); ++k)
      for (size_t g = 0; g < a.free.size(); ++g)
        a.free[g] += get(free_now[k][g], free_tia[k][g]) * free_share_[k];
    return a;
  };
  Doses d;
  d.patient = r.index;
  const Amounts total = amounts(last, true);
  d.tia_MBq_h = sources(total, plasma_mL);
  d.target_cells_share = total.body > 0.0 ? total.cells / total.body : 0.0;
  d.tail_fraction = total.body > 0.0 ? value(last, body) * tail / total.body : 0.0;
  for (size_t k = 0; k < free_tia.size(); ++k)
    for (int g = 0; g < radiation::kRegionCount; ++g)
      if (free_tia[k][static_cast<size_t>(g)] >= 0)
        d.free_tia_MBq_h[free_members_[k]][radiation::region_name(static_cast<radiation::Region>(g))] =
            value(last, free_tia[k][static_cast<size_t>(g)]) + value(last, free_now[k][static_cast<size_t>(g)]) * tail;
  for (const std::string& t : targets()) d.dose_mGy[t] = mird_->dose_mGy(t, d.tia_MBq_h);
  if (const int tia = column("tia_tumour_cells_MBq_h"), dose = column("tumour_mean_dose_Gy"); tia >= 0 && dose >= 0) {
    d.tumour_tia_MBq_h = value(last, tia);
    d.tumour_Gy = value(last, dose);
  }
  // With a disease, the radionuclide effector's dose to each clone's nuclei.
  for (size_t i = 0; i < info_.columns.size(); ++i) {
    const std::string& name = info_.columns[i];
    const std::string prefix = "clone_", suffix = "_nucleus_Gy";
    if (name.size() > prefix.size() + suffix.size() && name.rfind(prefix, 0) == 0 &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      d.nucleus_Gy[name.substr(prefix.size(), name.size() - prefix.size() - suffix.size())] =
          value(last, static_cast<int>(i));
  }
  if (pretargeted_) d.administered_MBq = hapten_MBq_;
  try {
    const Table& intervals = r.table("intervals");
    for (size_t i = 0; i < intervals.rows(); ++i) d.administered_MBq += intervals.at(i, "dose_mg") * specific_activity_;
  } catch (const std::out_of_range&) {
  }
  // Dose rates (mGy/h) at every output time.
  std::map<std::string, std::vector<double>> rate_Gy_per_day;
  for (size_t row = 0; row < rows; ++row) {
    const std::map<std::string, double> now = sources(amounts(row, false), plasma_mL);
    rates_ += fmt::format("{},{}", r.index, format_number(info_.times[row]));
    for (const std::string& t : targets()) {
      const double mgy_per_h = mird_->dose_mGy(t, now);
      rates_ += "," + format_number(mgy_per_h);
      rate_Gy_per_day[t].push_back(mgy_per_h * 24.0 / 1000.0);
    }
    rates_ += '\n';
  }
  // BED of the low-LET part with the protraction of the sampled dose-rate curve (the
  // tail after `until` is taken as given at the same protraction); the alpha part is
  // RBE x dose, without repair.
  const double alpha_share = energy_.nonpenetrating_MeV() > 0.0
                                 ? energy_.energy_MeV[static_cast<int>(radiation::Emission::kAlpha)] /
                                       energy_.nonpenetrating_MeV()
                                 : 0.0;
  for (const auto& [target, tissue_name] : kBedTissue) {
    const radiation::LqTissue& tissue = radiation::tissue_default(tissue_name).lq;
    const std::vector<double>& rate = rate_Gy_per_day[target];
    if (std::none_of(rate.begin(), rate.end(), [](double v) { return v > 0.0; })) continue;
    const double mu = std::log(2.0) / tissue.repair_half_time_day;
    const double g = radiation::protraction_piecewise_linear(info_.times, rate, mu).g;
    const double dose = d.dose_mGy.at(target) / 1000.0, low = (1.0 - alpha_share) * dose;
    d.bed_Gy[target] = radiation::bed_alpha_Gy(alpha_share * dose, rbe_) +
                       radiation::bed_Gy(low, g, tissue.alpha_beta_Gy);
  }
  doses_.push_back(std::move(d));
}

// The absorbed dose to the nucleus of a myeloma cell, by clone, to `until`.
nlohmann::ordered_json DosimetrySink::nucleus_summary() const {
  using json = nlohmann::ordered_json;
  if (doses_.empty() || doses_.front().nucleus_Gy.empty())
    return {{"status", "not computed: the scenario has no disease, or its agent no cellular section with effector: "
                       "radionuclide (docs/radionuclide-effector.md)"}};
  json clones = json::object();
  for (const auto& [clone, first] : doses_.front().nucleus_Gy) {
    std::vector<double> gy;
    for (const Doses& d : doses_) gy.push_back(d.nucleus_Gy.at(clone));
    clones[clone] = {{"dose_Gy", percentile(gy, 0.5)},
                     {"dose_Gy_p5", percentile(gy, 0.05)},
                     {"dose_Gy_p95", percentile(gy, 0.95)}};
  }
  return {{"clones", clones},
          {"method", "cellular S-values of the label's chain for the agent's cell and nucleus, the cell's own "
                     "surface and cytoplasm activity and the marrow's cross-fire, to the end of the simulation "
                     "(physical dose; docs/radionuclide-effector.md)"}};
}

std::string DosimetrySink::table() const {
  if (doses_.empty()) return "dosimetry: no patient finished\n";
  std::string out = fmt::format("absorbed dose ({} on {}, {}), median [5th - 95th percentile] over {} patient(s):\n",
                                nuclide_, s_.agent.id, phantom_.name, doses_.size());
  out += fmt::format("  {:<12} {:>10} {:>24} {:>12}\n", "organ", "Gy", "", "mGy/MBq");
  for (const std::string& t : targets()) {
    std::vector<double> gy, per;
    for (const Doses& d : doses_) {
      gy.push_back(d.dose_mGy.at(t) / 1000.0);
      per.push_back(d.administered_MBq > 0 ? d.dose_mGy.at(t) / d.administered_MBq : 0.0);
    }
    out += fmt::format("  {:<12} {:>10.4g} [{:>9.4g} - {:<9.4g}] {:>12.4g}{}\n", t, percentile(gy, 0.5),
                       percentile(gy, 0.05), percentile(gy, 0.95), percentile(per, 0.5),
                       mird_->estimated(t) ? "  (estimated S-values)" : "");
  }
  if (doses_.front().tumour_tia_MBq_h >= 0) {
    std::vector<double> gy, per;
    for (const Doses& d : doses_) {
      gy.push_back(d.tumour_Gy);
      per.push_back(d.administered_MBq > 0 ? 1000.0 * d.tumour_Gy / d.administered_MBq : 0.0);
    }
    out += fmt::format("  {:<12} {:>10.4g} [{:>9.4g} - {:<9.4g}] {:>12.4g}  (mean over its living cells)\n", "tumour",
                       percentile(gy, 0.5), percentile(gy, 0.05), percentile(gy, 0.95), percentile(per, 0.5));
  }
  std::vector<double> share;
  for (const Doses& d : doses_) share.push_back(d.target_cells_share);
  if (percentile(share, 0.5) > 0.5)
    out += fmt::format("  note: {:.0f} % of the body's activity is label the target-bearing cells took in, counted as "
                       "red marrow: an upper bound on its dose (docs/dosimetry.md)\n",
                       100.0 * percentile(share, 0.5));
  return out;
}

void DosimetrySink::end() {
  json organs = json::object();
  for (const std::string& t : targets()) {
    std::vector<double> gy, per;
    for (const Doses& d : doses_) {
      gy.push_back(d.dose_mGy.at(t) / 1000.0);
      per.push_back(d.administered_MBq > 0 ? d.dose_mGy.at(t) / d.administered_MBq : 0.0);
    }
    json o = json::object();
    if (!doses_.empty() && doses_.front().tia_MBq_h.count(t)) {
      std::vector<double> tia;
      for (const Doses& d : doses_) tia.push_back(d.tia_MBq_h.at(t));
      o["tia_MBq_h"] = percentile(tia, 0.5);
    }
    if (!gy.empty()) {
      o["dose_Gy"] = percentile(gy, 0.5);
      o["dose_mGy_per_MBq"] = percentile(per, 0.5);
      o["dose_Gy_p5"] = percentile(gy, 0.05);
      o["dose_Gy_p95"] = percentile(gy, 0.95);
    }
    if (kBedTissue.count(t) && !doses_.empty() && doses_.front().bed_Gy.count(t)) {
      std::vector<double> bed;
      for (const Doses& d : doses_) bed.push_back(d.bed_Gy.count(t) ? d.bed_Gy.at(t) : 0.0);
      o["bed_Gy"] = percentile(bed, 0.5);
    }
    o["s_values"] = mird_->estimated(t)
                        ? fmt::format("estimated: no published S-value table for {} was found; self-dose from the "
                                      "non-penetrating energy per decay, no cross-dose between organs, photons left "
                                      "out (docs/dosimetry.md)",
                                      nuclide_)
                        : "published table";
    organs[t] = o;
  }
  if (!doses_.empty() && doses_.front().tumour_tia_MBq_h >= 0) {
    std::vector<double> tia, gy, per;
    for (const Doses& d : doses_) {
      tia.push_back(d.tumour_tia_MBq_h);
      gy.push_back(d.tumour_Gy);
      per.push_back(d.administered_MBq > 0 ? 1000.0 * d.tumour_Gy / d.administered_MBq : 0.0);
    }
    organs["tumour"] = {
        {"tia_MBq_h", percentile(tia, 0.5)},
        {"dose_Gy", percentile(gy, 0.5)},
        {"dose_mGy_per_MBq", percentile(per, 0.5)},
        {"dose_Gy_p5", percentile(gy, 0.05)},
        {"dose_Gy_p95", percentile(gy, 0.95)},
        {"s_values",
         "the label on and in the tumour's cells, its chain's non-penetrating energy absorbed there, over the mass of "
         "the living cells as they grow and die, to the end of the simulation: the mean dose of a macroscopic tumour "
         "(a plasmacytoma, a xenograft of millimetres). For disseminated cells it is far above what they absorb "
         "(alpha particles and electrons leave a single cell): cell_nucleus gives each clone's nucleus dose with "
         "cross-fire (docs/dosimetry.md)"}};
  }
  std::vector<double> administered, tail, share;
  json patients = json::array();
  for (const Doses& d : doses_) {
    administered.push_back(d.administered_MBq);
    tail.push_back(d.tail_fraction);
    share.push_back(d.target_cells_share);
    json p = {{"patient", d.patient}, {"administered_MBq", d.administered_MBq}};
    for (const auto& [src, v] : d.tia_MBq_h) p["tia_MBq_h"][src] = v;
    for (const auto& [t, v] : d.dose_mGy) p["dose_Gy"][t] = v / 1000.0;
    for (const auto& [member, regions] : d.free_tia_MBq_h)
      for (const auto& [region, v] : regions) p["free_daughters_tia_MBq_h"][member][region] = v;
    if (patients.size() < 10000) patients.push_back(p);
  }
  json sources = json::object();
  sources["red_marrow"] =
      disease_ ? "the tumour's marrow site (its fluid and cells) and the label target-bearing cells took in"
               : "blood method on the plasma activity (red-marrow extracellular fluid fraction " +
                     format_number(phantom_.marrow_ecf_fraction) +
                     ", Sgouros 1993), plus the label target-bearing cells took in";
  for (const radiation::OrganSource& o : organ_sources_.organs)
    sources[o.organ] = fmt::format(
        "the antibody in its vascular plasma ({} of the plasma activity, ICRP 89 blood volumes) and extravascular "
        "tissue (the plasma activity concentration times {} mL: antibody biodistribution coefficient x tissue mass, "
        "Shah & Betts 2013); plus {} of the residualised catabolised label{} (data/dosimetry/organ_sources.yaml)",
        format_number(o.blood_fraction), format_number(o.interstitial_mL), format_number(o.catabolism_share),
        o.organ == "kidneys" || o.organ == "liver" ? (free_.empty() ? "" : "; and the free daughters there") : "");
  sources["remainder"] =
      "the rest of the body's activity, free daughters in blood and elsewhere included (MIRD remainder-of-body "
      "correction); the sources are scaled down together at a time they would hold more than the body";
  json free = json::object();
  if (free_.empty()) {
    free["option"] = "retained";
    free["method"] = "every daughter of the chain decays where the label did";
  } else {
    free["option"] = "released";
    free["release_fraction"] = free_.release_fraction;
    free["in_place_share_of_chain_energy"] = in_place_share_;
    json members = json::object();
    for (size_t k = 0; k < free_members_.size(); ++k) {
      json m = {{"MeV_per_decay", free_.per_decay_MeV(k)}, {"decays_per_label_decay", free_.decays[k]}};
      if (!doses_.empty() && doses_.front().free_tia_MBq_h.count(free_members_[k]))
        for (const auto& [region, first] : doses_.front().free_tia_MBq_h.at(free_members_[k])) {
          std::vector<double> v;
          for (const Doses& d : doses_) v.push_back(d.free_tia_MBq_h.at(free_members_[k]).at(region));
          m["tia_MBq_h"][region] = percentile(v, 0.5);
        }
      members[free_members_[k]] = m;
    }
    free["members"] = members;
    free["method"] =
        "the label on antibody outside cells frees this fraction of its daughters; they follow their element's "
        "model (data/dosimetry/free_daughters.yaml) and count with their own chain's energy in the kidneys, liver "
        "and remainder; the label there keeps the energy of what decays in place (docs/radioimmunoconjugates.md)";
  }
  const std::string s_values = phantom_.table_source.count(nuclide_)
                                   ? phantom_.table_source.at(nuclide_)
                                   : "no published table found for " + nuclide_ +
                                         ": estimated from the non-penetrating energy per decay, absorbed in the "
                                         "source organ (photons left out; each organ says so under organs)";
  json chain = json::object();
  for (const auto& [member, n] : energy_.decays) chain[member] = n;
  const json doc = {
      {"nuclide", nuclide_},
      {"administered_MBq", administered.empty() ? 0.0 : percentile(administered, 0.5)},
      {"patients", doses_.size()},
      {"organs", organs},
      {"cell_nucleus", nucleus_summary()},
      {"method",
       {{"phantom", phantom_.name},
        {"s_values", s_values},
        {"nonpenetrating_MeV_per_decay", energy_.nonpenetrating_MeV()},
        {"chain_decays_per_decay", chain},
        {"chain_members_without_energy", energy_.missing},
        {"sources", sources},
        {"free_daughters", free},
        {"integration", "to the end of the simulation, then to complete decay at the physical rate"},
        {"bed", "red marrow and kidneys: alpha/beta and repair half-time of src/radiation/radiobiology.cc (red marrow "
                "10 Gy, 0.5 h, estimates; kidney 2.6 Gy, 2.8 h); Lea-Catcheside G of the sampled dose-rate curve; "
                "alpha particles RBE 5, no repair"},
        {"tail_fraction_median", tail.empty() ? 0.0 : percentile(tail, 0.5)},
        {"target_cells_share_median", share.empty() ? 0.0 : percentile(share, 0.5)},
        {"red_marrow_blood_method", !disease_}}},
      {"per_patient", patients}};
  files_.add_file("dosimetry.json", doc.dump(2) + "\n");
  files_.add_file("dose_rate.csv", rates_);
  files_.end();
}

}  // namespace icsim
