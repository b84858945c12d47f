// Runs the built icsim binary on a scenario written by the test, for the
// command-line tests under tests/io/.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/wait.h>

#include "support.h"

namespace icsim::test {

struct Cli {
  int status;
  std::string out, err;
  std::filesystem::path dir;  // where the scenario, stdout, stderr and out/ are
};

inline std::string slurp(const std::filesystem::path& p) {
  std::stringstream ss;
  ss << std::ifstream(p).rdbuf();
  return ss.str();
}

// `icsim ARGS` in a fresh directory named after `name`; ARGS are passed to the shell.
inline Cli icsim_cli(const std::string& name, const std::string& args) {
  const std::filesystem::path dir = temp_dir("cli-" + name);
  const std::string cmd = std::string(ICSIM_BINARY) + " " + args + " >" + (dir / "stdout").string() + " 2>" +
                          (dir / "stderr").string();
  const int rc = std::system(cmd.c_str());
  return {WEXITSTATUS(rc), slurp(dir / "stdout"), slurp(dir / "stderr"), dir};
}

// `icsim simulate s.yaml -o out ARGS` with the scenario written to s.yaml.
inline Cli simulate_cli(const std::string& name, const std::string& scenario, const std::string& args = "") {
  const std::filesystem::path dir = temp_dir("cli-" + name);
  const std::string file = write_file(dir / "s.yaml", scenario);
  const std::string cmd = std::string(ICSIM_BINARY) + " simulate " + file + " -o " + (dir / "out").string() + " " +
                          args + " >" + (dir / "stdout").string() + " 2>" + (dir / "stderr").string();
  const int rc = std::system(cmd.c_str());
  return {WEXITSTATUS(rc), slurp(dir / "stdout"), slurp(dir / "stderr"), dir};
}

inline bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace icsim::test
