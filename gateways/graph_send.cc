#include "gateways/graph_send.h"

#include <algorithm>
#include <array>
#include <utility>

namespace atende {

namespace {

using json = nlohmann::json;

result<std::string> need(const json& data, const char* key) {
  auto it = data.find(key);
  if (it == data.end() || !it->is_string() ||
      it->get_ref<const std::string&>().empty()) {
    return fail(errc::malformed, "is required", std::string{"data."} + key);
  }
  return it->get<std::string>();
}

json template_of(const json& t) {
  json out = {{"name", t.value("name", "")},
              {"language", {{"code", t.value("language", "")}}}};
  auto params = t.find("params");
  if (params != t.end() && params->is_array() && !params->empty()) {
    json list = json::array();
    for (const auto& p : *params) {
      list.push_back({{"type", "text"}, {"text", p}});
    }
    out["components"] =
      json::array({{{"type", "body"}, {"parameters", std::move(list)}}});
  }
  return out;
}

// The codes worth retrying: Meta is busy, limiting the number's throughput
// or down for a moment.
constexpr std::array<std::string_view, 6> retried = {
  "130429", "131000", "131016", "2", "4", "80007"};

struct meaning {
  std::string_view code, title;
};

constexpr std::array<meaning, 16> meanings = {{
  {"131047", "the 24-hour window is closed: only an approved template may "
             "be sent"},
  {"131026", "undeliverable: the number is not on WhatsApp, or its app "
             "cannot receive this message"},
  {"131051", "WhatsApp does not support this message type"},
  {"132000", "the template got a different number of parameters than it "
             "has placeholders"},
  {"132012", "a template parameter is not in the format the template "
             "expects"},
  {"131056", "too many messages to this customer in a short time; send "
             "again later"},
  {"130429", "the number's message throughput was exceeded"},
  {"131048", "the number is limited for spam; check its quality rating"},
  {"131049", "WhatsApp chose not to deliver this marketing message, to "
             "keep the customer's experience"},
  {"131050", "the customer stopped marketing messages from this business"},
  {"131031", "the WhatsApp Business Account is locked or restricted"},
  {"132001", "the template does not exist in this language, or is not "
             "approved"},
  {"133010", "the number is not registered with the Cloud API"},
  {"190", "the channel's access token is invalid or expired: set a new one"},
  {"10", "the access token lacks permission for this number"},
  {"100", "Meta refused a parameter of the request"},
}};

} // namespace

std::string meta_code(const json& c) {
  if (c.is_number_integer()) {
    return std::to_string(c.get<long long>());
  }
  if (c.is_string()) {
    return c.get<std::string>();
  }
  return {};
}

result<json> graph_message(const json& data) {
  auto to = need(data, "to");
  if (!to) {
    return std::unexpected(to.error());
  }
  json out = {{"messaging_product", "whatsapp"},
              {"recipient_type", "individual"},
              {"to", *to}};
  if (auto t = data.find("template"); t != data.end() && t->is_object()) {
    out["type"] = "template";
    out["template"] = template_of(*t);
  } else if (auto r = data.find("reaction");
             r != data.end() && r->is_object()) {
    out["type"] = "reaction";
    // Meta names the message by its wamid.
    auto target = r->value("provider_message_id", "");
    out["reaction"] = {
      {"message_id", target.empty() ? r->value("message_id", "") : target},
      {"emoji", r->value("emoji", "")}};
  } else if (auto m = data.find("media"); m != data.end() && m->is_object()) {
    auto kind = need(*m, "kind");
    auto id = need(*m, "id");
    if (!kind || !id) {
      return fail(errc::malformed, "is required",
                  !kind ? "data.media.kind" : "data.media.id");
    }
    json media = {{"id", *id}};
    if (auto c = m->value("caption", ""); !c.empty() && *kind != "audio" &&
                                          *kind != "sticker") {
      media["caption"] = c;
    }
    if (auto f = m->value("filename", ""); !f.empty() && *kind == "document") {
      media["filename"] = f;
    }
    out["type"] = *kind;
    out[*kind] = std::move(media);
  } else {
    auto text = need(data, "text");
    if (!text) {
      return std::unexpected(text.error());
    }
    out["type"] = "text";
    out["text"] = {{"preview_url", false}, {"body", *text}};
  }
  if (auto q = data.value("reply_to_provider_id", ""); !q.empty()) {
    out["context"] = {{"message_id", q}};
  }
  return out;
}

std::string_view failure_meaning(std::string_view code) {
  for (const auto& m : meanings) {
    if (m.code == code) {
      return m.title;
    }
  }
  return {};
}

send_answer classify_answer(long http_status, std::string_view body) {
  send_answer a;
  auto j = json::parse(body, nullptr, false);
  if (http_status >= 200 && http_status < 300) {
    if (j.is_object()) {
      auto msgs = j.find("messages");
      if (msgs != j.end() && msgs->is_array() && !msgs->empty() &&
          (*msgs)[0].is_object()) {
        auto id = (*msgs)[0].value("id", "");
        if (!id.empty()) {
          a.k = send_answer::kind::accepted;
          a.wamid = std::move(id);
          return a;
        }
      }
    }
    // Accepted but unreadable: Meta has the message and atende cannot name
    // it; retrying would send it twice.
    a.k = send_answer::kind::failed;
    a.code = "unreadable_answer";
    a.title = "Meta answered " + std::to_string(http_status) +
              " without a message id; the message may have been sent";
    return a;
  }
  std::string meta_title;
  if (j.is_object()) {
    if (auto e = j.find("error"); e != j.end() && e->is_object()) {
      a.code = meta_code(e->value("code", json{}));
      meta_title = e->value("message", "");
      if (auto d = e->find("error_data");
          d != e->end() && d->is_object() && d->contains("details") &&
          (*d)["details"].is_string() && meta_title.empty()) {
        meta_title = (*d)["details"].get<std::string>();
      }
    }
  }
  if (a.code.empty()) {
    a.code = "http_" + std::to_string(http_status);
  }
  auto mine = failure_meaning(a.code);
  a.title = mine.empty() ? meta_title : std::string{mine};
  if (a.title.empty()) {
    a.title = "Meta answered HTTP " + std::to_string(http_status);
  }
  // A code atende knows as final is final even when Meta answers it with
  // 429 (131056, the pair rate limit, is the customer's, not the number's).
  const bool known_final = !mine.empty() && a.code != "130429";
  bool retry = std::find(retried.begin(), retried.end(), a.code) !=
                 retried.end() ||
               (!known_final && (http_status == 429 || http_status >= 500));
  a.k = retry ? send_answer::kind::retry : send_answer::kind::failed;
  return a;
}

send_answer classify_transport(bool timed_out, std::string_view what) {
  send_answer a;
  a.k = send_answer::kind::retry;
  a.code = timed_out ? "timeout" : "transport";
  a.title = timed_out ? "Meta did not answer in time: " + std::string{what}
                      : "could not reach Meta: " + std::string{what};
  a.timed_out = timed_out;
  return a;
}

std::uint64_t retry_delay_ms(std::uint32_t attempt, std::uint64_t base_ms,
                             std::uint64_t cap) {
  std::uint64_t d = base_ms;
  for (std::uint32_t i = 1; i < attempt && d < cap; ++i) {
    d *= 2;
  }
  return std::min(d, cap);
}

} // namespace atende
