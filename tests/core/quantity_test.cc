#include "core/quantity.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace icsim {
namespace {

double to(const std::string& text, const std::string& unit, double mw = 0.0) {
  return convert(parse_quantity(text), parse_unit(unit), mw);
}

TEST(Quantity, ConvertsTimeVolumeAndRates) {
  EXPECT_DOUBLE_EQ(to("30 min", "day"), 30.0 / 1440.0);
  EXPECT_DOUBLE_EQ(to("0.0051 L/h", "L/day"), 0.0051 * 24);
  EXPECT_DOUBLE_EQ(to("0.092 /h", "1/day"), 0.092 * 24);
  EXPECT_DOUBLE_EQ(to("4 g/dL", "g/L"), 40.0);
  EXPECT_DOUBLE_EQ(to("2 weeks", "day"), 14.0);
  EXPECT_NEAR(to("1.8 m2", "m2"), 1.8, 1e-15);
  EXPECT_NEAR(to("27 kg/m^2", "kg/m2"), 27.0, 1e-12);
  EXPECT_NEAR(to("0.37 /nM/h", "1/nM/day"), 8.88, 1e-12);
  EXPECT_NEAR(to("26.1 %", "1"), 0.261, 1e-15);
}

TEST(Quantity, ConvertsMassToAmountWithMolecularWeight) {
  // 1 mg/L of a 150 kDa antibody is 1e-3 g/L / 150000 g/mol = 6.667 nM.
  EXPECT_NEAR(to("1 mg/L", "nM", 150000), 1e6 / 150000, 1e-12);
  // Synthesis in drug-equivalent mass: 0.178 mg/L/h -> nM/day.
  EXPECT_NEAR(to("0.178 mg/L/h", "nM/day", 148000), 0.178 * 24 * 1e6 / 148000, 1e-9);
  // A second-order constant per mass concentration: L/mg/day -> 1/nM/day.
  EXPECT_NEAR(to("1 L/mg/day", "1/nM/day", 150000), 150000 * 1e-6, 1e-12);
  EXPECT_NEAR(to("152 kDa", "Da"), 152000, 1e-9);
}

TEST(Quantity, RejectsWhatCannotBeConverted) {
  EXPECT_THROW(to("1 mg/L", "nM"), std::invalid_argument);  // no molecular weight
  EXPECT_THROW(to("5 L", "L/day"), std::invalid_argument);
  EXPECT_THROW(parse_quantity("2.5 mg/kgg"), std::invalid_argument);
  EXPECT_THROW(parse_quantity("mg"), std::invalid_argument);
  EXPECT_THROW(parse_quantity(""), std::invalid_argument);
  EXPECT_FALSE(parse_quantity("0.926").has_unit);
}

TEST(Quantity, SpacesAroundOperatorsBelongToThem) {
  // Issue 9, item 11: "L / day" was rejected although a space alone multiplies.
  EXPECT_DOUBLE_EQ(to("0.926 L / day", "L/day"), 0.926);
  EXPECT_DOUBLE_EQ(to("0.926 L /day", "L/day"), 0.926);
  EXPECT_DOUBLE_EQ(to("0.926 L/ day", "L/day"), 0.926);
  EXPECT_DOUBLE_EQ(to("0.092 / h", "1/day"), 0.092 * 24);
  EXPECT_NEAR(to("2 mg / L / h", "mg/L/day"), 48.0, 1e-12);  // each '/' divides only the factor after it
  EXPECT_NEAR(to("1 mg * h / L", "mg*day/L"), 1.0 / 24, 1e-15);
  EXPECT_NEAR(to("1 mg · h", "mg*day"), 1.0 / 24, 1e-15);
  EXPECT_NEAR(to("1 mg h", "mg*day"), 1.0 / 24, 1e-15);  // a space alone still multiplies
  for (const char* bad : {"2 L //day", "2 L / / day", "2 L /", "2 L * ", "2 L * / day"})
    EXPECT_THROW(parse_quantity(bad), std::invalid_argument) << bad;
}

TEST(Quantity, DescribesDimensions) {
  EXPECT_EQ(describe(parse_unit("L/day").dim), "volume/time");
  EXPECT_EQ(describe(parse_unit("mg/L").dim), "mass/volume");
}

}  // namespace
}  // namespace icsim
