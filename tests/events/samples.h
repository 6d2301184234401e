// samples: one fully populated value of every event and input type, shared by
// the round-trip, codec and golden-file tests.
#pragma once

#include <vector>

#include "events/event.h"
#include "events/input.h"

namespace atende::testing {

inline constexpr timestamp sample_time =
    1795266300123; // 2026-11-21T13:05:00.123Z

inline channel sample_channel() {
  return {"wa-main",       channel_kind::whatsapp,        "Main number",
          "5511999990000", "310000000000001", "sales", "", "", "", false};
}

inline team sample_team() {
  return {"sales", "Sales", team_distribution::round_robin, 3, true};
}

inline agent sample_agent() {
  return {"ana",
          "Ana",
          agent_role::agent,
          {"sales", "support"},
          4,
          "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
          "",
          ""};
}

inline subscription sample_subscription() {
  return {"sb-1", "https://crm.example.com/hooks/atende",
          {"conversation.*", "message.created"}, "sealed:v1:AAAA", true};
}

inline reason sample_reason() {
  return {"sold", "Sold"};
}

inline contact sample_contact() {
  return {"c-1", "Maria", "5531988887777", {"vip"}, "lead", {"sales"}, {"p-1"}};
}

inline pause_type sample_pause_type() {
  return {"lunch", "Lunch", 60, "11:00"};
}

inline portfolio sample_portfolio() {
  return {"p-1",
          "Key accounts",
          "VIP",
          nlohmann::json::parse(R"({"timezone":"America/Recife",
            "week":{"mon":[["08:00","12:00"],["13:00","18:00"]]}})"),
          "ana",
          {"bia"}};
}

inline tenant_info sample_tenant() {
  return {"acme", "Acme", "America/Recife"};
}

inline agent sample_admin() {
  return {"boss", "Boss", agent_role::admin, {}, std::nullopt, "abc123", "", ""};
}

inline message_template sample_template() {
  return {"t-1", "wa-main", "retomada", "pt_BR",
          "Oi {{1}}, sobre o {{2}}: podemos continuar?", "pending"};
}

/// sample_events: one event of every type, seq 1, 2, ...
inline std::vector<event> sample_events() {
  std::vector<event_data> data{
      tenant_created{sample_tenant(), sample_admin()},
      channel_created{sample_channel()},
      channel_updated{{"wa-2", channel_kind::other, "Other", "", "", "support", "", "", "", false}},
      team_created{sample_team()},
      team_updated{{"support", "Support", team_distribution::manual, 5, false}},
      agent_created{sample_agent()},
      agent_updated{sample_admin()},
      reason_created{sample_reason()},
      reason_updated{{"lost", "Lost"}},
      contact_created{sample_contact()},
      contact_updated{{"c-2", "João", "553188887777", {}, "", {}, {}}},
      conversation_opened{"cv-1", "c-1", "wa-main", "sales", "inbound"},
      message_received{"cv-1", "m-1", "wamid.1", "text", "Olá \"mundo\"", "",
                       "wamid.1", nullptr},
      message_sent{"cv-1", "m-2", "ana", "text", "Bom dia", "k-1", "", "", {}, nullptr},
      conversation_assigned{"cv-1", "ana", "", "take", {"ana", "bia"}},
      conversation_transferred{"cv-1", "sales", "support", "ana", ""},
      conversation_finished{"cv-1", "sold", "closed the deal"},
      pause_type_created{sample_pause_type()},
      pause_type_updated{{"break", "Break", 15, ""}},
      portfolio_created{sample_portfolio()},
      portfolio_updated{{"p-2", "Other", "", nullptr, "bia", {}}},
      portfolio_deleted{"p-2"},
      portfolio_contacts_changed{"p-1", {"c-1", "c-2"}, {"c-3"}},
      agent_status_changed{"ana", "online"},
      agent_pause_started{"ana", "lunch"},
      agent_pause_ended{"ana", "lunch", 75, true},
      conversation_routed{"cv-1", "sales", "p-1"},
      conversation_held{"cv-1", "p-1", true},
      automation_requested{"cv-1", "nps", "ana"},
      template_created{sample_template()},
      template_updated{{"t-2", "wa-main", "aviso", "en_US", "Hi", "paused"}},
      message_status_changed{"cv-1", "m-2", "failed", "131047",
                             "Re-engagement message", ""},
      automation_message_sent{"cv-1", "m-9", "welcome", "Oi!", "auto-1"},
      agent_session_started{"ana", "5e8ff9bf55ba3508199d22e984129be6",
                            "2026-11-22T01:05:00.000Z"},
      agent_session_ended{"ana", "5e8ff9bf55ba3508199d22e984129be6"},
      message_media_changed{
          "cv-1", "wamid.7",
          {{"id", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
           {"mime_type", "audio/ogg"},
           {"size", 4},
           {"sha256", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}},
          "", ""},
      subscription_created{sample_subscription()},
      subscription_updated{{"sb-1", "https://crm.example.com/hooks/atende",
                            {"*"}, "sealed:v1:AAAA", false}},
      subscription_deleted{"sb-2"},
      subscription_rewound{"sb-1", 41},
      subscription_delivered{"sb-1", 1042},
      note_added{"cv-1", "m-10", "ana", "@bia pode ver?", {"bia"}},
  };
  std::vector<event> out;
  std::uint64_t seq = 0;
  for (auto& d : data) {
    ++seq;
    out.push_back(event{seq, "acme", sample_time + static_cast<timestamp>(seq),
                        seq % 2 == 0 ? "agent:ana" : "connector",
                        std::move(d)});
  }
  return out;
}

/// sample_inputs: one input of every type (index i of input_data at i).
inline std::vector<input> sample_inputs() {
  std::vector<input_data> data{
      message_received_in{"wa-main", "5531988887777", "Maria", "wamid.1",
                          "text", "Olá", "", nullptr},
      message_status_in{"wa-main", "m-2", "failed", "131047",
                        "Re-engagement message", ""},
      template_status_in{"wa-main", "retomada", "pt_BR", "approved"},
      automation_message_in{"wa-main", "5531988887777", "welcome", "Oi!"},
      conversation_route_in{"wa-main", "c-1", "", "CARTEIRA-1"},
      contact_upsert_in{"5531988887777", "Maria",
                        std::vector<std::string>{"vip"}, "lead", std::nullopt},
      tenant_create{sample_tenant(), sample_admin()},
      create<channel>{sample_channel()},
      patch<channel>{"wa-main",
                     {{"name", "New"}, {"phone_number_id", nullptr}}},
      create<team>{sample_team()},
      patch<team>{"sales", {{"max_per_agent", 7}, {"require_reason", false}}},
      create<agent>{sample_agent()},
      patch<agent>{"ana", {{"teams", {"x"}}, {"max_concurrent", nullptr}}},
      create<reason>{sample_reason()},
      patch<reason>{"sold", {{"name", "Vendido"}}},
      create<contact>{sample_contact()},
      patch<contact>{"c-1",
                     {{"stage", "won"}, {"tags", nlohmann::json::array()}}},
      conversation_assign{"cv-1", "bia"},
      conversation_send{"cv-1", "Olá", "key-1", std::nullopt, nullptr},
      conversation_transfer{"cv-1", "", "support", "cliente pediu"},
      conversation_finish{"cv-1", "sold", "ok"},
      create<pause_type>{sample_pause_type()},
      patch<pause_type>{"lunch", {{"allowed_from", nullptr}}},
      create<portfolio>{sample_portfolio()},
      patch<portfolio>{"p-1", {{"members", {"bia", "caio"}}, {"hours", nullptr}}},
      portfolio_delete{"p-1"},
      portfolio_contacts{"p-1", {"c-1"}, {"c-2"}},
      agent_set_status{"online"},
      agent_pause{"lunch"},
      agent_resume{},
      conversation_automate{"cv-1", "nps"},
      tenant_tick{},
      create<message_template>{sample_template()},
      patch<message_template>{"t-1", {{"status", "approved"}}},
      conversation_start{"wa-main", "5531988887777", "", "sales", "",
                         template_send{"retomada", "pt_BR", {"Maria", "x"}}},
      session_start{"5e8ff9bf55ba3508199d22e984129be6",
                    "2026-11-22T01:05:00.000Z"},
      session_end{"5e8ff9bf55ba3508199d22e984129be6"},
      message_media_in{"wa-main", "cv-1", "wamid.7", nullptr, "131052",
                       "Media download error"},
      create<subscription>{sample_subscription()},
      patch<subscription>{"sb-1", {{"active", false}, {"events", {"*"}}}},
      subscription_delete{"sb-1"},
      subscription_redeliver{"sb-1", 42},
      subscription_progress{"sb-1", 1042, 1},
      conversation_note{"cv-1", "@bia pode ver?"},
  };
  std::vector<input> out;
  int n = 0;
  for (auto& d : data) {
    input in;
    in.id = "in-" + std::to_string(++n);
    in.tenant = "acme";
    in.at = sample_time;
    in.data = std::move(d);
    in.actor = in.is_envelope() ? "connector" : "agent:ana";
    if (std::holds_alternative<tenant_tick>(in.data)) {
      in.actor = "rule:clock";
    }
    if (std::holds_alternative<subscription_progress>(in.data)) {
      in.actor = "rule:subscriptions";
    }
    out.push_back(std::move(in));
  }
  return out;
}

} // namespace atende::testing
