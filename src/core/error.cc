#include "icsim/error.h"

#include <fmt/format.h>

namespace icsim {

namespace {
std::string input_message(const std::string& file, int line, const std::string& key,
                          const std::string& reason) {
  std::string where = line > 0 ? fmt::format("{}:{}", file, line) : file;
  if (key.empty()) return fmt::format("{}: {}", where, reason);
  return fmt::format("{}: {}: {}", where, key, reason);
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
