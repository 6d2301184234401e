// Media (CONTRACT "WhatsApp Cloud API", media): an agent's upload, checked
// against WhatsApp's limits for its kind (events/media.h), and the bytes of
// a media to whoever may see a conversation that holds it.
#include "events/media.h"
#include "events/time.h"
#include "gateways/api.h"
#include "gateways/media_store.h"

namespace atende {

namespace {

result<const media_store*> store_of(const call& c) {
  if (c.api->options.media == nullptr) {
    return fail(errc::unsupported, "media are not stored by this server");
  }
  return c.api->options.media;
}

/// check_filename: a name to show and to send a document with, without a
/// path.
result<std::string> filename_of(const call& c) {
  auto name = query_param(c, "filename");
  if (name.size() > 240 || name.find('/') != std::string::npos ||
      name.find('\\') != std::string::npos ||
      name.find('\0') != std::string::npos) {
    return fail(errc::invalid_value,
                "must be a file name of at most 240 bytes, without a path",
                "filename");
  }
  return name;
}

/// check_upload applies WhatsApp's rules for `mime`: a type it takes, at
/// most its kind's size, and Opus in an audio/ogg (a voice note).
result<media_rule> check_upload(const std::string& mime,
                                std::string_view bytes) {
  auto rule = media_rule_of(mime);
  if (!rule) {
    return fail(errc::unsupported_media,
                "WhatsApp does not take " +
                  (mime.empty() ? std::string{"a file without a type"}
                                : "'" + mime + "'") +
                  "; see docs/whatsapp.md for the types of each kind",
                "Content-Type");
  }
  if (bytes.empty()) {
    return fail(errc::malformed, "the file is empty", "body");
  }
  if (bytes.size() > rule->max_bytes) {
    const bool vowel = rule->kind == "image" || rule->kind == "audio";
    return fail(errc::too_large,
                std::string{vowel ? "an " : "a "} + std::string{rule->kind} +
                  " (" + mime + ") may have at most " +
                  std::to_string(rule->max_bytes) + " bytes; this one has " +
                  std::to_string(bytes.size()),
                "body");
  }
  if (mime == "audio/ogg" && !is_ogg_opus(bytes)) {
    return fail(errc::unsupported_media,
                "an audio/ogg must hold Opus (a voice note); this one does "
                "not",
                "body");
  }
  return *rule;
}

/// upload: POST /v1/media?filename= with the file as the body.
void upload(const call& c) {
  auto media = store_of(c);
  if (!media) {
    return c.reply_error(media.error());
  }
  auto filename = filename_of(c);
  if (!filename) {
    return c.reply_error(filename.error());
  }
  const auto mime = bare_mime_type(c.request().content_type);
  const auto& bytes = c.request().body;
  auto rule = check_upload(mime, bytes);
  if (!rule) {
    return c.reply_error(rule.error());
  }
  auto id = (*media)->put(bytes);
  if (!id) {
    return c.reply_error(id.error());
  }
  nlohmann::json meta = {{"mime_type", mime},
                         {"size", bytes.size()},
                         {"sha256", *id},
                         {"at", format_time(now_ms())}};
  if (!filename->empty()) {
    meta["filename"] = *filename;
  }
  if (!c.who.agent.empty()) {
    meta["by"] = c.who.agent;
  }
  if (auto r = (*media)->index(c.who.tenant, *id, meta); !r) {
    return c.reply_error(r.error());
  }
  nlohmann::json out = {{"id", *id},
                        {"kind", rule->kind},
                        {"mime_type", mime},
                        {"size", bytes.size()},
                        {"sha256", *id}};
  if (!filename->empty()) {
    out["filename"] = *filename;
  }
  c.reply(201, out);
}

/// download: GET /v1/media/{id}, to an admin, to the agent who uploaded it,
/// or to whoever may see a conversation that holds it; to anyone else it
/// does not exist.
void download(const call& c) {
  auto media = store_of(c);
  if (!media) {
    return c.reply_error(media.error());
  }
  const auto& id = c.param(0);
  auto meta = (*media)->meta(c.who.tenant, id);
  if (!meta) {
    return c.reply_error(meta.error());
  }
  const auto missing = make_error(errc::not_found, "no media " + id);
  if (!*meta) {
    return c.reply_error(missing);
  }
  const auto& m = **meta;
  const bool mine = !c.who.agent.empty() && m.value("by", "") == c.who.agent;
  if (!c.who.admin && !mine && !c.api->view.sees_media(c.who, id)) {
    return c.reply_error(missing);
  }
  auto bytes = (*media)->read(id);
  if (!bytes) {
    return c.reply_error(bytes.error());
  }
  http_response r;
  r.content_type = m.value("mime_type", "application/octet-stream");
  // The same id is the same bytes: a browser may keep them.
  r.cache_control = "private, max-age=31536000, immutable";
  r.body = std::move(*bytes);
  c.ex->reply(std::move(r));
}

} // namespace

result<void> fill_send_media(const call& c, nlohmann::json& body) {
  auto m = body.find("media");
  if (m == body.end() || !m->is_object()) {
    return {}; // decoding names what is wrong
  }
  auto id = m->value("id", "");
  auto media = store_of(c);
  if (!media) {
    return std::unexpected(media.error());
  }
  auto meta = (*media)->meta(c.who.tenant, id);
  if (!meta) {
    return std::unexpected(meta.error());
  }
  if (!*meta) {
    return fail(errc::unknown_reference,
                "no media '" + id + "': upload it with POST /v1/media first",
                "media.id");
  }
  const auto& x = **meta;
  (*m)["mime_type"] = x.value("mime_type", "");
  (*m)["size"] = x.value("size", std::uint64_t{0});
  (*m)["sha256"] = x.value("sha256", id);
  if (!m->contains("filename") && x.contains("filename")) {
    (*m)["filename"] = x["filename"];
  }
  return {};
}

std::vector<route> media_routes() {
  return {
    {"POST", "/v1/media", access::agent, &upload},
    {"GET", "/v1/media/{id}", access::agent, &download},
  };
}

} // namespace atende
