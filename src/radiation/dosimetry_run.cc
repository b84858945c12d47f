#include "radiation/dosimetry_run.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "icsim/error.h"
#include "io/number_format.h"
#include "radiation/label.h"
#include "radiation/radiobiology.h"

namespace icsim {

namespace {

using json = nlohmann::ordered_json;

const std::vector<std::string> kSources = {"red_marrow"};  // besides the remainder

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
  const radiation::NuclideLibrary& library = radiation::NuclideLibrary::shared();
  const double lambda_per_day = library.get(nuclide_).lambda_per_day;
  lambda_per_h_ = lambda_per_day / 24.0;
  specific_activity_ = s.agent.value("label.specific_activity");
  disease_ = s.assessment.on;
  rbe_ = s.agent.has("cellular.alpha_rbe") ? s.agent.value("cellular.alpha_rbe") : radiation::AlphaRbeOptions{}.constant;
  // Daughters counted over 20 half-lives of the label: those of a chain that decay
  // in that time decay where the label did.
  energy_ = radiation::chain_energy(library, nuclide_, 20.0 * std::log(2.0) / lambda_per_day);
  phantom_ = radiation::Phantom::read_default();
  mird_ = std::make_unique<radiation::OrganDosimetry>(phantom_, energy_, nuclide_, kSources);
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
            cells = column("target_cells_activity_MBq"), tia_plasma = column("tia_plasma_MBq_h"),
            tia_body = column("tia_body_MBq_h"), tia_tumour = column(split ? "tia_tumour_marrow_MBq_h" : "tia_tumour_MBq_h"),
            tia_cells = column("tia_target_cells_MBq_h");
  // With a disease the marrow's fluid is the tumour site's, counted in its activity:
  // the blood method is for a marrow the model does not hold.
  const double blood_method = disease_ ? 0.0 : 1.0;
  double v1_L = 0.0;
  for (size_t i = 0; i < info_.parameters.size(); ++i)
    if (info_.parameters[i] == "disposition.V1") v1_L = r.params[i];
  const double plasma_mL = v1_L * 1000.0, marrow_g = phantom_.mass("red_marrow");
  const double ecf = phantom_.marrow_ecf_fraction;

  // Activity by source (MBq) at an output row.
  auto marrow_activity = [&](size_t row) {
    return blood_method * value(row, plasma) * 1e-3 * ecf * marrow_g + value(row, cells) + value(row, tumour);
  };
  const size_t last = rows - 1;
  Doses d;
  d.patient = r.index;
  // Integrated to `until`, then to complete decay at the nuclide's rate.
  const double tail = 1.0 / lambda_per_h_;
  const double body_tia = value(last, tia_body) + value(last, body) * tail;
  const double cells_tia = value(last, tia_cells) + value(last, cells) * tail;
  const double marrow_tia = blood_method * (value(last, tia_plasma) / plasma_mL * ecf * marrow_g +
                                            value(last, plasma) * 1e-3 * ecf * marrow_g * tail) +
                            cells_tia + value(last, tia_tumour) + value(last, tumour) * tail;
  d.target_cells_share = body_tia > 0.0 ? cells_tia / body_tia : 0.0;
  d.tia_MBq_h = {{"red_marrow", marrow_tia}, {"remainder", std::max(0.0, body_tia - marrow_tia)}};
  d.tail_fraction = body_tia > 0.0 ? value(last, body) * tail / body_tia : 0.0;
  for (const std::string& t : targets()) d.dose_mGy[t] = mird_->dose_mGy(t, d.tia_MBq_h);
  // With a disease, the radionuclide effector's dose to each clone's nuclei.
  for (size_t i = 0; i < info_.columns.size(); ++i) {
    const std::string& name = info_.columns[i];
    const std::string prefix = "clone_", suffix = "_nucleus_Gy";
    if (name.size() > prefix.size() + suffix.size() && name.rfind(prefix, 0) == 0 &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      d.nucleus_Gy[name.substr(prefix.size(), name.size() - prefix.size() - suffix.size())] =
          value(last, static_cast<int>(i));
  }
  try {
    const Table& intervals = r.table("intervals");
    for (size_t i = 0; i < intervals.rows(); ++i) d.administered_MBq += intervals.at(i, "dose_mg") * specific_activity_;
  } catch (const std::out_of_range&) {
  }
  // Dose rates (mGy/h) at every output time.
  std::map<std::string, std::vector<double>> rate_Gy_per_day;
  for (size_t row = 0; row < rows; ++row) {
    const double m = marrow_activity(row);
    const std::map<std::string, double> now = {{"red_marrow", m}, {"remainder", std::max(0.0, value(row, body) - m)}};
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
    if (t == "red_marrow" && !doses_.empty()) {
      std::vector<double> tia;
      for (const Doses& d : doses_) tia.push_back(d.tia_MBq_h.at("red_marrow"));
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
    o["s_values"] = mird_->estimated(t) ? "estimated (docs/dosimetry.md)" : "published table";
    organs[t] = o;
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
    if (patients.size() < 10000) patients.push_back(p);
  }
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
        {"s_values", phantom_.table_source.count(nuclide_) ? phantom_.table_source.at(nuclide_)
                                                           : "no published table: estimated from the non-penetrating "
                                                             "energy per decay (photons left out)"},
        {"nonpenetrating_MeV_per_decay", energy_.nonpenetrating_MeV()},
        {"chain_decays_per_decay", chain},
        {"chain_members_without_energy", energy_.missing},
        {"sources",
         {{"red_marrow", disease_ ? "the tumour's marrow site (its fluid and cells) and the label target-bearing "
                                    "cells took in"
                                  : "blood method on the plasma activity (red-marrow extracellular fluid fraction " +
                                        format_number(phantom_.marrow_ecf_fraction) +
                                        ", Sgouros 1993), plus the label target-bearing cells took in"},
          {"remainder", "the rest of the body's activity (MIRD remainder-of-body correction)"}}},
        {"not_resolved", "liver, kidneys, spleen and lungs take up no activity of their own in this model: their "
                         "doses are the remainder's cross-dose"},
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
