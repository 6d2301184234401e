// flags: a small command-line parser for the tools: `--name value`,
// `--name=value` and boolean `--name`. Errors name the flag.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "events/errc.h"

namespace atende::tools {

struct flags {
  std::map<std::string, std::string> values;
  std::set<std::string> switches;

  bool has(const std::string& name) const {
    return values.contains(name) || switches.contains(name);
  }
  std::string get(const std::string& name, std::string def = {}) const {
    auto it = values.find(name);
    return it == values.end() ? def : it->second;
  }
};

/// parse_flags reads argv[1..]; `with_value` lists the flags taking a value,
/// `switches` the boolean ones. Anything else is an error naming it.
[[nodiscard]] result<flags> parse_flags(int argc, char** argv,
                                        const std::set<std::string>& with_value,
                                        const std::set<std::string>& switches);

} // namespace atende::tools
