// atende: the command-line entry point. Each command lives in its own file
// (serve.cc, replay.cc, devbroker.cc, loadgen.cc) and answers --help.
#include <cstdio>
#include <cstring>
#include <string>

#include "tools/commands.h"

namespace {

void usage(std::FILE* out) {
  std::fprintf(out,
               "usage: atende COMMAND [OPTIONS]\n\n"
               "commands:\n"
               "  serve      run the engine (embedded log by default)\n"
               "  replay     audit: rebuild state from the journal\n"
               "  devbroker  a local Kafka-protocol broker for development\n"
               "  loadgen    drive a running engine and print throughput\n\n"
               "'atende COMMAND --help' describes a command.\n");
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  std::string cmd = argv[1];
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    usage(stdout);
    return 0;
  }
  if (cmd == "serve") {
    return atende::tools::serve_main(argc - 1, argv + 1);
  }
  if (cmd == "replay") {
    return atende::tools::replay_main(argc - 1, argv + 1);
  }
  if (cmd == "devbroker") {
    return atende::tools::devbroker_main(argc - 1, argv + 1);
  }
  if (cmd == "loadgen") {
    return atende::tools::loadgen_main(argc - 1, argv + 1);
  }
  std::fprintf(stderr, "atende: unknown command '%s'\n", cmd.c_str());
  usage(stderr);
  return 2;
}
