// Portfolios (carteiras; CONTRACT section 3, "Portfolios"): the records and
// their deletion for the tenant's admins; the contacts a portfolio holds for
// any agent, with the engine deciding who may change them (admins and the
// portfolio's owners); and adding the contact of a conversation to a
// portfolio from inside the conversation.
//
// A contacts filter (`add_filter`) is resolved into contact ids here, from
// the views, so the log records exactly which contacts were meant.
#include <set>

#include "events/event.h"
#include "gateways/api.h"
#include "gateways/api_records.h"

namespace atende {

namespace {

/// portfolio_param is the {id} of the path; one that cannot be an id names
/// no portfolio.
result<std::string> portfolio_param(const call& c) {
  const auto& id = c.param(0);
  if (!is_valid_id(id)) {
    return fail(errc::not_found, "no portfolio " + id);
  }
  return id;
}

/// delete_portfolio: DELETE /v1/portfolios/{id} → 204.
void delete_portfolio(const call& c) {
  auto id = portfolio_param(c);
  if (!id) {
    return c.reply_error(id.error());
  }
  auto in = make_command(c, "portfolio.delete", {{"portfolio", *id}});
  if (!in) {
    return c.reply_error(in.error());
  }
  submit_one(c, std::move(*in),
             [](const call& c, const outcome&) { c.reply_no_content(); });
}

/// delete_portfolios: POST /v1/portfolios/delete `{ids}`, one input per id.
void delete_portfolios(const call& c) {
  auto body = json_body(c);
  if (!body) {
    return c.reply_error(body.error());
  }
  auto ids = id_list(*body, "ids", true, max_bulk);
  if (!ids) {
    return c.reply_error(ids.error());
  }
  std::vector<input> inputs;
  inputs.reserve(ids->size());
  for (const auto& id : *ids) {
    auto in = make_command(c, "portfolio.delete", {{"portfolio", id}});
    if (!in) {
      return c.reply_error(in.error());
    }
    inputs.push_back(std::move(*in));
  }
  submit_bulk(c, std::move(*ids), std::move(inputs));
}

/// filtered_ids resolves `add_filter` `{name?, tag?}` into contact ids: none
/// when absent; at least one of name and tag is needed, so that a filter
/// never means "every contact" by accident.
result<std::vector<std::string>> filtered_ids(const call& c,
                                              const nlohmann::json& body) {
  auto it = body.find("add_filter");
  if (it == body.end() || it->is_null()) {
    return std::vector<std::string>{};
  }
  if (!it->is_object()) {
    return fail(errc::malformed, "must be an object {name?, tag?}",
                "add_filter");
  }
  auto name = optional_string(*it, "name");
  if (!name) {
    return fail(errc::malformed, "must be a string", "add_filter.name");
  }
  auto tag = optional_string(*it, "tag");
  if (!tag) {
    return fail(errc::malformed, "must be a string", "add_filter.tag");
  }
  if (name->empty() && tag->empty()) {
    return fail(errc::malformed, "needs a name or a tag", "add_filter");
  }
  return c.api->view.contacts_matching(c.who, *name, *tag);
}

/// unique appends `more` to `ids` and keeps the first of each id.
std::vector<std::string> unique(std::vector<std::string> ids,
                                const std::vector<std::string>& more) {
  ids.insert(ids.end(), more.begin(), more.end());
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (auto& id : ids) {
    if (seen.insert(id).second) {
      out.push_back(std::move(id));
    }
  }
  return out;
}

/// reply_changed answers `{added, removed}` as the engine counted them (a
/// contact already in the portfolio is not added again).
void reply_changed(const call& c, const outcome& o) {
  std::size_t added = 0;
  std::size_t removed = 0;
  if (const auto* ev = find_event<portfolio_contacts_changed>(o)) {
    added = ev->added.size();
    removed = ev->removed.size();
  }
  c.reply(200, {{"added", added}, {"removed", removed}});
}

void submit_contacts(const call& c, const std::string& portfolio,
                     std::vector<std::string> add,
                     std::vector<std::string> remove) {
  nlohmann::json data = {{"portfolio", portfolio},
                         {"add", std::move(add)},
                         {"remove", std::move(remove)}};
  auto in = make_command(c, "portfolio.contacts", std::move(data));
  if (!in) {
    return c.reply_error(in.error());
  }
  submit_one(c, std::move(*in), &reply_changed);
}

/// change_contacts: POST /v1/portfolios/{id}/contacts
/// `{add?, remove?, add_filter?}`.
void change_contacts(const call& c) {
  auto id = portfolio_param(c);
  if (!id) {
    return c.reply_error(id.error());
  }
  auto body = json_body(c);
  if (!body) {
    return c.reply_error(body.error());
  }
  auto add = id_list(*body, "add", false);
  if (!add) {
    return c.reply_error(add.error());
  }
  auto remove = id_list(*body, "remove", false);
  if (!remove) {
    return c.reply_error(remove.error());
  }
  auto matching = filtered_ids(c, *body);
  if (!matching) {
    return c.reply_error(matching.error());
  }
  submit_contacts(c, *id, unique(std::move(*add), *matching),
                  unique(std::move(*remove), {}));
}

/// list_contacts: GET /v1/portfolios/{id}/contacts?limit&cursor.
void list_contacts(const call& c) {
  auto limit = parse_limit(c);
  if (!limit) {
    return c.reply_error(limit.error());
  }
  auto p = c.api->view.portfolio_contacts(c.who, c.param(0), *limit,
                                          query_param(c, "cursor"));
  if (!p) {
    return c.reply_error(p.error());
  }
  c.reply(200, page_json(std::move(*p)));
}

/// contact_of is the contact id of a conversation object ("" if none).
std::string contact_of(const nlohmann::json& conversation) {
  auto it = conversation.find("contact");
  if (it == conversation.end() || !it->is_object()) {
    return {};
  }
  auto id = it->find("id");
  return id != it->end() && id->is_string() ? id->get<std::string>()
                                            : std::string{};
}

/// add_conversation_contact: POST /v1/conversations/{id}/portfolios
/// `{portfolio}` adds the conversation's contact to the portfolio.
void add_conversation_contact(const call& c) {
  auto body = json_body(c);
  if (!body) {
    return c.reply_error(body.error());
  }
  auto portfolio = optional_string(*body, "portfolio");
  if (!portfolio) {
    return c.reply_error(portfolio.error());
  }
  if (portfolio->empty()) {
    return c.reply_error(
        make_error(errc::malformed, "is required", "portfolio"));
  }
  auto conv = c.api->view.conversation(c.who, c.param(0), now_ms());
  if (!conv) {
    return c.reply_error(conv.error());
  }
  auto contact = contact_of(*conv);
  if (contact.empty()) {
    return c.reply_error(make_error(
        errc::internal, "the conversation has no contact in the views"));
  }
  submit_contacts(c, *portfolio, {std::move(contact)}, {});
}

} // namespace

std::vector<route> portfolio_routes() {
  auto out = record_routes<portfolio>("/v1/portfolios", "/v1/portfolios/{id}",
                                      access::admin);
  std::vector<route> more = {
      {"DELETE", "/v1/portfolios/{id}", access::admin, &delete_portfolio},
      {"POST", "/v1/portfolios/delete", access::admin, &delete_portfolios},
      {"GET", "/v1/portfolios/{id}/contacts", access::agent, &list_contacts},
      {"POST", "/v1/portfolios/{id}/contacts", access::agent, &change_contacts},
      {"POST", "/v1/conversations/{id}/portfolios", access::agent,
       &add_conversation_contact},
  };
  out.insert(out.end(), more.begin(), more.end());
  return out;
}

} // namespace atende
