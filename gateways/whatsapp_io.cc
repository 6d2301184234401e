#include "gateways/whatsapp_io.h"

#include <map>
#include <sstream>

#include "gateways/media_fetcher.h"
#include "gateways/whatsapp_sender.h"

namespace atende {

nlohmann::json whatsapp_io::health(const std::string& tenant,
                                   const std::string& channel) const {
  nlohmann::json h = nlohmann::json::object();
  with_tenant_(tenant, [&](const whatsapp_pair& p) {
    if (p.sender != nullptr) {
      h.update(p.sender->health(tenant, channel));
    }
    if (p.fetcher != nullptr) {
      h["media"] = p.fetcher->health(tenant, channel);
    }
  });
  return h;
}

std::string whatsapp_io::metrics_text() const {
  std::vector<std::string> texts;
  each_([&](const whatsapp_pair& p) {
    if (p.sender != nullptr) {
      texts.push_back(p.sender->metrics_text());
    }
    if (p.fetcher != nullptr) {
      texts.push_back(p.fetcher->metrics_text());
    }
  });
  return merge_metrics(texts);
}

void whatsapp_io::mark_read(const std::string& tenant,
                            const std::string& channel,
                            const std::string& conversation,
                            const std::string& message_id) const {
  with_tenant_(tenant, [&](const whatsapp_pair& p) {
    if (p.sender != nullptr) {
      p.sender->mark_read(tenant, channel, conversation, message_id);
    }
  });
}

namespace {

/// family_of: the metric family a sample line belongs to (its name up to
/// `{` or a space).
std::string family_of(const std::string& line) {
  auto end = line.find_first_of("{ ");
  return line.substr(0, end);
}

} // namespace

std::string merge_metrics(const std::vector<std::string>& texts) {
  struct family {
    std::string head; // its # HELP and # TYPE lines
    std::string samples;
  };
  std::vector<std::string> order;
  std::map<std::string, family> families;
  auto of = [&](const std::string& name) -> family& {
    auto [it, fresh] = families.try_emplace(name);
    if (fresh) {
      order.push_back(name);
    }
    return it->second;
  };
  for (const auto& text : texts) {
    std::istringstream in{text};
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) {
        auto name = family_of(line.substr(7));
        auto& f = of(name);
        // Each family's comments once: the first text's.
        if (f.head.find(line.substr(0, 7)) == std::string::npos) {
          f.head += line + "\n";
        }
      } else if (!line.empty() && line[0] != '#') {
        of(family_of(line)).samples += line + "\n";
      }
    }
  }
  std::string out;
  for (const auto& name : order) {
    out += families[name].head + families[name].samples;
  }
  return out;
}

} // namespace atende
