// route_messages: the WhatsApp messaging rules that span entities — the
// 24-hour window of (contact, channel), templates, delivery statuses,
// automation messages and active conversations.
#include "actors/detail/route_ctx.h"

#include "events/phone.h"
#include "events/templates.h"
#include "events/time.h"

namespace atende::detail {

namespace {

result<void> route_template_status(route_ctx& c, const template_status_in& t) {
  auto ch = find_channel(c.s, t.channel);
  if (!ch) {
    return std::unexpected(ch.error());
  }
  for (const auto& [id, tmpl] : c.s.templates) {
    if (tmpl.channel == *ch && tmpl.name == t.name &&
        tmpl.language == t.language) {
      if (tmpl.status != t.status) {
        auto changed = tmpl;
        changed.status = t.status;
        c.p.events.push_back(template_updated{std::move(changed)});
      }
      return {};
    }
  }
  return fail(errc::unknown_reference,
              "no template '" + t.name + "' (" + t.language +
                ") on channel '" + *ch + "'",
              "data.name");
}

result<void> route_message_status(route_ctx& c, const message_status_in& m) {
  auto ch = find_channel(c.s, m.channel);
  if (!ch) {
    return std::unexpected(ch.error());
  }
  // A report that names the message by the provider's id alone finds it
  // through the id the provider gave when it accepted the message.
  auto id = m.message_id;
  if (id.empty() && m.status != "accepted") {
    auto p = c.s.provider_ids.find(m.provider_message_id);
    if (p == c.s.provider_ids.end()) {
      return fail(errc::unknown_reference,
                  "no outbound message with WhatsApp id '" +
                    m.provider_message_id + "' on channel '" + *ch + "'",
                  "data.provider_message_id");
    }
    id = p->second;
  }
  auto it = c.s.outbound.find(id);
  if (it == c.s.outbound.end() ||
      c.s.conversations.at(it->second).channel != *ch) {
    return fail(errc::unknown_reference,
                "no outbound message '" + id + "' on channel '" + *ch + "'",
                "data.message_id");
  }
  c.p.conversation = it->second;
  c.p.step = entity_step{
    entity_kind::conversation, it->second,
    conversation_command{status_cmd{id, m.status, m.error_code, m.error_title,
                                    m.provider_message_id}}};
  return {};
}

/// route_message_media records what became of a customer message's media.
/// The conversation must be the channel's; the message is not looked up
/// here (the tenant keeps no index of inbound messages): the views apply it
/// to the message of that id, and nothing when there is none.
result<void> route_message_media(route_ctx& c, const message_media_in& m) {
  auto ch = find_channel(c.s, m.channel);
  if (!ch) {
    return std::unexpected(ch.error());
  }
  auto it = c.s.conversations.find(m.conversation);
  if (it == c.s.conversations.end() || it->second.channel != *ch) {
    return fail(errc::unknown_reference,
                "no conversation '" + m.conversation + "' on channel '" + *ch +
                  "'",
                "data.conversation");
  }
  c.p.conversation = m.conversation;
  c.p.events.push_back(message_media_changed{
    m.conversation, m.message_id, m.media, m.error_code, m.error_title});
  return {};
}

/// open_for returns the open conversation of (contact, channel), or decides
/// a new one in the channel's default team with `origin`.
std::string open_for(route_ctx& c, const std::string& contact,
                     const std::string& ch, const std::string& team,
                     const char* origin) {
  const auto& s = c.s;
  if (auto it = s.open_conversation.find(conversation_open_key(contact, ch));
      it != s.open_conversation.end()) {
    return it->second;
  }
  auto conv = fresh_id('c', c.next_seq(), s.conversations);
  c.p.events.push_back(conversation_opened{
    conv, contact, ch, team.empty() ? s.channels.at(ch).default_team : team,
    origin});
  return conv;
}

result<void> route_automation_message(route_ctx& c,
                                      const automation_message_in& m) {
  auto ch = find_channel(c.s, m.channel);
  if (!ch) {
    return std::unexpected(ch.error());
  }
  auto contact = contact_by_number(c, m.to, "");
  auto conv = open_for(c, contact, *ch, "", "automation");
  c.p.conversation = conv;
  automation_message_sent ev{conv, "m" + std::to_string(c.next_seq()),
                             m.automation, m.text, c.in.id};
  c.p.step =
    entity_step{entity_kind::conversation, conv,
                conversation_command{automation_message_cmd{std::move(ev)}}};
  return {};
}

/// window_refusal is why free text may not go to (contact, channel) at the
/// input's time, or nothing.
std::optional<error> window_refusal(const route_ctx& c,
                                    const std::string& contact,
                                    const std::string& ch, errc code) {
  if (window_open(c.s, contact, ch, c.in.at)) {
    return std::nullopt;
  }
  auto w = c.s.windows.find(conversation_open_key(contact, ch));
  std::string why = "the contact has not written to this number";
  if (w != c.s.windows.end() && w->second.inbound != 0) {
    why = w->second.closed_by_provider()
            ? "WhatsApp reported the 24-hour window closed"
            : "the 24-hour window closed at " +
                format_time(*w->second.expires_at());
  }
  return make_error(code, why + "; only an approved template may be sent");
}

result<void> route_start(route_ctx& c, const conversation_start& st) {
  const auto& s = c.s;
  if (c.caller().empty()) {
    return fail(errc::forbidden, "only an agent starts conversations");
  }
  auto ch = find_channel(s, st.channel, "channel");
  if (!ch) {
    return std::unexpected(ch.error());
  }
  if (!st.team.empty() && !s.teams.contains(st.team)) {
    return fail(errc::unknown_reference, "no team '" + st.team + "'", "team");
  }
  std::string contact;
  if (!st.contact.empty()) {
    if (!s.contact_phone.contains(st.contact)) {
      return fail(errc::unknown_reference, "no contact '" + st.contact + "'",
                  "contact");
    }
    contact = st.contact;
  }
  send_cmd first{c.caller(), c.admin(), {},          st.text,
                 {},         std::nullopt, std::nullopt, nullptr};
  if (st.tmpl) {
    auto checked = check_template(s, *ch, *st.tmpl);
    if (!checked) {
      return std::unexpected(checked.error());
    }
    first.tmpl = checked->resolved;
    first.text = checked->text;
  }
  if (contact.empty()) {
    contact = contact_by_number(c, st.to, "");
  }
  if (auto open = s.open_conversation.find(conversation_open_key(contact, *ch));
      open != s.open_conversation.end()) {
    auto e = make_error(errc::conversation_open,
                        "conversation '" + open->second +
                          "' is open for this contact on this channel");
    e.conversation = open->second;
    return std::unexpected(e);
  }
  if (!st.tmpl) {
    if (auto refused =
          window_refusal(c, contact, *ch, errc::template_required)) {
      refused->field = "template";
      return std::unexpected(*refused);
    }
  }
  auto conv = open_for(c, contact, *ch, st.team, "active");
  first.message_id = "m" + std::to_string(c.next_seq());
  c.p.conversation = conv;
  c.p.step = entity_step{entity_kind::conversation, conv,
                         conversation_command{start_cmd{std::move(first)}}};
  return {};
}

} // namespace

result<std::string> find_channel(const tenant_state& s, const std::string& ch,
                                 const char* field) {
  if (s.channels.contains(ch)) {
    return ch;
  }
  if (auto it = s.channel_by_pnid.find(ch); it != s.channel_by_pnid.end()) {
    return it->second;
  }
  return fail(errc::unknown_reference, "no channel '" + ch + "'", field);
}

std::string contact_by_number(route_ctx& c, const std::string& phone,
                              const std::string& name) {
  const auto& s = c.s;
  if (auto it = s.contact_by_key.find(phone_key(phone));
      it != s.contact_by_key.end()) {
    return it->second;
  }
  contact k;
  k.id = fresh_id('k', c.next_seq(), s.contact_phone);
  k.name = name.empty() ? phone : name;
  k.phone = phone;
  auto id = k.id;
  c.p.events.push_back(contact_created{std::move(k)});
  return id;
}

result<template_check> check_template(const tenant_state& s,
                                      const std::string& channel,
                                      const template_send& t) {
  // Without a language, the template's only language on the channel (an
  // approved one first when it has several).
  const message_template* found = nullptr;
  for (const auto& [id, x] : s.templates) {
    if (x.channel != channel || x.name != t.name ||
        (!t.language.empty() && x.language != t.language)) {
      continue;
    }
    if (found == nullptr ||
        (found->status != "approved" && x.status == "approved")) {
      found = &x;
    }
  }
  if (found == nullptr) {
    return fail(errc::unknown_reference,
                "no template '" + t.name + "'" +
                  (t.language.empty() ? "" : " (" + t.language + ")") +
                  " on channel '" + channel + "'",
                "template.name");
  }
  if (found->status != "approved") {
    return fail(errc::template_not_approved,
                "template '" + found->name + "' (" + found->language +
                  ") is " + found->status + ", not approved",
                "template.name");
  }
  auto count = placeholder_count(found->body);
  int wanted = count ? *count : 0;
  if (static_cast<int>(t.params.size()) != wanted) {
    return fail(errc::template_params_mismatch,
                "template '" + found->name + "' has " +
                  std::to_string(wanted) + " placeholder(s), got " +
                  std::to_string(t.params.size()) + " param(s)",
                "template.params");
  }
  template_check out;
  out.resolved = t;
  out.resolved.language = found->language;
  out.text = fill_template(found->body, t.params);
  return out;
}

/// send_refusal is what the tenant finds against a send in conversation
/// `cs`: a template that may not be sent, or free text with the window
/// closed. The conversation decides after its own checks (a repeated
/// idempotency key wins over both).
std::optional<error> send_refusal(const route_ctx& c,
                                  const conversation_summary& cs,
                                  send_cmd& cmd) {
  if (cmd.tmpl) {
    auto checked = check_template(c.s, cs.channel, *cmd.tmpl);
    if (!checked) {
      return checked.error();
    }
    cmd.tmpl = checked->resolved;
    cmd.text = checked->text;
    return std::nullopt;
  }
  auto refused = window_refusal(c, cs.contact, cs.channel, errc::window_closed);
  if (refused) {
    // The field the agent wrote: a media's caption or a reaction is free
    // form as a text is.
    refused->field = cmd.content.contains("media")      ? "media"
                     : cmd.content.contains("reaction") ? "reaction"
                                                        : "text";
  }
  return refused;
}

result<void> route_messages(route_ctx& c) {
  if (auto* t = std::get_if<template_status_in>(&c.in.data)) {
    return route_template_status(c, *t);
  }
  if (auto* m = std::get_if<message_status_in>(&c.in.data)) {
    return route_message_status(c, *m);
  }
  if (auto* m = std::get_if<message_media_in>(&c.in.data)) {
    return route_message_media(c, *m);
  }
  if (auto* a = std::get_if<automation_message_in>(&c.in.data)) {
    return route_automation_message(c, *a);
  }
  return route_start(c, std::get<conversation_start>(c.in.data));
}

} // namespace atende::detail
