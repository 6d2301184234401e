// graph_formats: the parts of Meta's wire formats that the fake Graph API
// (fake_graph.h) speaks besides HTTP: ids in Meta's shapes, the error
// answers (meta_error and meta_unknown_object, declared in fake_graph.h)
// and multipart/form-data uploads.
//
// Thread-safety: every function is safe to call from any thread. Ids are
// unique in the process, so that two fakes never hand out the same.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tests/support/fake_graph.h"

namespace atende::test {

/// new_wamid is a fresh message id for a send to `to`, shaped like Meta's:
/// "wamid." and the base64 of a small Thrift struct holding the recipient's
/// number and a hex message id.
[[nodiscard]] std::string new_wamid(std::string_view to);

/// new_media_id is a fresh media id (digits, as Meta's).
[[nodiscard]] std::string new_media_id();

/// digits_of keeps the digits of a phone number (at most 20): Meta's wa_id
/// for an `input` such as "+55 11 98765-4321".
[[nodiscard]] std::string digits_of(std::string_view s);

/// missing_parameter is Meta's 400 for a required parameter `name` missing
/// (code 100); meta_error(100) is the one for `messaging_product`.
[[nodiscard]] graph_reply missing_parameter(const std::string& name);

/// form_part is one part of a multipart/form-data body; `body` points into
/// the body parsed.
struct form_part {
  std::string name;         // Content-Disposition's name
  std::string content_type; // "" when the part has none
  std::string_view body;
};

/// parse_form splits a multipart/form-data body (RFC 7578) by the boundary
/// of `content_type`; what does not parse ends the list.
[[nodiscard]] std::vector<form_part> parse_form(std::string_view content_type,
                                                std::string_view body);

} // namespace atende::test
