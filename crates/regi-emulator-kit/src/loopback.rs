//! Keeping an emulator on this machine. The customer side (paying, expiring, listing) needs no
//! key, so a customer's payment must not be forged from the shop's network: its routes answer
//! peers on this machine only ([`only_this_machine`]), and emulators that hold a key refuse to
//! listen anywhere but on loopback ([`require_loopback`]).

use std::net::SocketAddr;

use axum::Router;
use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;

use crate::server::PeerAddr;

/// `routes`, answering a peer that is not on this machine with `refusal` instead. A request
/// without a peer (served in process) is on this machine.
pub fn only_this_machine<S>(routes: Router<S>, refusal: fn() -> Response) -> Router<S>
where
    S: Clone + Send + Sync + 'static,
{
    routes.layer(middleware::from_fn(
        move |request: Request, next: Next| async move {
            match request.extensions().get::<PeerAddr>() {
                Some(PeerAddr(peer)) if !peer.ip().is_loopback() => refusal(),
                _ => next.run(request).await,
            }
        },
    ))
}

/// The address, when it is a loopback one; otherwise the address back as the error.
pub fn require_loopback(addr: SocketAddr) -> Result<SocketAddr, SocketAddr> {
    if addr.ip().is_loopback() {
        Ok(addr)
    } else {
        Err(addr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Extension;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    fn refused() -> Response {
        Response::builder().status(403).body(Body::empty()).unwrap()
    }

    async fn status_from(peer: Option<&str>) -> u16 {
        let app = only_this_machine(
            Router::new().route("/pay", get(|| async { "paid" })),
            refused,
        );
        let app = match peer {
            Some(peer) => app.layer(Extension(PeerAddr(peer.parse().unwrap()))),
            None => app,
        };
        let request = Request::get("/pay").body(Body::empty()).unwrap();
        app.oneshot(request).await.unwrap().status().as_u16()
    }

    #[tokio::test]
    async fn the_customer_side_answers_this_machine_and_refuses_other_peers() {
        assert_eq!(status_from(Some("127.0.0.1:50000")).await, 200);
        assert_eq!(status_from(Some("[::1]:50000")).await, 200);
        assert_eq!(status_from(None).await, 200);
        assert_eq!(status_from(Some("192.168.1.20:50000")).await, 403);
    }

    #[test]
    fn only_loopback_addresses_may_be_listened_on() {
        let local: SocketAddr = "127.0.0.1:4010".parse().unwrap();
        let lan: SocketAddr = "0.0.0.0:4010".parse().unwrap();
        assert_eq!(require_loopback(local), Ok(local));
        assert_eq!(require_loopback(lan), Err(lan));
    }
}
