// Internal to the tenant core: the state of one `route` call, shared by the
// files that implement it.
#pragma once

#include <optional>
#include <string>

#include "actors/tenant.h"

namespace atende::detail {

/// route_ctx: the state, the input and the events decided so far.
struct route_ctx {
  const tenant_state& s;
  const input& in;
  plan p;

  /// next_seq is the sequence number the next decided event will get.
  std::uint64_t next_seq() const { return s.next_seq + p.events.size(); }
  std::string caller() const { return agent_of(in.actor); }
  bool admin() const { return is_admin(s, in.actor); }
};

/// route_conversation decides the conversation commands (assign, send,
/// transfer, finish, automation).
[[nodiscard]] result<void> route_conversation(route_ctx& c);

/// route_messages decides the WhatsApp messaging inputs: message and
/// template statuses, automation messages and active conversations.
[[nodiscard]] result<void> route_messages(route_ctx& c);

/// fresh_id: `<prefix><seq>`, unless `used` (a map keyed by id) holds it.
template <class Map>
std::string fresh_id(char prefix, std::uint64_t seq, const Map& used) {
  auto id = std::string(1, prefix) + std::to_string(seq);
  while (used.contains(id)) {
    id += 'x';
  }
  return id;
}

/// find_channel resolves a channel id or Meta's phone_number_id.
[[nodiscard]] result<std::string> find_channel(const tenant_state& s,
                                               const std::string& ch,
                                               const char* field =
                                                 "data.channel");

/// contact_by_number returns the contact of `phone` (either form of a
/// Brazilian mobile), deciding a new one (named `name`, else the number)
/// when there is none.
[[nodiscard]] std::string contact_by_number(route_ctx& c,
                                            const std::string& phone,
                                            const std::string& name);

/// template_check: the template a send names, resolved: its language and
/// its body filled with the params.
struct template_check {
  template_send resolved;
  std::string text;
};

/// check_template finds the template `t` names on `channel` and checks that
/// it may be sent: it exists (unknown_reference), is approved
/// (template_not_approved) and `params` fill its placeholders exactly
/// (template_params_mismatch).
[[nodiscard]] result<template_check>
check_template(const tenant_state& s, const std::string& channel,
               const template_send& t);

/// send_refusal checks a send in conversation `cs` (its template, or the
/// window for free text), filling in the template's language and text; the
/// error goes into the command for the conversation to apply.
[[nodiscard]] std::optional<error> send_refusal(const route_ctx& c,
                                                const conversation_summary& cs,
                                                send_cmd& cmd);

} // namespace atende::detail
