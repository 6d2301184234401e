#include "events/event.h"

#include <array>
#include <limits>
#include <utility>

#include <nlohmann/json.hpp>

#include "events/detail/event_decode.h"
#include "events/json.h"

namespace atende {

namespace {

using json = nlohmann::json;

// Wire names, in the order of event_data's alternatives.
constexpr std::array<std::string_view, std::variant_size_v<event_data>>
    type_names{
        "tenant.created",        "channel.created",
        "channel.updated",       "team.created",
        "team.updated",          "agent.created",
        "agent.updated",         "reason.created",
        "reason.updated",        "contact.created",
        "contact.updated",       "conversation.opened",
        "message.received",      "message.sent",
        "conversation.assigned", "conversation.transferred",
        "conversation.finished", "pause_type.created",
        "pause_type.updated",    "portfolio.created",
        "portfolio.updated",     "portfolio.deleted",
        "portfolio.contacts_changed", "agent.status_changed",
        "agent.pause_started",   "agent.pause_ended",
        "conversation.routed",   "conversation.held",
        "automation.requested",  "template.created",
        "template.updated",      "message.status_changed",
        "automation.message_sent", "agent.session_started",
        "agent.session_ended",   "message.media_changed",
        "subscription.created",  "subscription.updated",
        "subscription.deleted",  "subscription.rewound",
        "subscription.delivered", "note.added",
    };

// ---- data: rendering --------------------------------------------------------

json render_data(const tenant_created& d) {
  return json{{"tenant", d.tenant}, {"admin", d.admin}};
}

template <class T, int Tag>
json render_data(const saved<T, Tag>& d) {
  return d.value;
}

template <class T>
json render_data(const T& d) {
  return detail::render(d);
}

} // namespace

std::string event::id() const {
  return tenant + ':' + std::to_string(seq);
}

std::string_view type_name(const event_data& d) {
  return type_names[d.index()];
}

std::optional<std::size_t> event_type_index(std::string_view type) {
  for (std::size_t i = 0; i < type_names.size(); ++i) {
    if (type_names[i] == type) {
      return i;
    }
  }
  return std::nullopt;
}

const std::string& conversation_of(const event_data& d) {
  static const std::string none;
  return std::visit(
      [](const auto& x) -> const std::string& {
        if constexpr (requires { x.conversation; }) {
          return x.conversation;
        } else {
          return none;
        }
      },
      d);
}

nlohmann::json to_json(const event& e) {
  json j;
  j["seq"] = e.seq;
  j["id"] = e.id();
  j["tenant"] = e.tenant;
  j["at"] = format_time(e.at);
  j["type"] = type_name(e.data);
  j["actor"] = e.actor;
  j["data"] = std::visit([](const auto& d) { return render_data(d); }, e.data);
  return j;
}

result<event> event_from_json(const nlohmann::json& j) {
  return detail::read_event(detail::nl_view{j});
}

} // namespace atende
