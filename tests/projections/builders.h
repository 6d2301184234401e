// builders: domain events by hand for the projections tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "events/event.h"
#include "projections/views.h"

// Tests spell queries with designated initializers and leave the other
// members at their defaults on purpose; GCC 12 warns about exactly that.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace atende::testing {

/// t0 is 2026-11-21T13:00:00.000Z; tests count time in seconds from it.
inline constexpr timestamp t0 = 1795266000000;

inline timestamp at_s(int seconds) { return t0 + seconds * 1000LL; }

/// history appends events of one tenant with consecutive seqs.
class history {
public:
  explicit history(std::string tenant) : tenant_(std::move(tenant)) {}

  history& add(event_data d, timestamp at = t0, std::string actor = "root") {
    events_.push_back({.seq = ++seq_,
                       .tenant = tenant_,
                       .at = at,
                       .actor = std::move(actor),
                       .data = std::move(d)});
    return *this;
  }

  history& tenant(const std::string& admin, const std::string& hash) {
    atende::agent a{.id = admin, .name = admin, .role = agent_role::admin, .teams = {},
            .max_concurrent = {}, .token_hash = hash};
    return add(tenant_created{
      .tenant = {.id = tenant_, .name = tenant_, .timezone = "UTC"},
      .admin = a});
  }

  history& team(const std::string& id) {
    return add(team_created{.value = {.id = id, .name = id}});
  }

  history& team(const std::string& id, const std::string& distribution,
                bool update = false) {
    atende::team x{.id = id, .name = id,
                   .distribution =
                     from_name<team_distribution>(distribution).value()};
    if (update) {
      return add(team_updated{.value = std::move(x)});
    }
    return add(team_created{.value = std::move(x)});
  }

  history& pause_type(const std::string& id, int max_minutes) {
    return add(pause_type_created{.value = {.id = id, .name = id,
                                            .max_minutes = max_minutes,
                                            .allowed_from = {}}});
  }

  history& portfolio(const std::string& id, const std::string& responsible,
                     std::vector<std::string> members = {},
                     bool update = false) {
    atende::portfolio p{.id = id, .name = id, .code = id + "-code",
                        .hours = nullptr, .responsible = responsible,
                        .members = std::move(members)};
    if (update) {
      return add(portfolio_updated{.value = std::move(p)});
    }
    return add(portfolio_created{.value = std::move(p)});
  }

  history& portfolio_contacts(const std::string& portfolio,
                              std::vector<std::string> added,
                              std::vector<std::string> removed = {}) {
    return add(portfolio_contacts_changed{.portfolio = portfolio,
                                          .added = std::move(added),
                                          .removed = std::move(removed)});
  }

  history& delete_portfolio(const std::string& portfolio) {
    return add(portfolio_deleted{.portfolio = portfolio});
  }

  history& route(const std::string& conv, const std::string& team,
                 const std::string& portfolio, timestamp at) {
    return add(conversation_routed{.conversation = conv, .team = team,
                                   .portfolio = portfolio},
               at, "connector");
  }

  history& hold(const std::string& conv, const std::string& portfolio,
                bool held, timestamp at) {
    return add(conversation_held{.conversation = conv, .portfolio = portfolio,
                                 .held = held},
               at, "rule:hours");
  }

  history& status(const std::string& agent, const std::string& status,
                  timestamp at) {
    return add(agent_status_changed{.agent = agent, .status = status}, at,
               "agent:" + agent);
  }

  history& pause(const std::string& agent, const std::string& type,
                 timestamp at) {
    return add(agent_pause_started{.agent = agent, .pause_type = type}, at,
               "agent:" + agent);
  }

  history& resume(const std::string& agent, const std::string& type,
                  int minutes, bool overdue, timestamp at) {
    return add(agent_pause_ended{.agent = agent, .pause_type = type,
                                 .minutes = minutes, .overdue = overdue},
               at, "agent:" + agent);
  }

  history& reason(const std::string& id) {
    return add(reason_created{.value = {.id = id, .name = id}});
  }

  history& channel(const std::string& id, const std::string& team) {
    return add(channel_created{.value = {.id = id, .kind = channel_kind::whatsapp,
                                         .name = id, .phone = "5511999990000",
                                         .phone_number_id = {},
                                         .default_team = team}});
  }

  history& agent(const std::string& id, std::vector<std::string> teams,
                 const std::string& hash = {}, const std::string& role =
                                                 "agent") {
    return add(agent_created{.value = atende::agent{.id = id, .name = id, .role = from_name<agent_role>(role).value(),
                                       .teams = std::move(teams),
                                       .max_concurrent = {},
                                       .token_hash = hash}});
  }

  history& contact(const std::string& id, const std::string& name,
                   const std::string& phone, std::vector<std::string> tags = {},
                   const std::string& stage = {}, bool update = false) {
    atende::contact c{.id = id, .name = name, .phone = phone,
                      .tags = std::move(tags), .stage = stage,
                      .departments = {}, .portfolios = {}};
    if (update) {
      return add(contact_updated{.value = std::move(c)});
    }
    return add(contact_created{.value = std::move(c)});
  }

  history& open(const std::string& conv, const std::string& contact,
                const std::string& channel, const std::string& team,
                timestamp at) {
    return add(conversation_opened{.conversation = conv, .contact = contact,
                                   .channel = channel, .team = team,
                                   .origin = "inbound"},
               at, "connector");
  }

  history& receive(const std::string& conv, const std::string& msg,
                   const std::string& text, timestamp at) {
    return add(message_received{.conversation = conv, .message_id = msg,
                                .provider_id = "wamid." + msg, .kind = "text",
                                .text = text, .media_url = {}, .input = msg,
                                .content = {}},
               at, "connector");
  }

  /// receive_content is a customer's message of `kind` with the envelope's
  /// content (media, reply_to, reaction, …), provider id "wamid." + msg.
  history& receive_content(const std::string& conv, const std::string& msg,
                           const std::string& kind, const std::string& text,
                           nlohmann::json content, timestamp at) {
    return add(message_received{.conversation = conv, .message_id = msg,
                                .provider_id = "wamid." + msg, .kind = kind,
                                .text = text, .media_url = {}, .input = msg,
                                .content = std::move(content)},
               at, "connector");
  }

  /// reaction: the customer reacts with `emoji` to the message whose
  /// provider id is "wamid." + `target`, in message `msg`.
  history& reaction(const std::string& conv, const std::string& msg,
                    const std::string& target, const std::string& emoji,
                    timestamp at) {
    return receive_content(
      conv, msg, "reaction", "",
      {{"reaction", {{"message_id", "wamid." + target}, {"emoji", emoji}}}},
      at);
  }

  history& send(const std::string& conv, const std::string& msg,
                const std::string& agent, const std::string& text,
                timestamp at) {
    return add(message_sent{.conversation = conv, .message_id = msg,
                            .agent = agent, .kind = "text", .text = text,
                            .idempotency_key = {}},
               at, "agent:" + agent);
  }

  history& send_template(const std::string& conv, const std::string& msg,
                         const std::string& agent, const std::string& name,
                         const std::string& language,
                         std::vector<std::string> params,
                         const std::string& text, timestamp at) {
    return add(message_sent{.conversation = conv, .message_id = msg,
                            .agent = agent, .kind = "template", .text = text,
                            .idempotency_key = {}, .template_name = name,
                            .language = language,
                            .params = std::move(params)},
               at, "agent:" + agent);
  }

  /// delivery is a connector's status for outbound message `msg`.
  history& delivery(const std::string& conv, const std::string& msg,
                    const std::string& status, timestamp at,
                    const std::string& error_code = {},
                    const std::string& error_title = {}) {
    return add(message_status_changed{.conversation = conv,
                                      .message_id = msg, .status = status,
                                      .error_code = error_code,
                                      .error_title = error_title},
               at, "connector");
  }

  history& automation_message(const std::string& conv, const std::string& msg,
                              const std::string& automation,
                              const std::string& text, timestamp at) {
    return add(automation_message_sent{.conversation = conv,
                                       .message_id = msg,
                                       .automation = automation,
                                       .text = text, .input = msg},
               at, "connector");
  }

  history& message_template(const std::string& id, const std::string& channel,
                            const std::string& name,
                            const std::string& language,
                            const std::string& body,
                            const std::string& status, bool update = false) {
    atende::message_template x{.id = id, .channel = channel, .name = name,
                               .language = language, .body = body,
                               .status = status};
    if (update) {
      return add(template_updated{.value = std::move(x)});
    }
    return add(template_created{.value = std::move(x)});
  }

  history& assign(const std::string& conv, const std::string& agent,
                  timestamp at) {
    return add(conversation_assigned{.conversation = conv, .agent = agent,
                                     .previous = {}, .rule = "take",
                                     .eligible = {}},
               at, "agent:" + agent);
  }

  history& transfer(const std::string& conv, const std::string& to_team,
                    const std::string& to_agent, timestamp at) {
    return add(conversation_transferred{.conversation = conv, .from_team = {},
                                        .to_team = to_team, .from_agent = {},
                                        .to_agent = to_agent},
               at);
  }

  history& finish(const std::string& conv, const std::string& reason,
                  const std::string& description, timestamp at) {
    return add(conversation_finished{.conversation = conv, .reason = reason,
                                     .description = description},
               at);
  }

  /// seq is the seq of the last event added.
  [[nodiscard]] std::uint64_t seq() const { return seq_; }

  /// take returns the events added so far and forgets them.
  std::vector<event> take() { return std::exchange(events_, {}); }

private:
  std::string tenant_;
  std::uint64_t seq_ = 0;
  std::vector<event> events_;
};

inline principal admin_of(const std::string& tenant, const std::string& id) {
  return {.tenant = tenant, .agent = id, .admin = true, .root = false};
}

inline principal agent_of(const std::string& tenant, const std::string& id) {
  return {.tenant = tenant, .agent = id, .admin = false, .root = false};
}

/// numbered is `prefix` followed by `n`: `"k" + std::to_string(n)` trips a
/// false -Wrestrict of GCC 12 at -O3.
inline std::string numbered(std::string prefix, long long n) {
  prefix += std::to_string(n);
  return prefix;
}

/// ids lists the ids of a page's items.
inline std::vector<std::string> ids(const page& p) {
  std::vector<std::string> out;
  for (const auto& item : p.items) {
    out.push_back(item.at("id").get<std::string>());
  }
  return out;
}

} // namespace atende::testing
