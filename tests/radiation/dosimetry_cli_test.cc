// `icsim dosimetry` (src/radiation/dosimetry_run.cc), end to end:
//  - the files and keys of dosimetry.json the issue names;
//  - a residualising label never leaves the body, so the source organs' time-
//    integrated activities, integrated to complete decay, add up to A0 / lambda
//    (tolerance 1e-6; TIA + A / lambda is a linear invariant of the model, which the
//    integrators keep to round-off, so this checks the bookkeeping: units, the tail
//    after the simulation, the split between sources);
//  - every organ dose is the sum of its sources' TIAs times the phantom's S-values
//    (the published OLINDA 2 values for 177Lu), recomputed here from the JSON;
//  - an unlabelled agent is an input error: exit 2, nothing written.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "io/cli_support.h"
#include "radiation/nuclide.h"
#include "radiation/organ_dosimetry.h"

namespace icsim {
namespace {

const std::string kLutetium =
    "name: lu177-dara\n"
    "agent: {base: daratumumab, label: {nuclide: Lu-177, specific_activity: 185 MBq/mg}}\n"
    "patient: {weight: 75 kg}\n"
    "regimen: {dose: 1850 MBq, infusion: 30 min}\n"
    "simulation: {until: 42 d, output_every: 1 d, rtol: 1e-9, atol: 1e-12 nmol}\n";

test::Cli dosimetry_cli(const std::string& name, const std::string& scenario) {
  const std::filesystem::path dir = test::temp_dir("cli-" + name);
  const std::string file = test::write_file(dir / "s.yaml", scenario);
  const std::string cmd = std::string(ICSIM_BINARY) + " dosimetry " + file + " -o " + (dir / "out").string() + " >" +
                          (dir / "stdout").string() + " 2>" + (dir / "stderr").string();
  const int rc = std::system(cmd.c_str());
  return {WEXITSTATUS(rc), test::slurp(dir / "stdout"), test::slurp(dir / "stderr"), dir};
}

TEST(DosimetryCommand, WritesOrganDosesThatAddUp) {
  const test::Cli r = dosimetry_cli("dosimetry-lu", kLutetium);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(test::contains(r.out, "absorbed dose (Lu-177")) << r.out;
  ASSERT_TRUE(std::filesystem::exists(r.dir / "out" / "dose_rate.csv"));
  const nlohmann::json d = nlohmann::json::parse(test::slurp(r.dir / "out" / "dosimetry.json"));
  EXPECT_DOUBLE_EQ(d["administered_MBq"].get<double>(), 1850.0);
  for (const char* organ : {"red_marrow", "liver", "kidneys", "spleen", "total_body"}) {
    ASSERT_TRUE(d["organs"].contains(organ)) << organ;
    EXPECT_GT(d["organs"][organ]["dose_Gy"].get<double>(), 0.0) << organ;
  }
  EXPECT_TRUE(d.contains("cell_nucleus"));
  EXPECT_TRUE(d.contains("method"));

  // BED of a low-LET dose lies between the dose (full repair, G = 0) and the acute
  // value D (1 + D / (alpha/beta)) (G = 1): red marrow alpha/beta 10 Gy, kidney 2.6 Gy.
  for (auto [organ, ab] : {std::pair{"red_marrow", 10.0}, std::pair{"kidneys", 2.6}}) {
    const double dose = d["organs"][organ]["dose_Gy"].get<double>(), bed = d["organs"][organ]["bed_Gy"].get<double>();
    std::printf("[measured] %s: dose %.4g Gy, BED %.4g Gy (acute bound %.4g)\n", organ, dose, bed, dose * (1 + dose / ab));
    EXPECT_GT(bed, dose) << organ;
    EXPECT_LT(bed, dose * (1 + dose / ab)) << organ;
  }

  // Sources add up to complete decay of everything given.
  const nlohmann::json& p = d["per_patient"][0];
  const double lambda_h = radiation::NuclideLibrary::read_default().get("Lu-177").lambda_per_day / 24.0;
  const double tia = p["tia_MBq_h"]["red_marrow"].get<double>() + p["tia_MBq_h"]["remainder"].get<double>();
  std::printf("[measured] 177Lu-daratumumab 1850 MBq: source TIAs add up to %.8g MBq*h against A0/lambda %.8g "
              "(relative %.2e)\n", tia, 1850.0 / lambda_h, std::abs(tia * lambda_h / 1850.0 - 1));
  EXPECT_NEAR(tia, 1850.0 / lambda_h, 1e-6 * 1850.0 / lambda_h);

  // The red marrow's integral recomputed from the time series: the blood method on
  // the plasma activity (ECF 0.19 x 1170 g) plus the label target-bearing cells took
  // in, each to the end and then to complete decay.
  {
    const std::string series = test::slurp(r.dir / "out" / "timeseries.csv");
    const std::string patients = test::slurp(r.dir / "out" / "patients.csv");
    const auto header_of = [](const std::string& text) { return text.substr(0, text.find('\n')); };
    const auto last_line = [](const std::string& text) {
      const std::string t = text.substr(0, text.size() - 1);
      return t.substr(t.rfind('\n') + 1);
    };
    const auto field = [](const std::string& header, const std::string& line, const std::string& column) {
      int k = 0;
      for (size_t at = 0, end; (end = header.find(',', at)), true; at = end + 1, ++k) {
        if (header.substr(at, end == std::string::npos ? std::string::npos : end - at) == column) break;
        if (end == std::string::npos) return std::nan("");
      }
      size_t at = 0;
      for (int i = 0; i < k; ++i) at = line.find(',', at) + 1;
      return std::stod(line.substr(at, line.find(',', at) - at));
    };
    const std::string sh = header_of(series), sl = last_line(series);
    const double v1_mL = 1000.0 * field(header_of(patients), last_line(patients), "disposition.V1");
    const double tail = 1.0 / lambda_h;
    const double marrow = field(sh, sl, "tia_plasma_MBq_h") / v1_mL * 0.19 * 1170.0 +
                          field(sh, sl, "plasma_activity_kBq_per_mL") * 1e-3 * 0.19 * 1170.0 * tail +
                          field(sh, sl, "tia_target_cells_MBq_h") + field(sh, sl, "target_cells_activity_MBq") * tail;
    EXPECT_NEAR(p["tia_MBq_h"]["red_marrow"].get<double>(), marrow, 1e-6 * marrow);
    EXPECT_FALSE(d["method"]["red_marrow_blood_method"].get<bool>() == false);
  }

  // Each organ's dose from the TIAs and the published S-values.
  const radiation::Phantom phantom = radiation::Phantom::read_default();
  const radiation::ChainEnergy energy = radiation::chain_energy(radiation::NuclideLibrary::read_default(), "Lu-177", 200);
  const radiation::OrganDosimetry mird(phantom, energy, "Lu-177", {"red_marrow"});
  const auto& table = phantom.tables.at("Lu-177");
  const double m_tb = phantom.mass("total_body"), m_rm = phantom.mass("red_marrow");
  for (const char* organ : {"liver", "red_marrow"}) {
    const double s_rm = table.at({organ, "red_marrow"});
    const double s_rb = (table.at({organ, "total_body"}) * m_tb - s_rm * m_rm) / (m_tb - m_rm);  // MIRD remainder
    const double expected = 3600.0 * (p["tia_MBq_h"]["red_marrow"].get<double>() * s_rm +
                                      p["tia_MBq_h"]["remainder"].get<double>() * s_rb) / 1000.0;
    EXPECT_NEAR(p["dose_Gy"][organ].get<double>(), expected, 1e-12 * expected) << organ;
  }
}

TEST(DosimetryCommand, ReportsTheNucleusDoseOfEachClone) {
  const std::string scenario =
      "name: ric-disease\n"
      "agent:\n"
      "  base: lu177-dota-daratumumab\n"
      "  target: {model: none}\n"
      "  cellular: {effector: radionuclide, kon: 8.88 /nM/day, koff: 2.64 /day, internalisation: 2.4 /day,"
      " antigen_turnover: 2.4 /day, lysosomal_degradation: 0.72 /day}\n"
      "patient: {weight: 75 kg}\n"
      "disease: {m_protein: 30 g/L, clones: [{name: pos, fraction: 0.9, antigen: 30000 /cell},"
      " {name: neg, fraction: 0.1, antigen: 0 /cell}]}\n"
      "regimen: {dose: 3700 MBq, infusion: 30 min}\n"
      "simulation: {until: 42 d, output_every: 42 d}\n";
  const test::Cli r = dosimetry_cli("dosimetry-disease", scenario);
  ASSERT_EQ(r.status, 0) << r.err;
  const nlohmann::json d = nlohmann::json::parse(test::slurp(r.dir / "out" / "dosimetry.json"));
  ASSERT_TRUE(d["cell_nucleus"].contains("clones")) << d["cell_nucleus"].dump();
  // The same as the time series' last row (8 printed digits).
  const std::string series = test::slurp(r.dir / "out" / "timeseries.csv");
  const std::string header = series.substr(0, series.find('\n'));
  std::string last = series.substr(0, series.size() - 1);
  last = last.substr(last.rfind('\n') + 1);
  auto field = [](const std::string& line, int k) {
    size_t at = 0;
    for (int i = 0; i < k; ++i) at = line.find(',', at) + 1;
    return line.substr(at, line.find(',', at) - at);
  };
  auto index = [&](const std::string& column) {
    const size_t at = header.find(column);
    return static_cast<int>(std::count(header.begin(), header.begin() + static_cast<long>(at), ','));
  };
  // With a disease the red marrow is the tumour's marrow site, not the blood method.
  EXPECT_FALSE(d["method"]["red_marrow_blood_method"].get<bool>());
  for (const char* clone : {"pos", "neg"}) {
    const double reported = d["cell_nucleus"]["clones"][clone]["dose_Gy"].get<double>();
    const double series_value = std::stod(field(last, index(std::string("clone_") + clone + "_nucleus_Gy")));
    EXPECT_GT(reported, 0.0) << clone;
    EXPECT_NEAR(reported, series_value, 1e-7 * series_value) << clone;
  }
}

TEST(DosimetryCommand, AnUnlabelledAgentIsAnInputError) {
  const std::string unlabelled = test::replace(
      test::replace(kLutetium, ", label: {nuclide: Lu-177, specific_activity: 185 MBq/mg}", ""), "1850 MBq", "10 mg");
  const test::Cli r = dosimetry_cli("dosimetry-unlabelled", unlabelled);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(test::contains(r.err, "dosimetry needs a labelled agent")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(r.dir / "out"));
}

}  // namespace
}  // namespace icsim
