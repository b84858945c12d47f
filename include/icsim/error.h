// Errors icsim reports to its users.
#pragma once

#include <stdexcept>
#include <string>

namespace icsim {

// Bad input: a scenario or data file, or a command-line override, that cannot be used.
// Names where the problem is (file, 1-based line, dotted key) and why.
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, int line, std::string key, std::string reason);

  const std::string& file() const { return file_; }
  int line() const { return line_; }  // 0 when unknown (e.g. a --set override)
  const std::string& key() const { return key_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string file_;
  int line_;
  std::string key_;
  std::string reason_;
};

// An integration that could not be completed for one virtual patient.
class SolverError : public std::runtime_error {
 public:
  SolverError(double time_day, std::string reason);
  double time_day() const { return time_day_; }
  const std::string& reason() const { return reason_; }

 private:
  double time_day_;
  std::string reason_;
};

// A run stopped on request (RunOptions::stop, set by icsim on SIGINT or SIGTERM)
// before it finished; nothing was written.
class Interrupted : public std::runtime_error {
 public:
  Interrupted() : std::runtime_error("interrupted before the run finished; nothing was written") {}
};

}  // namespace icsim
