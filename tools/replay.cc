// replay: the audit tool (CONTRACT section 1).
#include <cstdio>
#include <cstring>

#include "tools/commands.h"

namespace atende::tools {

int replay_main(int argc, char** argv) {
  const char* help =
    "usage: atende replay --data DIR [--tenant T] [--until TIME]\n"
    "                     [--conversation ID] [--verify] [--json]\n\n"
    "Rebuilds state from the journal into scratch space (the live data is\n"
    "opened read-only). Not available in this build yet.\n";
  if (argc > 1 && std::strcmp(argv[1], "--help") == 0) {
    std::printf("%s", help);
    return 0;
  }
  std::fprintf(stderr, "atende replay: not available in this build yet\n");
  return 2;
}

} // namespace atende::tools
