// live: which types a subscription's patterns choose.
#include <gtest/gtest.h>

#include "events/live.h"

namespace {

using namespace atende;

TEST(LivePatterns, AFamilyMatchesItsTypesAndNoOthers) {
  EXPECT_TRUE(pattern_matches("conversation.*", "conversation.updated"));
  EXPECT_TRUE(pattern_matches("conversation.*", "conversation.removed"));
  EXPECT_FALSE(pattern_matches("conversation.*", "message.created"));
  EXPECT_FALSE(pattern_matches("message.*", "messages.created"));
  EXPECT_TRUE(pattern_matches("*", "agent.updated"));
  EXPECT_TRUE(pattern_matches("message.created", "message.created"));
  EXPECT_FALSE(pattern_matches("message.created", "message.updated"));
}

TEST(LivePatterns, OnlyPatternsThatMatchADeliveredTypeAreValid) {
  for (const char* p : {"*", "conversation.*", "message.*", "agent.*",
                        "conversation.updated", "message.updated"}) {
    EXPECT_TRUE(is_valid_pattern(p)) << p;
  }
  for (const char* p : {"", "counts", "reset", "note.mention", "note.*",
                        "message.received", "conversation", ".*", "x.*"}) {
    EXPECT_FALSE(is_valid_pattern(p)) << p;
  }
}

} // namespace
