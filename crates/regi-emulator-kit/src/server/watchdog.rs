//! Closing connections that hold a socket without using it: a request head that trickles in
//! slower than the header timeout (slowloris), or a keep-alive connection with no request for
//! longer than the idle timeout. A request being handled is never cut, however long it takes (the
//! `latency` and `timeout` faults hold answers on purpose).
//!
//! hyper's own `header_read_timeout` is not used: it also runs while a keep-alive connection
//! waits for its next request, so it would close pooled connections after the header timeout.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{Instant, Sleep};

use super::ServerSettings;

/// Where a connection is between requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Waiting for a request since this instant.
    Idle(Instant),
    /// The first bytes of a request head arrived at this instant.
    Head(Instant),
    /// A request is being handled.
    Busy,
}

/// One connection's phase, shared by its socket, its service and its watch.
#[derive(Debug)]
pub(crate) struct Activity(Mutex<Phase>);

impl Activity {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Activity(Mutex::new(Phase::Idle(Instant::now()))))
    }

    fn update(&self, change: impl FnOnce(Phase) -> Phase) {
        let mut phase = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        *phase = change(*phase);
    }

    fn bytes_arrived(&self) {
        self.update(|phase| match phase {
            Phase::Idle(_) => Phase::Head(Instant::now()),
            other => other,
        });
    }

    fn request_started(&self) {
        self.update(|_| Phase::Busy);
    }

    fn request_answered(&self) {
        self.update(|_| Phase::Idle(Instant::now()));
    }

    /// When the connection is to be closed if nothing changes; `None` while a request is handled.
    fn deadline(&self, settings: &ServerSettings) -> Option<Instant> {
        match *self.0.lock().unwrap_or_else(PoisonError::into_inner) {
            Phase::Idle(since) => Some(since + settings.idle_timeout),
            Phase::Head(since) => Some(since + settings.header_timeout),
            Phase::Busy => None,
        }
    }
}

/// The socket, noting when a request's first bytes arrive.
pub(crate) struct WatchedIo<T> {
    inner: T,
    activity: Arc<Activity>,
}

impl<T> WatchedIo<T> {
    pub(crate) fn new(inner: T, activity: Arc<Activity>) -> Self {
        WatchedIo { inner, activity }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for WatchedIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.bytes_arrived();
        }
        result
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for WatchedIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The connection's service, noting when a request starts and when its answer is ready.
#[derive(Clone)]
pub(crate) struct WatchedService<S> {
    inner: S,
    activity: Arc<Activity>,
}

impl<S> WatchedService<S> {
    pub(crate) fn new(inner: S, activity: Arc<Activity>) -> Self {
        WatchedService { inner, activity }
    }
}

impl<S, R> hyper::service::Service<R> for WatchedService<S>
where
    S: hyper::service::Service<R>,
    S::Future: Send + 'static,
    S::Response: 'static,
    S::Error: 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn call(&self, request: R) -> Self::Future {
        self.activity.request_started();
        let answer = self.inner.call(request);
        let activity = self.activity.clone();
        Box::pin(async move {
            let result = answer.await;
            activity.request_answered();
            result
        })
    }
}

/// Completes when the connection has outstayed its timeout.
///
/// It must be polled in the same task as the connection, after it (`select!` with `biased`):
/// every phase change happens while the connection is polled, so each poll of the watch sees the
/// current phase and re-arms its timer; while a request is handled it needs no wake-up of its own.
pub(crate) struct IdleWatch {
    activity: Arc<Activity>,
    settings: ServerSettings,
    timer: Pin<Box<Sleep>>,
    armed: Option<Instant>,
}

impl IdleWatch {
    pub(crate) fn new(activity: Arc<Activity>, settings: ServerSettings) -> Self {
        IdleWatch {
            activity,
            settings,
            timer: Box::pin(tokio::time::sleep_until(Instant::now())),
            armed: None,
        }
    }
}

impl Future for IdleWatch {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        let Some(deadline) = this.activity.deadline(&this.settings) else {
            return Poll::Pending;
        };
        if this.armed != Some(deadline) {
            this.timer.as_mut().reset(deadline);
            this.armed = Some(deadline);
        }
        this.timer.as_mut().poll(cx)
    }
}
