#include "events/content.h"

namespace atende {

std::string content_string(const nlohmann::json& j, std::string_view key) {
  if (!j.is_object()) {
    return {};
  }
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>()
                                          : std::string{};
}

std::string content_string(const nlohmann::json& j, std::string_view outer,
                           std::string_view key) {
  if (!j.is_object()) {
    return {};
  }
  auto it = j.find(outer);
  return it != j.end() ? content_string(*it, key) : std::string{};
}

std::optional<reaction_content> reaction_of(const message_received& m) {
  if (m.kind != "reaction" || !m.content.is_object()) {
    return std::nullopt;
  }
  auto r = m.content.find("reaction");
  if (r == m.content.end() || !r->is_object()) {
    return std::nullopt;
  }
  return reaction_content{content_string(*r, "message_id"),
                          content_string(*r, "emoji")};
}

std::optional<std::string> changed_number_of(const message_received& m) {
  auto type = content_string(m.content, "system", "type");
  if (type != "customer_changed_number" && type != "user_changed_number") {
    return std::nullopt;
  }
  auto number = content_string(m.content, "system", "new_wa_id");
  if (number.empty()) {
    return std::nullopt;
  }
  return number;
}

} // namespace atende
