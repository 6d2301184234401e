// detail/fields: one table per record type lists its JSON fields, so that
// rendering, strict reading, lenient reading (creates) and patch checking can
// never disagree about a field's name, type or nullability.
//
// Internal to events/: include only from events/*.cc.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "events/detail/json_view.h"
#include "events/errc.h"
#include "events/model.h"

/// ATENDE_TRY returns the error of a result<...> expression, if it has one.
/// A named result is checked in place, not copied.
#define ATENDE_TRY(expr)                                                       \
  do {                                                                         \
    if (decltype(auto) atende_try_ = (expr); !atende_try_) {                   \
      return std::unexpected(std::move(atende_try_.error()));                  \
    }                                                                          \
  } while (false)

namespace atende::detail {

using json = nlohmann::json;

/// join_path appends `key` to a dotted path (`data` + `channel`).
inline std::string join_path(std::string_view prefix, std::string_view key) {
  std::string out{prefix};
  if (!out.empty()) {
    out += '.';
  }
  out += key;
  return out;
}

/// field_path names a field for errors (`data.admin` + `teams`); the string is
/// only built when an error needs it.
struct field_path {
  std::string_view prefix;
  std::string_view key;

  [[nodiscard]] std::string str() const { return join_path(prefix, key); }
};

/// How a record is read: as stored (every field present, nullable ones may be
/// null) or as a create body (optional fields may be absent or null).
enum class form : std::uint8_t { stored, create };

template <class T>
using member = std::variant<std::string T::*, std::vector<std::string> T::*,
                            int T::*, bool T::*, std::optional<int> T::*,
                            json T::*, std::int64_t T::*, channel_kind T::*,
                            team_distribution T::*, agent_role T::*>;

/// field describes one JSON field of record type T.
template <class T>
struct field {
  std::string_view name;
  member<T> ptr;
  bool nullable = false; // empty/absent renders as null; null reads as empty
  bool patchable = true; // may appear in a PATCH body
  bool required = true;  // must appear in a create body
  bool added_later = false; // may be absent in the stored form: records
                            // written before the field existed lack it
  bool omit_empty = false;  // an empty string, a null json or a false bool
                            // is left out
                            // when rendering, so records without it keep
                            // their earlier bytes
};

/// fields_of<T>::list is the table of T, specialised next to T's codec.
template <class T>
struct fields_of;

// ---- rendering ------------------------------------------------------------

inline json render_value(const std::string& v, bool nullable) {
  if (nullable && v.empty()) {
    return nullptr;
  }
  return v;
}

inline json render_value(const std::vector<std::string>& v, bool) {
  return v;
}

inline json render_value(int v, bool) {
  return v;
}

inline json render_value(std::int64_t v, bool) {
  return v;
}

inline json render_value(bool v, bool) {
  return v;
}

inline json render_value(const std::optional<int>& v, bool) {
  if (!v) {
    return nullptr;
  }
  return *v;
}

/// A closed set renders as its name (names.h).
template <named_enum E>
json render_value(E v, bool) {
  return std::string{name_of(v)};
}

/// A json member holds a structured value whose rules live in check_value.
inline json render_value(const json& v, bool) {
  return v;
}

/// render writes every field of `x` into a JSON object.
template <class T>
json render(const T& x) {
  json j = json::object();
  for (const auto& f : fields_of<T>::list) {
    std::visit(
        [&](auto ptr) {
          using v = std::decay_t<decltype(x.*ptr)>;
          if constexpr (std::is_same_v<v, std::string>) {
            if (f.omit_empty && (x.*ptr).empty()) {
              return;
            }
          } else if constexpr (std::is_same_v<v, json>) {
            if (f.omit_empty && (x.*ptr).is_null()) {
              return;
            }
          } else if constexpr (std::is_same_v<v, bool>) {
            if (f.omit_empty && !(x.*ptr)) {
              return;
            }
          }
          j[std::string{f.name}] = render_value(x.*ptr, f.nullable);
        },
        f.ptr);
  }
  return j;
}

// ---- reading --------------------------------------------------------------
//
// Readers take any view of detail/json_view.h (V).

template <class V>
result<void> read_value(const V& v, bool nullable, const field_path& path,
                        std::string& out) {
  if (v.is_string()) {
    out = v.str();
    return {};
  }
  if (nullable && v.is_null()) {
    out.clear();
    return {};
  }
  return fail(errc::malformed, "must be a string", path.str());
}

template <class V>
result<void> read_value(const V& v, bool, const field_path& path,
                        std::vector<std::string>& out) {
  if (!v.strings(out)) {
    return fail(errc::malformed, "must be an array of strings", path.str());
  }
  return {};
}

template <class V>
result<int> read_int(const V& v, const field_path& path) {
  if (!v.is_integer()) {
    return fail(errc::malformed, "must be an integer", path.str());
  }
  auto i = v.int_value();
  if (!i || *i < std::numeric_limits<int>::min() ||
      *i > std::numeric_limits<int>::max()) {
    return fail(errc::invalid_value, "is out of range", path.str());
  }
  return static_cast<int>(*i);
}

template <class V>
result<void> read_value(const V& v, bool, const field_path& path, int& out) {
  auto i = read_int(v, path);
  ATENDE_TRY(i);
  out = *i;
  return {};
}

template <class V>
result<void> read_value(const V& v, bool, const field_path& path,
                        std::int64_t& out) {
  if (!v.is_integer()) {
    return fail(errc::malformed, "must be an integer", path.str());
  }
  auto i = v.int_value();
  if (!i) {
    return fail(errc::invalid_value, "is out of range", path.str());
  }
  out = *i;
  return {};
}

template <class V>
result<void> read_value(const V& v, bool, const field_path& path, bool& out) {
  if (!v.is_bool()) {
    return fail(errc::malformed, "must be a boolean", path.str());
  }
  out = v.bool_value();
  return {};
}

template <class V>
result<void> read_value(const V& v, bool nullable, const field_path& path,
                        std::optional<int>& out) {
  if (nullable && v.is_null()) {
    out.reset();
    return {};
  }
  auto i = read_int(v, path);
  ATENDE_TRY(i);
  out = *i;
  return {};
}

template <class V>
result<void> read_value(const V& v, bool nullable, const field_path& path,
                        json& out) {
  if (!nullable && v.is_null()) {
    return fail(errc::malformed, "must not be null", path.str());
  }
  if (!v.is_null() && !v.is_object()) {
    return fail(errc::malformed, "must be an object", path.str());
  }
  out = v.to_json();
  return {};
}

/// A closed set reads from its name; another string is invalid_value listing
/// the names.
template <class V, named_enum E>
result<void> read_value(const V& v, bool, const field_path& path, E& out) {
  if (!v.is_string()) {
    return fail(errc::malformed, "must be a string", path.str());
  }
  auto e = from_name<E>(v.str());
  if (!e) {
    return fail(errc::invalid_value, "must be one of " + names_listed<E>(),
                path.str());
  }
  out = *e;
  return {};
}

/// read_field reads one field's JSON value `v` into `x`.
template <class T, class V>
result<void> read_field(const field<T>& f, const V& v, const field_path& path,
                        T& x) {
  return std::visit(
      [&](auto ptr) { return read_value(v, f.nullable, path, x.*ptr); }, f.ptr);
}

/// read_record reads a whole record from a view. In form::create, absent (or
/// null) optional fields keep T's defaults. In form::stored every field must
/// be present, except those `added_later` (they keep T's defaults too).
template <class T, class V>
result<T> read_record(const V& j, std::string_view prefix, form how) {
  if (!j.is_object()) {
    return fail(errc::malformed, "must be an object", std::string{prefix});
  }
  T x{};
  for (const auto& f : fields_of<T>::list) {
    field_path path{prefix, f.name};
    auto v = j.get(f.name);
    bool optional = how == form::create && !f.required;
    if ((optional && (!v || v->is_null())) || (!v && f.added_later)) {
      continue;
    }
    if (!v) {
      return fail(errc::malformed, "is required", path.str());
    }
    ATENDE_TRY(read_field(f, *v, path, x));
  }
  return x;
}

/// read_record reads a whole record from a nlohmann value.
template <class T>
result<T> read_record(const json& j, std::string_view prefix, form how) {
  return read_record<T>(nl_view{j}, prefix, how);
}

/// find_field returns T's field named `name`, or nullptr.
template <class T>
const field<T>* find_field(std::string_view name) {
  for (const auto& f : fields_of<T>::list) {
    if (f.name == name) {
      return &f;
    }
  }
  return nullptr;
}

/// check_fields checks a PATCH body of T: known, patchable keys with values of
/// the right JSON type. Errors name `prefix.key`.
template <class T>
result<void> check_fields(const json& fields, std::string_view prefix) {
  if (!fields.is_object()) {
    return fail(errc::malformed, "must be an object", std::string{prefix});
  }
  for (const auto& [key, value] : fields.items()) {
    field_path path{prefix, key};
    const field<T>* f = find_field<T>(key);
    if (f == nullptr) {
      return fail(errc::malformed, "unknown field", path.str());
    }
    if (!f->patchable) {
      return fail(errc::malformed, "may not be changed", path.str());
    }
    T scratch{};
    ATENDE_TRY(read_field(*f, nl_view{value}, path, scratch));
  }
  return {};
}

} // namespace atende::detail
