// outcome: what became of one input once its commit cycle is durable.
#pragma once

#include <string>
#include <vector>

#include "events/errc.h"
#include "events/event.h"

namespace atende {

struct outcome {
  enum class status { accepted, duplicate, rejected };
  status st = status::accepted;
  error err;                 // set when rejected
  std::vector<event> events; // the events a command produced, when accepted
                             // (none for connector envelopes: their callers
                             // need only `conversation` and `message`)
  std::string conversation;  // conversation the input landed in, if any
  std::string message;       // message the input produced (or, for a retried
                             // send with the same idempotency key, matched)
};

} // namespace atende
