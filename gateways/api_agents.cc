// Agent availability (CONTRACT section 3, "Agents"): the calling agent goes
// online or offline, starts a pause and ends it. The engine keeps the rules
// (a pause type's earliest start, one pause at a time); each reply is the
// caller's entry of the supervisors' board as committed.
//
// The agents' records (`/v1/agents`) are in api_config.cc.
#include "events/time.h"
#include "gateways/api.h"

namespace atende {

namespace {

/// reply_board_entry answers 200 with the caller's board entry, its pause
/// timed by the wall clock.
void reply_board_entry(const call& c, const outcome&) {
  auto x = c.api->view.get(c.who, resource::agents, c.who.agent, now_ms());
  if (!x) {
    return c.reply_error(x.error());
  }
  c.reply(200, *x);
}

void submit_me(const call& c, const char* type, nlohmann::json data) {
  auto in = make_command(c, type, std::move(data));
  if (!in) {
    return c.reply_error(in.error());
  }
  submit_one(c, std::move(*in), &reply_board_entry);
}

/// set_status: POST /v1/agents/me/status `{status: "online"|"offline"}`.
void set_status(const call& c) {
  auto body = json_body(c);
  if (!body) {
    return c.reply_error(body.error());
  }
  submit_me(c, "agent.status", pick(*body, {"status"}));
}

/// start_pause: POST /v1/agents/me/pause `{type}`.
void start_pause(const call& c) {
  auto body = json_body(c);
  if (!body) {
    return c.reply_error(body.error());
  }
  submit_me(c, "agent.pause", pick(*body, {"type"}));
}

/// get_me: GET /v1/agents/me, the caller's own board entry (who a token or
/// session belongs to).
void get_me(const call& c) {
  reply_board_entry(c, outcome{});
}

/// end_pause: DELETE /v1/agents/me/pause.
void end_pause(const call& c) {
  submit_me(c, "agent.resume", nlohmann::json::object());
}

} // namespace

std::vector<route> agent_routes() {
  return {
      {"GET", "/v1/agents/me", access::agent, &get_me},
      {"POST", "/v1/agents/me/status", access::agent, &set_status},
      {"POST", "/v1/agents/me/pause", access::agent, &start_pause},
      {"DELETE", "/v1/agents/me/pause", access::agent, &end_pause},
  };
}

} // namespace atende
