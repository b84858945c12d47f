// The writers' fast %.*g against printf itself, on numbers of every magnitude and on
// the cases that round: ties, runs of nines, powers of ten. Reference: glibc printf;
// tolerance: none, the text must be identical.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include "io/number_format.h"

namespace icsim {
namespace {

std::string printf_g(double v, int precision) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", precision, v);
  return buf;
}

std::string fast_g(double v, int precision) {
  std::string s;
  append_g(s, v, precision);
  return s;
}

TEST(NumberFormat, SameTextAsPrintfOnAMillionNumbers) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> mantissa(-1.0, 1.0);
  std::uniform_int_distribution<int> exponent(-30, 30);
  long checked = 0, mismatches = 0;
  for (int i = 0; i < 1000000; ++i) {
    const double v = mantissa(rng) * std::pow(10.0, exponent(rng));
    for (int precision : {8, 10}) {
      const std::string a = fast_g(v, precision), b = printf_g(v, precision);
      ++checked;
      if (a != b && ++mismatches < 10) ADD_FAILURE() << a << " vs printf " << b << " for " << v;
    }
  }
  // Decimal-looking numbers put many products right at a rounding tie.
  std::uniform_int_distribution<long> integer(1, 2000000000);
  std::uniform_int_distribution<int> shift(-12, 12);
  for (int i = 0; i < 500000; ++i) {
    const double v = static_cast<double>(integer(rng)) * std::pow(10.0, shift(rng));
    for (int precision : {8, 10}) {
      const std::string a = fast_g(v, precision), b = printf_g(v, precision);
      ++checked;
      if (a != b && ++mismatches < 10) ADD_FAILURE() << a << " vs printf " << b << " for " << v;
    }
  }
  std::printf("[measured] %ld numbers, %ld differ from printf\n", checked, mismatches);
  EXPECT_EQ(mismatches, 0);
}

TEST(NumberFormat, RoundingEdges) {
  for (double v : {0.0, -0.0, 1.0, -1.0, 0.1, 1e-5, 1e-4, 9.99999995, 99999999.5, 999999995.0, 123456785.0,
                   1.234567850000001, 0.000123456785, 1e16, 1e17, 1e-300, 5e-324, 1.7976931348623157e308,
                   12345678.0, 123456789.0, 0.5, 2.5, 44.357041, 1e7, 1e8, 9.9999999e7, 99999999.0,
                   std::nextafter(1.5, 2.0), 0.3 + 0.6}) {
    for (int precision : {1, 2, 8, 10, 17}) {
      EXPECT_EQ(fast_g(v, precision), printf_g(v, precision)) << v << " at precision " << precision;
      EXPECT_EQ(fast_g(-v, precision), printf_g(-v, precision)) << -v << " at precision " << precision;
    }
  }
  EXPECT_EQ(fast_g(INFINITY, 8), "inf");
}

}  // namespace
}  // namespace icsim
