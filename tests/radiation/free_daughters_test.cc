// Free daughters released by recoil (src/radiation/free_daughters.cc):
//  - which members of a chain are followed, from the data file;
//  - energy conservation: per decay of the label, what decays in place plus what the
//    released daughters carry equals the chain's alpha + beta + electron energy per
//    decay (computed independently, from the Bateman propagator at complete decay),
//    whatever the released fraction (0 = retained), to 1e-9;
//  - Bateman: fed by a constant parent activity with kidney uptake off, free 213Bi
//    (through 221Fr) follows the two-member ingrowth from a constant source and
//    reaches the released fraction times the parent's activity (secular equilibrium);
//  - with uptake to the kidney on, free 212Bi in blood and kidney follow the analytic
//    two-compartment solution;
//  - end to end: released daughters' decays equal the label decays that released them;
//    `icsim dosimetry` of 225Ac-DOTA-daratumumab with daughters released and retained
//    (kidney dose factor printed);
//  - hostile input: an unknown `daughters` value and released daughters for a
//    nuclide with none to follow exit 2 naming file, line and key.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "io/cli_support.h"
#include "radiation/free_daughters.h"
#include "radiation/organ_dosimetry.h"

namespace icsim::radiation {
namespace {

const NuclideLibrary& library() { return NuclideLibrary::shared(); }

std::string name_of(const FreeChain& fc, size_t k) {
  return DecayChain(library(), fc.parent).member(fc.followed[k]).name;
}

TEST(FreeDaughters, FollowsTheMembersThatCanMove) {
  const FreeDaughterData& data = FreeDaughterData::shared();
  const FreeChain ac = free_chain(library(), data, "Ac-225");
  ASSERT_EQ(ac.followed.size(), 2u);
  EXPECT_EQ(name_of(ac, 0), "Fr-221");
  EXPECT_EQ(name_of(ac, 1), "Bi-213");
  EXPECT_DOUBLE_EQ(ac.release_fraction, 1.0);
  EXPECT_NEAR(ac.from_parent[0], 1.0, 1e-15);       // 225Ac -> 221Fr
  EXPECT_NEAR(ac.from_member[0][1], 0.99988, 1e-12);  // 221Fr -> 217At (32 ms) -> 213Bi
  const FreeChain pb = free_chain(library(), data, "Pb-212");
  ASSERT_EQ(pb.followed.size(), 1u);
  EXPECT_EQ(name_of(pb, 0), "Bi-212");
  EXPECT_DOUBLE_EQ(pb.release_fraction, 0.36);
  for (const char* none : {"Lu-177", "I-131", "Y-90", "At-211", "Bi-213"})
    EXPECT_TRUE(free_chain(library(), data, none).empty()) << none;
  std::printf("[measured] 225Ac: %.4f MeV per decay in place when released, of %.4f; 213Bi group %.4f MeV per 213Bi "
              "decay\n", ac.in_place_MeV(), ac.chain_MeV(), ac.per_decay_MeV(1));
}

TEST(FreeDaughters, EnergyIsConservedWhateverTheOption) {
  for (const char* nuclide : {"Ac-225", "Pb-212"}) {
    const FreeChain base = free_chain(library(), FreeDaughterData::shared(), nuclide);
    const double chain = chain_energy(library(), nuclide, 1e4).nonpenetrating_MeV();  // complete decay
    for (double f : {0.0, base.release_fraction, 1.0}) {
      FreeChain fc = base;
      fc.release_fraction = f;
      double deposited = fc.in_place_MeV();
      for (size_t k = 0; k < fc.followed.size(); ++k) deposited += f * fc.decays[k] * fc.per_decay_MeV(k);
      std::printf("[measured] %s, released fraction %.2f: %.10f MeV deposited per decay, chain %.10f (relative %.1e)\n",
                  nuclide, f, deposited, chain, std::abs(deposited / chain - 1.0));
      EXPECT_NEAR(deposited, chain, 1e-9 * chain) << nuclide << " f=" << f;
    }
  }
}

// Classical fourth-order Runge-Kutta on the kinetics with a constant feed.
std::vector<double> integrate(const FreeDaughterKinetics& kin, double release_per_day, double t_day, double h) {
  std::vector<double> y(static_cast<size_t>(kin.size()), 0.0);
  const size_t n = y.size();
  auto f = [&](const std::vector<double>& at) {
    std::vector<double> dy(n, 0.0);
    kin.rhs(release_per_day, at.data(), dy.data());
    return dy;
  };
  const long steps = std::lround(t_day / h);
  for (long s = 0; s < steps; ++s) {
    const std::vector<double> k1 = f(y);
    std::vector<double> y2(n), y3(n), y4(n);
    for (size_t i = 0; i < n; ++i) y2[i] = y[i] + 0.5 * h * k1[i];
    const std::vector<double> k2 = f(y2);
    for (size_t i = 0; i < n; ++i) y3[i] = y[i] + 0.5 * h * k2[i];
    const std::vector<double> k3 = f(y3);
    for (size_t i = 0; i < n; ++i) y4[i] = y[i] + h * k3[i];
    const std::vector<double> k4 = f(y4);
    for (size_t i = 0; i < n; ++i) y[i] += h / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  }
  return y;
}

ElementModel one_compartment(const std::string& element) {
  ElementModel m;
  m.element = element;
  m.compartments = {"blood"};
  m.region = {Region::kBlood};
  return m;
}

TEST(FreeDaughters, BatemanIngrowthWithUptakeOff) {
  FreeDaughterData data;
  data.release_fraction = {{"Ac-225", 0.8}};
  data.elements = {{"Fr", one_compartment("Fr")}, {"Bi", one_compartment("Bi")}};
  const FreeDaughterKinetics kin(library(), free_chain(library(), data, "Ac-225"));
  const double l1 = kin.lambda_per_day(0), l2 = kin.lambda_per_day(1);  // 221Fr, 213Bi
  const double parent = 1000.0;  // label decays per day, constant
  const double y = kin.chain().from_member[0][1];
  for (double t : {0.02, 0.1, 3.0}) {
    const std::vector<double> n = integrate(kin, parent, t, 1e-5);
    const double bi = l2 * n[static_cast<size_t>(kin.offset(1))];
    // Two-member ingrowth from a constant source: A2 = S (1 - (l1 e^-l2 t - l2 e^-l1 t) / (l1 - l2)).
    const double expected = 0.8 * parent * y * (1.0 - (l1 * std::exp(-l2 * t) - l2 * std::exp(-l1 * t)) / (l1 - l2));
    std::printf("[measured] free 213Bi at %.2f d: %.10g decays/day, Bateman %.10g (relative %.1e)\n", t, bi, expected,
                std::abs(bi / expected - 1.0));
    EXPECT_NEAR(bi, expected, 1e-8 * expected) << t;
  }
  // Secular equilibrium: the released fraction times the parent's activity.
  const std::vector<double> n = integrate(kin, parent, 3.0, 1e-5);
  EXPECT_NEAR(l2 * n[static_cast<size_t>(kin.offset(1))], 0.8 * parent * y, 1e-8 * parent);
}

TEST(FreeDaughters, KidneyUptakeFollowsTheTwoCompartmentSolution) {
  ElementModel bi;
  bi.element = "Bi";
  bi.compartments = {"plasma", "kidney"};
  bi.region = {Region::kBlood, Region::kKidneys};
  const double k = 30.0;  // per day, blood to kidney, no return
  bi.transfers = {{0, 1, k}};
  FreeDaughterData data;
  data.release_fraction = {{"Pb-212", 0.36}};
  data.elements = {{"Bi", bi}};
  const FreeDaughterKinetics kin(library(), free_chain(library(), data, "Pb-212"));
  const double l = kin.lambda_per_day(0), parent = 500.0, r = 0.36 * parent;
  for (double t : {0.01, 0.1, 1.0}) {
    const std::vector<double> n = integrate(kin, parent, t, 1e-5);
    // dB/dt = R - (l + k) B, dK/dt = k B - l K from B = K = 0.
    const double b = r / (l + k) * (1.0 - std::exp(-(l + k) * t));
    const double kid =
        k * r / (l + k) * ((1.0 - std::exp(-l * t)) / l - std::exp(-l * t) * (1.0 - std::exp(-k * t)) / k);
    std::printf("[measured] free 212Bi at %.2f d: blood %.10g (analytic %.10g), kidney %.10g (analytic %.10g)\n", t,
                n[0], b, n[1], kid);
    EXPECT_NEAR(n[0], b, 1e-8 * b) << t;
    EXPECT_NEAR(n[1], kid, 1e-8 * kid) << t;
  }
}

// --- end to end ---------------------------------------------------------------------

std::filesystem::path source_dir() { return std::filesystem::path(ICSIM_TEST_DATA_DIR).parent_path().parent_path(); }

test::Cli dosimetry(const std::string& name, const std::string& scenario, const std::string& args) {
  const std::string out = (test::temp_dir("cli-" + name + "-out") / "out").string();
  return test::icsim_cli(name, "dosimetry " + scenario + " -o " + out + " " + args);
}

const std::string kAc225 =
    "name: ac225\n"
    "agent: {base: ac225-dota-daratumumab}\n"
    "patient: {weight: 75 kg}\n"
    "regimen: {dose: 74 kBq/kg, infusion: 30 min}\n"
    "simulation: {until: 60 d, output_every: 1 d, rtol: 1e-9, atol: 1e-16 nmol}\n";

TEST(FreeDaughters, ReleasedDaughtersDecayAsOftenAsTheyAreReleased) {
  const test::Cli r = test::simulate_cli("free-ac225", kAc225);
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string series = test::slurp(r.dir / "out" / "timeseries.csv");
  const std::string header = series.substr(0, series.find('\n'));
  std::string last = series.substr(0, series.size() - 1);
  last = last.substr(last.rfind('\n') + 1);
  auto field = [&](const std::string& column) {
    size_t at = 0, k = 0;
    for (size_t pos = 0, end; pos != std::string::npos; pos = end == std::string::npos ? end : end + 1, ++k) {
      end = header.find(',', pos);
      if (header.substr(pos, end == std::string::npos ? std::string::npos : end - pos) == column) break;
    }
    for (size_t i = 0; i < k; ++i) at = last.find(',', at) + 1;
    return std::stod(last.substr(at, last.find(',', at) - at));
  };
  // Decays of free 213Bi (its TIA over its mean life) against the label decays on
  // antibody outside cells times the 213Bi formed per decay, both with the tail.
  const FreeChain fc = free_chain(library(), FreeDaughterData::shared(), "Ac-225");
  const double lambda_ac = library().get("Ac-225").lambda_per_day / 24.0;  // per hour
  const double released = field("tia_release_sites_MBq_h") + field("release_sites_MBq") / lambda_ac;
  double bi = 0.0;
  for (const char* region : {"blood", "kidneys", "liver", "elsewhere"})
    bi += field(std::string("tia_free_bi213_") + region + "_MBq_h") +
          field(std::string("free_bi213_") + region + "_MBq") / lambda_ac;
  const double expected = released * fc.release_fraction * fc.from_parent[0] * fc.from_member[0][1];
  std::printf("[measured] 225Ac-daratumumab: free 213Bi %.8g MBq*h against %.8g released (relative %.2e)\n", bi,
              expected, std::abs(bi / expected - 1.0));
  EXPECT_NEAR(bi, expected, 1e-4 * expected);  // the daughters lag the label by about an hour in 60 days
}

TEST(FreeDaughters, KidneyDoseOfActiniumDaratumumabRises) {
  const std::string scenario = (source_dir() / "scenarios" / "ac225-daratumumab-dosimetry.yaml").string();
  const test::Cli released = dosimetry("free-dosimetry-released", scenario, "");
  const test::Cli retained = dosimetry("free-dosimetry-retained", scenario,
                                       "--set agent.base=ac225-dota-daratumumab --set agent.label.daughters=retained");
  ASSERT_EQ(released.status, 0) << released.err;
  ASSERT_EQ(retained.status, 0) << retained.err;
  auto read = [](const std::string& name) {
    return nlohmann::json::parse(test::slurp(test::temp_dir_path("cli-" + name + "-out") / "out" / "dosimetry.json"));
  };
  const nlohmann::json a = read("free-dosimetry-released"), b = read("free-dosimetry-retained");
  EXPECT_EQ(a["method"]["free_daughters"]["option"], "released");
  EXPECT_EQ(b["method"]["free_daughters"]["option"], "retained");
  const double kid_a = a["organs"]["kidneys"]["dose_mGy_per_MBq"].get<double>(),
               kid_b = b["organs"]["kidneys"]["dose_mGy_per_MBq"].get<double>();
  std::printf("[measured] 225Ac-DOTA-daratumumab kidneys: %.4g mGy/MBq with daughters released, %.4g retained "
              "(factor %.3f); free 213Bi in the kidneys %.4g MBq*h\n",
              kid_a, kid_b, kid_a / kid_b,
              a["method"]["free_daughters"]["members"]["Bi-213"]["tia_MBq_h"]["kidneys"].get<double>());
  EXPECT_GT(kid_a, kid_b);
  // The body's energy is conserved: the sources' integrals, as label-decay
  // equivalents, add up to the same total whatever the option.
  auto total = [](const nlohmann::json& d) {
    double t = 0.0;
    for (const auto& [source, v] : d["per_patient"][0]["tia_MBq_h"].items()) t += v.get<double>();
    return t;
  };
  std::printf("[measured] sources' integrals: %.10g released, %.10g retained\n", total(a), total(b));
  EXPECT_NEAR(total(a), total(b), 2e-4 * total(b));
}

TEST(FreeDaughters, BadDaughtersOptionIsAnInputError) {
  const std::string unknown =
      "name: bad\n"
      "agent: {base: ac225-dota-daratumumab, label: {daughters: sometimes}}\n"
      "patient: {weight: 75 kg}\n"
      "regimen: {dose: 74 kBq/kg}\n"
      "simulation: {until: 1 d}\n";
  const test::Cli r = test::simulate_cli("free-bad-value", unknown);
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(test::contains(r.err, "s.yaml:2")) << r.err;
  EXPECT_TRUE(test::contains(r.err, "label.daughters")) << r.err;
  EXPECT_TRUE(test::contains(r.err, "must be retained or released")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(r.dir / "out"));

  const std::string lutetium =
      "name: bad\n"
      "agent:\n"
      "  base: lu177-dota-daratumumab\n"
      "  label: {daughters: released}\n"
      "patient: {weight: 75 kg}\n"
      "regimen: {dose: 1850 MBq}\n"
      "simulation: {until: 1 d}\n";
  const test::Cli l = test::simulate_cli("free-bad-nuclide", lutetium);
  EXPECT_EQ(l.status, 2);
  EXPECT_TRUE(test::contains(l.err, "s.yaml:4")) << l.err;
  EXPECT_TRUE(test::contains(l.err, "label.daughters")) << l.err;
  EXPECT_TRUE(test::contains(l.err, "'Lu-177' has no daughter")) << l.err;
  EXPECT_FALSE(std::filesystem::exists(l.dir / "out"));
}

}  // namespace
}  // namespace icsim::radiation
