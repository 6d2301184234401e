// media: WhatsApp's media kinds and their limits, one place for the rules
// that the upload (POST /v1/media), the send and the views share.
//
// Meta's "supported media types" for the Cloud API:
//   image     image/jpeg, image/png                         5 MB
//   video     video/mp4, video/3gpp                        16 MB
//   audio     audio/aac, audio/amr, audio/mpeg, audio/mp4,
//             audio/ogg (Opus only: a voice note)          16 MB
//   document  application/pdf, text/plain, Microsoft Office
//             and OpenDocument types                      100 MB
//   sticker   image/webp                                  500 KB (animated;
//                                                          100 KB static)
// (MB here are Meta's: 1024 × 1024 bytes.)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace atende {

/// media_rule: a MIME type WhatsApp takes, its kind and its largest size.
struct media_rule {
  std::string_view mime_type;
  std::string_view kind; // image | video | audio | document | sticker
  std::uint64_t max_bytes = 0;
};

/// bare_mime_type is `content_type` without its parameters, lower case
/// ("audio/ogg; codecs=opus" → "audio/ogg").
[[nodiscard]] std::string bare_mime_type(std::string_view content_type);

/// media_rule_of is the rule of a (bare) MIME type, nullopt for one that
/// WhatsApp does not take.
[[nodiscard]] std::optional<media_rule> media_rule_of(std::string_view mime);

/// media_kind is the message kind of a MIME type: its rule's, else
/// "document".
[[nodiscard]] std::string media_kind(std::string_view mime);

/// is_ogg_opus tells whether `bytes` begin an Ogg stream whose first packet
/// is an Opus header ("OggS" … "OpusHead", RFC 7845): the only audio/ogg
/// WhatsApp plays (and shows as a voice note).
[[nodiscard]] bool is_ogg_opus(std::string_view bytes);

} // namespace atende
