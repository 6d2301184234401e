// WhatsApp's media kinds and limits (events/media.h), and the decoding of
// what a send holds besides text: a media, a reaction, the quoted message.
#include <gtest/gtest.h>

#include "events/input.h"
#include "events/media.h"

namespace atende {
namespace {

using nlohmann::json;

TEST(Media, EachTypeWhatsappTakesHasItsKindAndLimit) {
  EXPECT_EQ(media_rule_of("image/jpeg")->kind, "image");
  EXPECT_EQ(media_rule_of("image/jpeg")->max_bytes, 5u << 20);
  EXPECT_EQ(media_rule_of("audio/ogg")->max_bytes, 16u << 20);
  EXPECT_EQ(media_rule_of("application/pdf")->max_bytes, 100u << 20);
  EXPECT_EQ(media_rule_of("image/webp")->kind, "sticker");
  EXPECT_FALSE(media_rule_of("image/gif"));
  EXPECT_EQ(media_kind("audio/ogg; codecs=opus"), "audio");
  EXPECT_EQ(media_kind("application/zip"), "document");
}

TEST(Media, AContentTypeIsReadWithoutItsParameters) {
  EXPECT_EQ(bare_mime_type("Audio/OGG; codecs=opus"), "audio/ogg");
  EXPECT_EQ(bare_mime_type(" image/png "), "image/png");
  EXPECT_EQ(bare_mime_type(""), "");
}

TEST(Media, OnlyAnOggStreamOfOpusIsAVoiceNote) {
  std::string page = std::string{"OggS"} + '\0' + '\x02' + std::string(20, '\0') +
                     '\x01' + '\x13' + "OpusHead" + std::string(11, '\x01');
  EXPECT_TRUE(is_ogg_opus(page));
  auto vorbis = page;
  vorbis.replace(29, 8, "\x01vorbis\0", 8);
  EXPECT_FALSE(is_ogg_opus(vorbis));
  EXPECT_FALSE(is_ogg_opus("OggS"));
  EXPECT_FALSE(is_ogg_opus(""));
  EXPECT_FALSE(is_ogg_opus("ID3\x04 an mp3"));
}

json send(json data) {
  data["conversation"] = "cv";
  return {{"id", "in-1"},     {"tenant", "acme"},
          {"at", "2026-12-01T10:00:00.000Z"},
          {"type", "conversation.send"},
          {"actor", "agent:ana"}, {"data", std::move(data)}};
}

TEST(InputDecode, ASendTakesAMediaWithItsCaption) {
  const std::string id(64, 'a');
  auto in = decode_input(send({{"media",
                                {{"id", id},
                                 {"mime_type", "image/png"},
                                 {"size", 10},
                                 {"caption", "olha"}}},
                               {"reply_to", "m1"}}),
                         input_scope::any);
  ASSERT_TRUE(in) << in.error().message;
  const auto& c = std::get<conversation_send>(in->data);
  EXPECT_EQ(c.content["media"]["caption"], "olha");
  EXPECT_EQ(c.content["reply_to"], "m1");
  EXPECT_TRUE(c.text.empty());
  auto back = decode_input(encode_input(*in), input_scope::any);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, *in);
}

TEST(InputDecode, ASendNamesWhatIsWrongWithItsMediaOrReaction) {
  auto field = [](json data) {
    auto in = decode_input(send(std::move(data)), input_scope::any);
    return in ? std::string{"ok"} : in.error().field;
  };
  EXPECT_EQ(field({{"media", {{"mime_type", "image/png"}}}}), "data.media.id");
  EXPECT_EQ(field({{"media", {{"id", "x"}}}}), "data.media.mime_type");
  EXPECT_EQ(field({{"media", {{"id", "x"}, {"mime_type", "image/png"}}},
                   {"text", "oi"}}),
            "data.text");
  EXPECT_EQ(field({{"media",
                    {{"id", "x"},
                     {"mime_type", "image/png"},
                     {"caption", std::string(1025, 'a')}}}}),
            "data.media.caption");
  EXPECT_EQ(field({{"reaction", {{"emoji", "👍"}}}}),
            "data.reaction.message_id");
  EXPECT_EQ(field({{"reaction", {{"message_id", "m1"}, {"emoji", "👍"}}},
                   {"reply_to", "m1"}}),
            "data.reply_to");
  EXPECT_EQ(field({{"reaction", {{"message_id", "m1"}, {"emoji", ""}}}}), "ok");
}

TEST(InputDecode, AMessageMediaEnvelopeHoldsTheMediaOrTheError) {
  json in = {{"id", "media:m1:stored"},
             {"tenant", "acme"},
             {"at", "2026-12-01T10:00:00.000Z"},
             {"type", "message.media"},
             {"actor", "rule:media"},
             {"data",
              {{"channel", "wa"},
               {"conversation", "cv"},
               {"message_id", "m1"},
               {"media",
                {{"id", std::string(64, 'b')},
                 {"mime_type", "audio/ogg"},
                 {"size", 3}}}}}};
  auto ok = decode_input(in, input_scope::envelopes);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_TRUE(ok->is_envelope());
  in["data"]["error"] = {{"code", "190"}};
  auto both = decode_input(in, input_scope::envelopes);
  ASSERT_FALSE(both);
  EXPECT_EQ(both.error().field, "data.media");
  in["data"].erase("media");
  auto err = decode_input(in, input_scope::envelopes);
  ASSERT_TRUE(err) << err.error().message;
  EXPECT_EQ(std::get<message_media_in>(err->data).error_code, "190");
}

} // namespace
} // namespace atende
