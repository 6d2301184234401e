// commands: the entry points of the atende executable.
#pragma once

namespace atende::tools {

int serve_main(int argc, char** argv);
int replay_main(int argc, char** argv);
int devbroker_main(int argc, char** argv);
int loadgen_main(int argc, char** argv);

} // namespace atende::tools
