#include "tools/flags.h"

namespace atende::tools {

result<flags> parse_flags(int argc, char** argv,
                          const std::set<std::string>& with_value,
                          const std::set<std::string>& switches) {
  flags f;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (!a.starts_with("--")) {
      return fail(errc::malformed, "unexpected argument '" + a + "'", a);
    }
    std::string name = a.substr(2);
    std::string value;
    bool inline_value = false;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      inline_value = true;
    }
    if (switches.contains(name) && !inline_value) {
      f.switches.insert(name);
    } else if (with_value.contains(name)) {
      if (!inline_value) {
        if (i + 1 >= argc) {
          return fail(errc::malformed, "needs a value", "--" + name);
        }
        value = argv[++i];
      }
      f.values[name] = value;
    } else {
      return fail(errc::malformed, "unknown flag", "--" + name);
    }
  }
  return f;
}

} // namespace atende::tools
