// devbroker: a local Kafka-protocol broker for development (CONTRACT
// section 1).
#include <cstdio>
#include <cstring>

#include "tools/commands.h"

namespace atende::tools {

int devbroker_main(int argc, char** argv) {
  const char* help =
    "usage: atende devbroker [--brokers N] [--partitions P]\n\n"
    "A local Kafka-protocol broker (librdkafka's mock cluster), in memory.\n"
    "Not available in this build yet.\n";
  if (argc > 1 && std::strcmp(argv[1], "--help") == 0) {
    std::printf("%s", help);
    return 0;
  }
  std::fprintf(stderr, "atende devbroker: not available in this build yet\n");
  return 2;
}

} // namespace atende::tools
