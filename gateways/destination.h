// destination: where a subscription may deliver. An outbound webhook that
// an admin points at the instance's own network could read or poke what
// only the instance reaches (server-side request forgery), so addresses
// that are not public are refused unless the operator allows them
// (`subscriptions.allow_private`, for tests and private deployments):
//
//   IPv4  0/8 (this network), 10/8, 100.64/10 (carrier-grade NAT),
//         127/8 (loopback), 169.254/16 (link-local, cloud metadata),
//         172.16/12, 192.0.0/24, 192.0.2/24, 192.88.99/24, 192.168/16,
//         198.18/15, 198.51.100/24, 203.0.113/24, 224/4 (multicast),
//         240/4 (reserved, broadcast)
//   IPv6  ::, ::1, fc00::/7 (unique local), fe80::/10 (link-local),
//         ff00::/8 (multicast), 2001:db8::/32 (documentation), 64:ff9b::/96
//         and ::ffff:0:0/96 (the IPv4 address inside is checked), ::/96
//
// The check runs twice: when a subscription is saved (every address its
// host resolves to, so the admin hears of it at once) and when the sender
// connects (the address actually used, so a name that resolves elsewhere
// later is caught too).
#pragma once

#include <string>
#include <string_view>

#include <sys/socket.h>

#include "events/errc.h"

namespace atende {

/// is_public_address tells whether an AF_INET or AF_INET6 address may be
/// delivered to without subscriptions.allow_private (see the list above).
[[nodiscard]] bool is_public_address(const sockaddr* sa);

/// url_host returns the host of an http:// or https:// URL: without user
/// info, port, path or the brackets of an IPv6 literal. errc::invalid_value
/// (field `url`) when there is none.
[[nodiscard]] result<std::string> url_host(std::string_view url);

/// check_destination resolves the host of `url` and refuses it
/// (errc::forbidden_destination, field `url`) when any of its addresses is
/// not public, unless `allow_private`; a host that does not resolve is
/// errc::invalid_value (field `url`). It blocks for the resolution.
[[nodiscard]] result<void> check_destination(std::string_view url,
                                             bool allow_private);

} // namespace atende
