#include "gateways/api.h"

#include <exception>

#include "events/time.h"
#include "gateways/crypto.h"
#include "gateways/http_errors.h"

namespace atende {

namespace {

/// request_field maps an input path (`data.kind`, `data.fields.name`,
/// `data.tenant.name`) to the request body's (`kind`, `name`): the gateway
/// put the body under `data` (a tenant's under `data.tenant`).
error request_field(error e) {
  static constexpr std::string_view prefixes[] = {"data.tenant.",
                                                  "data.fields.", "data."};
  for (auto p : prefixes) {
    if (!e.field.starts_with(p)) {
      continue;
    }
    std::string old = e.field;
    e.field = old.substr(p.size());
    if (e.message.starts_with(old + ": ")) {
      e.message = e.field + e.message.substr(old.size());
    }
    break;
  }
  return e;
}

void run_guarded(const call& c, const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::exception& ex) {
    c.reply_error(make_error(errc::internal, ex.what()));
  }
}

} // namespace

result<input> make_command(const call& c, std::string type, nlohmann::json data,
                           std::string tenant) {
  auto id = random_hex(8);
  if (!id) {
    return std::unexpected(id.error());
  }
  nlohmann::json j = {{"id", "cmd-" + *id},
                      {"tenant", tenant.empty() ? c.who.tenant : tenant},
                      {"at", format_time(now_ms())},
                      {"type", std::move(type)},
                      {"actor", actor_of(c.who)},
                      {"data", std::move(data)}};
  auto in = decode_input(j, input_scope::any);
  if (!in) {
    return std::unexpected(request_field(in.error()));
  }
  return in;
}

void submit(const call& c, std::vector<input> inputs, outcomes_fn then) {
  auto expected = inputs.size();
  c.api->engine.submit(
      std::move(inputs), [c, expected, then](std::vector<outcome> out) {
        c.ex->post([c, expected, then, out = std::move(out)]() mutable {
          if (out.size() != expected) {
            c.reply_error(make_error(errc::internal,
                                     "the engine answered a different number "
                                     "of outcomes"));
            return;
          }
          run_guarded(c, [&] { then(c, std::move(out)); });
        });
      });
}

void submit_one(const call& c, input in, outcome_fn then) {
  std::vector<input> inputs;
  inputs.push_back(std::move(in));
  submit(c, std::move(inputs),
         [then = std::move(then)](const call& c, std::vector<outcome> out) {
           const auto& o = out.front();
           if (o.st == outcome::status::rejected) {
             c.reply_error(o.err);
             return;
           }
           then(c, o);
         });
}

void submit_bulk(const call& c, std::vector<std::string> ids,
                 std::vector<input> inputs) {
  submit(c, std::move(inputs),
         [ids = std::move(ids)](const call& c, std::vector<outcome> out) {
           auto results = nlohmann::json::array();
           for (std::size_t i = 0; i < out.size(); ++i) {
             nlohmann::json item = {{"id", ids.at(i)}};
             item["ok"] = out[i].st != outcome::status::rejected;
             if (out[i].st == outcome::status::rejected) {
               item["error"] = error_json(out[i].err);
             }
             results.push_back(std::move(item));
           }
           c.reply(200, {{"results", std::move(results)}});
         });
}

} // namespace atende
