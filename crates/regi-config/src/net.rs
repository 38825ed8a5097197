//! Where a URL points: plain http is allowed only to this machine, for every provider and proxy.

use std::net::IpAddr;

use url::Url;

/// Whether `url` points at this machine: a loopback address or `localhost`.
pub fn is_loopback_url(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => host.eq_ignore_ascii_case("localhost"),
    }
}
