// timeline_summary: the one-sentence English summary of a timeline item
// (timeline.h). A sentence names ids as the events hold them, so that it
// reads alone, without the item's data: the offline tool prints only it.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "events/content.h"
#include "gateways/timeline.h"

namespace atende {

namespace {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

/// max_quoted is how many bytes of a message's text a summary quotes.
constexpr std::size_t max_quoted = 60;

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) {
    out += out.empty() ? "" : ", ";
    out += s;
  }
  return out;
}

/// some lists up to five ids, then how many more.
std::string some(const std::vector<std::string>& v) {
  constexpr std::size_t shown = 5;
  if (v.size() <= shown) {
    return join(v);
  }
  std::vector<std::string> head(v.begin(), v.begin() + shown);
  return join(head) + " and " + std::to_string(v.size() - shown) + " more";
}

/// in_quotes is `text` in quotes, cut at a character boundary when long.
std::string in_quotes(std::string_view text) {
  if (text.size() <= max_quoted) {
    return "\"" + std::string{text} + "\"";
  }
  auto cut = max_quoted;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut; // a UTF-8 continuation byte: back to the character's start
  }
  return "\"" + std::string{text.substr(0, cut)} + "…\"";
}

/// by names an event's actor: an agent by id, else the actor as written
/// (`connector`, `root`, `rule:<name>`).
std::string by(const std::string& actor) {
  constexpr std::string_view agent = "agent:";
  if (actor.starts_with(agent)) {
    return actor.substr(agent.size());
  }
  return actor;
}

std::string owners_of(const portfolio& p) {
  std::string out = p.responsible + " (responsible)";
  for (const auto& m : p.members) {
    out += ", " + m;
  }
  return out;
}

std::string assigned(const conversation_assigned& a, const std::string& actor) {
  if (a.rule == "take") {
    return "taken by " + a.agent;
  }
  std::string out = a.previous.empty()
                        ? "assigned to " + a.agent
                        : "reassigned from " + a.previous + " to " + a.agent;
  if (a.rule == "admin") {
    return out + " by admin " + by(actor);
  }
  out += " by " + a.rule;
  if (!a.eligible.empty()) {
    out += "; eligible: " + join(a.eligible);
  }
  return out;
}

std::string transferred(const conversation_transferred& x,
                        const std::string& actor) {
  std::string out = "transferred";
  if (!x.from_agent.empty()) {
    out += " from " + x.from_agent;
  } else if (!x.from_team.empty()) {
    out += " from team " + x.from_team;
  }
  if (!x.to_agent.empty()) {
    out += " to " + x.to_agent;
    if (!x.to_team.empty()) {
      out += " in team " + x.to_team;
    }
  } else {
    out += " to team " + x.to_team;
  }
  return out + " by " + by(actor);
}

std::string opened(const conversation_opened& x, const std::string& actor) {
  std::string out = x.origin == "active" ? "started by " + by(actor)
                                         : "opened by the contact";
  return out + " on channel " + x.channel + " in team " + x.team;
}

std::string received(const message_received& m) {
  if (auto r = reaction_of(m)) {
    return r->emoji.empty()
             ? "the customer removed a reaction from " + r->message_id
             : "the customer reacted " + r->emoji + " to " + r->message_id;
  }
  std::string out = "received message " + m.message_id;
  if (m.kind != "text") {
    out += " (" + m.kind + ")";
  }
  auto text =
    m.text.empty() ? content_string(m.content, "media", "caption") : m.text;
  return text.empty() ? out : out + ": " + in_quotes(text);
}

std::string sent(const message_sent& m) {
  if (m.kind == "template") {
    return m.agent + " sent template " + m.template_name + " (" + m.language +
           ") as message " + m.message_id;
  }
  if (m.kind == "reaction") {
    auto emoji = content_string(m.content, "reaction", "emoji");
    auto target = content_string(m.content, "reaction", "message_id");
    return emoji.empty() ? m.agent + " removed a reaction from " + target
                         : m.agent + " reacted " + emoji + " to " + target;
  }
  std::string out = m.agent + " sent message " + m.message_id;
  if (m.kind != "text") {
    out += " (" + m.kind + ")";
  }
  auto text =
    m.text.empty() ? content_string(m.content, "media", "caption") : m.text;
  if (auto q = content_string(m.content, "reply_to"); !q.empty()) {
    out += " in reply to " + q;
  }
  return text.empty() ? out : out + ": " + in_quotes(text);
}

std::string media_changed(const message_media_changed& x) {
  if (x.media.is_object()) {
    return "atende stored the media of message " + x.message_id + " (" +
           content_string(x.media, "mime_type") + ", " +
           std::to_string(x.media.value("size", std::uint64_t{0})) +
           " bytes)";
  }
  std::string out = "the media of message " + x.message_id +
                    " could not be fetched: " + x.error_code;
  return x.error_title.empty() ? out : out + " " + x.error_title;
}

std::string delivery(const message_status_changed& x) {
  if (x.status == "accepted") {
    return "WhatsApp accepted message " + x.message_id + " as " +
           x.provider_id;
  }
  std::string out = "message " + x.message_id + " " + x.status;
  if (x.status == "failed" &&
      !(x.error_code.empty() && x.error_title.empty())) {
    out += ": " + x.error_code;
    out += x.error_code.empty() || x.error_title.empty() ? "" : " ";
    out += x.error_title;
  }
  return out;
}

std::string routed(const conversation_routed& x) {
  if (x.portfolio.empty()) {
    return "routed to team " + x.team;
  }
  std::string out = "routed to portfolio " + x.portfolio;
  return x.team.empty() ? out : out + " in team " + x.team;
}

std::string held(const conversation_held& x) {
  if (x.held) {
    return "held back from automatic assignment: portfolio " + x.portfolio +
           " is outside its business hours";
  }
  return "no longer held: portfolio " + x.portfolio +
         " is within its business hours";
}

std::string finished(const conversation_finished& x, const std::string& actor) {
  std::string out = "finished by " + by(actor);
  out += x.reason.empty() ? " without a reason" : " with reason " + x.reason;
  return x.description.empty() ? out : out + ": " + in_quotes(x.description);
}

std::string contacts_changed(const portfolio_contacts_changed& x) {
  std::string out = "portfolio " + x.portfolio;
  if (!x.added.empty()) {
    out += " added " + some(x.added);
  }
  if (!x.removed.empty()) {
    out += x.added.empty() ? " removed " : " and removed ";
    out += some(x.removed);
  }
  return out;
}

/// what says what event `e` did.
std::string what(const event& e) {
  return std::visit(
      overloaded{
          [&](const conversation_opened& x) { return opened(x, e.actor); },
          [](const message_received& x) { return received(x); },
          [](const message_sent& x) { return sent(x); },
          [](const message_status_changed& x) { return delivery(x); },
          [](const message_media_changed& x) { return media_changed(x); },
          [](const automation_message_sent& x) {
            return "automation " + x.automation + " sent message " +
                   x.message_id + ": " + in_quotes(x.text);
          },
          [](const automation_requested& x) {
            return x.agent + " asked automation " + x.automation + " to run";
          },
          [](const note_added& x) {
            auto out = x.author + " wrote note " + x.message_id + ": " +
                       in_quotes(x.text);
            return x.mentions.empty() ? out
                                      : out + "; mentions " + some(x.mentions);
          },
          [&](const conversation_assigned& x) { return assigned(x, e.actor); },
          [&](const conversation_transferred& x) {
            return transferred(x, e.actor);
          },
          [](const conversation_routed& x) { return routed(x); },
          [](const conversation_held& x) { return held(x); },
          [&](const conversation_finished& x) { return finished(x, e.actor); },
          [](const portfolio_contacts_changed& x) {
            return contacts_changed(x);
          },
          [](const portfolio_created& x) {
            return "portfolio " + x.value.id + " created, owned by " +
                   owners_of(x.value);
          },
          [](const portfolio_updated& x) {
            return "portfolio " + x.value.id + " now owned by " +
                   owners_of(x.value);
          },
          [](const portfolio_deleted& x) {
            return "portfolio " + x.portfolio + " deleted";
          },
          [](const team_created& x) {
            return "team " + x.value.id + " created, distributing by " +
                   std::string{name_of(x.value.distribution)};
          },
          [](const team_updated& x) {
            return "team " + x.value.id + " now distributes by " +
                   std::string{name_of(x.value.distribution)};
          },
          [&](const auto&) { return std::string{type_name(e.data)}; },
      },
      e.data);
}

/// audience names whose waiting list `a` is.
std::string audience(const waiting_audience& a) {
  if (a.portfolios.empty()) {
    return "the waiting list of team " + a.team;
  }
  auto portfolios = (a.portfolios.size() == 1 ? "portfolio " : "portfolios ") +
                    join(a.portfolios);
  if (a.owners.empty()) {
    return "the waiting list of admins only (" + portfolios +
           (a.portfolios.size() == 1 ? " has" : " have") +
           " no owners), in team " + a.team;
  }
  return "the waiting list of the owners of " + portfolios + " (" +
         join(a.owners) + "), in team " + a.team;
}

} // namespace

std::string timeline_summary(const event& e, const waiting_mark* now,
                             const waiting_mark* before) {
  auto done = what(e);
  if (now == nullptr) {
    return done;
  }
  if (!now->audience) {
    return "left the waiting list: " + done;
  }
  bool was_waiting = before != nullptr && before->audience.has_value();
  return (was_waiting ? "moved to " : "entered ") + audience(*now->audience) +
         ": " + done;
}

} // namespace atende
