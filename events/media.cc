#include "events/media.h"

#include <array>
#include <cctype>

namespace atende {

namespace {

constexpr std::uint64_t mib = 1024 * 1024;

constexpr std::array<media_rule, 20> rules = {{
  {"image/jpeg", "image", 5 * mib},
  {"image/png", "image", 5 * mib},
  {"video/mp4", "video", 16 * mib},
  {"video/3gpp", "video", 16 * mib},
  {"audio/aac", "audio", 16 * mib},
  {"audio/amr", "audio", 16 * mib},
  {"audio/mpeg", "audio", 16 * mib},
  {"audio/mp4", "audio", 16 * mib},
  {"audio/ogg", "audio", 16 * mib},
  {"application/pdf", "document", 100 * mib},
  {"text/plain", "document", 100 * mib},
  {"application/msword", "document", 100 * mib},
  {"application/vnd.ms-excel", "document", 100 * mib},
  {"application/vnd.ms-powerpoint", "document", 100 * mib},
  {"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
   "document", 100 * mib},
  {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
   "document", 100 * mib},
  {"application/vnd.openxmlformats-officedocument.presentationml."
   "presentation",
   "document", 100 * mib},
  {"application/vnd.oasis.opendocument.text", "document", 100 * mib},
  {"application/vnd.oasis.opendocument.spreadsheet", "document", 100 * mib},
  {"image/webp", "sticker", 500 * 1024},
}};

} // namespace

std::string bare_mime_type(std::string_view content_type) {
  auto semi = content_type.find(';');
  auto t = content_type.substr(0, semi);
  while (!t.empty() && t.back() == ' ') {
    t.remove_suffix(1);
  }
  while (!t.empty() && t.front() == ' ') {
    t.remove_prefix(1);
  }
  std::string out{t};
  for (auto& ch : out) {
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  return out;
}

std::optional<media_rule> media_rule_of(std::string_view mime) {
  for (const auto& r : rules) {
    if (r.mime_type == mime) {
      return r;
    }
  }
  return std::nullopt;
}

std::string media_kind(std::string_view mime) {
  auto r = media_rule_of(bare_mime_type(mime));
  return r ? std::string{r->kind} : std::string{"document"};
}

bool is_ogg_opus(std::string_view bytes) {
  // An Ogg page: "OggS", version 0, header type, granule (8), serial (4),
  // sequence (4), CRC (4), segment count n, n lacing values, then the
  // packet; the first packet of an Opus stream is "OpusHead".
  constexpr std::size_t fixed = 27;
  if (bytes.size() < fixed || bytes.substr(0, 4) != "OggS" || bytes[4] != 0) {
    return false;
  }
  const auto segments = static_cast<unsigned char>(bytes[26]);
  const auto body = fixed + segments;
  return bytes.size() >= body + 8 && bytes.substr(body, 8) == "OpusHead";
}

} // namespace atende
