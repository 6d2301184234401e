#include "events/codec.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "events/crc32c.h"

namespace atende {

namespace {

constexpr std::size_t fixed_header = 6; // version, kind, crc

void put_fixed32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) {
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
  }
}

std::uint32_t get_fixed32(std::string_view in) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(in[i]))
         << (8 * i);
  }
  return v;
}

void put_varint32(std::string& out, std::uint32_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

/// get_varint32 reads a varint from the front of `in`, advancing it.
result<std::uint32_t> get_varint32(std::string_view& in) {
  std::uint32_t v = 0;
  for (int i = 0; i < 5; ++i) {
    if (in.empty()) {
      return fail(errc::internal, "corruption: truncated");
    }
    auto b = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    if (i == 4 && b > 0x0F) {
      return fail(errc::internal, "corruption: bad length");
    }
    v |= static_cast<std::uint32_t>(b & 0x7F) << (7 * i);
    if ((b & 0x80) == 0) {
      return v;
    }
  }
  return fail(errc::internal, "corruption: bad length");
}

/// checksum is the crc of a record: over its kind, payload and `hash` (the
/// chain hash's bytes in version 2, empty in version 1).
std::uint32_t checksum(record_kind k, std::string_view payload,
                       std::string_view hash = {}) {
  char kind = static_cast<char>(k);
  return crc32c::extend(crc32c::extend(crc32c::value({&kind, 1}), payload),
                        hash);
}

std::string_view bytes_of(const chain_hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}

/// is_known_kind: version 1 frames every kind, version 2 only events.
bool is_known_kind(unsigned char version, unsigned char k) {
  if (version == chained_event_version) {
    return k == static_cast<unsigned char>(record_kind::event);
  }
  return k >= static_cast<unsigned char>(record_kind::event) &&
         k <= static_cast<unsigned char>(record_kind::entity);
}

/// check_size: a record's bytes after the length are exactly the payload
/// and, in version 2, the hash.
result<void> check_size(std::size_t have, std::size_t want) {
  if (have < want) {
    return fail(errc::internal, "corruption: truncated");
  }
  if (have > want) {
    return fail(errc::internal, "corruption: trailing bytes");
  }
  return {};
}

/// frame writes the record `version kind crc length payload hash`.
std::string frame(std::uint8_t version, record_kind k, std::string_view payload,
                  std::string_view hash) {
  std::string out;
  out.reserve(fixed_header + 5 + payload.size() + hash.size());
  out.push_back(static_cast<char>(version));
  out.push_back(static_cast<char>(k));
  put_fixed32(out, checksum(k, payload, hash));
  put_varint32(out, static_cast<std::uint32_t>(payload.size()));
  out.append(payload);
  out.append(hash);
  return out;
}

result<decoded_record> record_of(std::string_view bytes, record_kind want,
                                 const char* what) {
  auto r = decode_record(bytes);
  if (!r) {
    return std::unexpected(std::move(r.error()));
  }
  if (r->kind != want) {
    return fail(errc::internal,
                std::string{"corruption: not "} + what + " record");
  }
  return r;
}

result<std::string_view> payload_of(std::string_view bytes, record_kind want,
                                    const char* what) {
  auto r = record_of(bytes, want, what);
  if (!r) {
    return std::unexpected(std::move(r.error()));
  }
  return r->payload;
}

} // namespace

std::string encode_record(record_kind k, std::string_view payload) {
  return frame(codec_version, k, payload, {});
}

result<decoded_record> decode_record(std::string_view bytes) {
  if (bytes.empty()) {
    return fail(errc::internal, "corruption: truncated");
  }
  auto version = static_cast<unsigned char>(bytes[0]);
  if (version != codec_version && version != chained_event_version) {
    return fail(errc::internal,
                "unsupported version " + std::to_string(version));
  }
  if (bytes.size() < fixed_header) {
    return fail(errc::internal, "corruption: truncated");
  }
  auto kind = static_cast<unsigned char>(bytes[1]);
  if (!is_known_kind(version, kind)) {
    return fail(errc::internal,
                "corruption: unknown kind " + std::to_string(kind));
  }
  std::uint32_t crc = get_fixed32(bytes.substr(2));
  std::string_view rest = bytes.substr(fixed_header);
  auto length = get_varint32(rest);
  if (!length) {
    return std::unexpected(std::move(length.error()));
  }
  const std::size_t hash_size =
      version == chained_event_version ? chain_hash{}.size() : 0;
  if (auto sized = check_size(rest.size(), std::size_t{*length} + hash_size);
      !sized) {
    return std::unexpected(std::move(sized.error()));
  }
  decoded_record r{version, static_cast<record_kind>(kind),
                   rest.substr(0, *length), std::nullopt};
  std::string_view hash = rest.substr(*length);
  if (checksum(r.kind, r.payload, hash) != crc) {
    return fail(errc::internal, "corruption: bad checksum");
  }
  if (hash_size != 0) {
    r.hash.emplace();
    std::copy(hash.begin(), hash.end(), r.hash->begin());
  }
  return r;
}

std::string encode_event(const event& e) {
  return encode_record(record_kind::event, to_json(e).dump());
}

std::string encode_chained_event(const event& e, const chain_hash& prev,
                                 chain_hash* next) {
  std::string payload = to_json(e).dump();
  chain_hash h = chain_next(prev, payload);
  if (next != nullptr) {
    *next = h;
  }
  return frame(chained_event_version, record_kind::event, payload, bytes_of(h));
}

result<journal_entry> decode_journal_entry(std::string_view bytes) {
  auto r = record_of(bytes, record_kind::event, "an event");
  if (!r) {
    return std::unexpected(std::move(r.error()));
  }
  return journal_entry{r->payload, r->hash};
}

result<event> decode_event(std::string_view bytes) {
  auto payload = payload_of(bytes, record_kind::event, "an event");
  if (!payload) {
    return std::unexpected(std::move(payload.error()));
  }
  auto e = event_from_text(*payload);
  if (!e) {
    if (e.error().field == "body") {
      return fail(errc::internal, "corruption: event is not valid JSON");
    }
    return fail(errc::internal, "corruption: " + e.error().message);
  }
  return e;
}

std::string encode_input_record(const input& in) {
  return encode_record(record_kind::input, encode_input(in).dump());
}

result<input> decode_input_record(std::string_view bytes) {
  auto payload = payload_of(bytes, record_kind::input, "an input");
  if (!payload) {
    return std::unexpected(std::move(payload.error()));
  }
  return decode_input_fast(*payload, input_scope::any);
}

} // namespace atende
