#include "icsim/error.h"

#include <fmt/format.h>

namespace icsim {

namespace {
// The user's bytes as they may appear in a message: control bytes (an escape
// sequence would act on the terminal, a NUL would cut the message short) and bytes
// that are not UTF-8 are written as \xHH; valid UTF-8 ("µg") is kept, and so are
// the line breaks of a reason.
std::string printable(const std::string& s, bool keep_lines = false) {
  std::string out;
  out.reserve(s.size());
  const auto* b = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  for (size_t i = 0; i < n;) {
    const unsigned char c = b[i];
    size_t len = 0;  // length of a valid UTF-8 sequence starting at i, 0 if none
    if (c >= 0x20 && c < 0x7f) len = 1;
    else if (keep_lines && (c == '\n' || c == '\t')) len = 1;
    else if (c >= 0xc2 && c <= 0xdf) len = 2;
    else if (c >= 0xe0 && c <= 0xef) len = 3;
    else if (c >= 0xf0 && c <= 0xf4) len = 4;
    if (len > 1) {
      if (i + len > n) len = 0;
      for (size_t k = 1; k < len; ++k)
        if ((b[i + k] & 0xc0) != 0x80) len = 0;
      // Overlong forms and surrogates are not UTF-8 either.
      if (len == 3 && ((c == 0xe0 && b[i + 1] < 0xa0) || (c == 0xed && b[i + 1] >= 0xa0))) len = 0;
      if (len == 4 && ((c == 0xf0 && b[i + 1] < 0x90) || (c == 0xf4 && b[i + 1] >= 0x90))) len = 0;
    }
    if (len == 0) {
      out += fmt::format("\\x{:02x}", c);
      ++i;
    } else {
      out.append(s, i, len);
      i += len;
    }
  }
  return out;
}

std::string input_message(const std::string& file, int line, const std::string& key,
                          const std::string& reason) {
  std::string where = line > 0 ? fmt::format("{}:{}", printable(file), line) : printable(file);
  if (key.empty()) return fmt::format("{}: {}", where, printable(reason, true));
  return fmt::format("{}: {}: {}", where, printable(key), printable(reason, true));
}
}  // namespace

InputError::InputError(std::string file, int line, std::string key, std::string reason)
    : std::runtime_error(input_message(file, line, key, reason)),
      file_(std::move(file)),
      line_(line),
      key_(std::move(key)),
      reason_(std::move(reason)) {}

SolverError::SolverError(double time_day, std::string reason)
    : std::runtime_error(fmt::format("integration failed at t = {:.6g} day: {}", time_day, reason)),
      time_day_(time_day),
      reason_(std::move(reason)) {}

}  // namespace icsim
