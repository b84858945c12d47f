#include "io/number_format.h"

#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>

namespace icsim {

namespace {

// 10^k, exact as doubles for k <= 22.
constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

void append_exact(std::string& out, double v, int precision) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, precision);
  out.append(buf, r.ptr);
}

// The `precision` significant digits of a > 0 and its decimal exponent, from one
// exact power of ten and one correctly rounded product; false when the product
// lies too close to a rounding tie to decide (the caller then converts exactly).
bool significant_digits(double a, int precision, std::uint64_t* digits, int* exp10) {
  int e2 = 0;
  std::frexp(a, &e2);
  int e = static_cast<int>(std::floor((e2 - 1) * 0.30102999566398120));
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int k = precision - 1 - e;
    if (k > 22 || k < -22) return false;
    const double m = k >= 0 ? a * kPow10[k] : a / kPow10[-k];  // one rounding: error <= ulp(m)/2
    if (m < kPow10[precision - 1]) {
      --e;
      continue;
    }
    if (m >= kPow10[precision]) {
      ++e;
      continue;
    }
    const double floor_m = std::floor(m);
    const double frac = m - floor_m;
    if (std::abs(frac - 0.5) <= 8.0 * m * DBL_EPSILON) return false;
    std::uint64_t r = static_cast<std::uint64_t>(floor_m) + (frac > 0.5 ? 1 : 0);
    if (r == static_cast<std::uint64_t>(kPow10[precision])) {  // 9.99.. rounded up to 10.0..
      r /= 10;
      ++e;
    }
    *digits = r;
    *exp10 = e;
    return true;
  }
  return false;
}

}  // namespace

void append_g(std::string& out, double v, int precision) {
  std::uint64_t value = 0;
  int exp10 = 0;
  // Zero, subnormals, non-finite numbers and more than 15 digits go the exact way.
  if (!std::isfinite(v) || v == 0.0 || precision > 15 || std::abs(v) < DBL_MIN ||
      !significant_digits(std::abs(v), precision, &value, &exp10)) {
    append_exact(out, v, precision);
    return;
  }
  char digits[24];
  for (int i = precision - 1; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  int n = precision;
  while (n > 1 && digits[n - 1] == '0') --n;  // %g drops trailing zeros
  if (v < 0) out += '-';
  if (exp10 < -4 || exp10 >= precision) {
    out += digits[0];
    if (n > 1) {
      out += '.';
      out.append(digits + 1, n - 1);
    }
    out += 'e';
    out += exp10 < 0 ? '-' : '+';
    const int a = std::abs(exp10);
    if (a < 10) out += '0';
    char eb[8];
    const auto er = std::to_chars(eb, eb + sizeof eb, a);
    out.append(eb, er.ptr);
  } else if (exp10 < 0) {
    out += "0.";
    out.append(static_cast<size_t>(-exp10 - 1), '0');
    out.append(digits, n);
  } else {
    const int int_digits = exp10 + 1;
    if (n <= int_digits) {
      out.append(digits, n);
      out.append(static_cast<size_t>(int_digits - n), '0');
    } else {
      out.append(digits, int_digits);
      out += '.';
      out.append(digits + int_digits, n - int_digits);
    }
  }
}

}  // namespace icsim
