//! The sandbox's HTTP server under clients that hold sockets: request heads that never finish,
//! idle keep-alive connections, more clients than connection slots, and a process out of file
//! descriptors. Every wait ends when the server does something (answers, closes); the guard
//! timeouts only stop a hung test.

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, TcpStream};
use std::time::Duration;

use regi_pokepay::codec::EnvelopeKey;
use regi_pokepay_emulator::{
    FaultPlan, RunningSandbox, SandboxOptions, SandboxState, ServerSettings, start_on_with,
};
use serde_json::json;

/// Only a guard against a hung test.
const GUARD: Duration = Duration::from_secs(30);
const LONG: Duration = Duration::from_secs(3600);
const SHORT: Duration = Duration::from_millis(200);

const PING: &[u8] = b"GET /ping HTTP/1.1\r\nHost: sandbox\r\n\r\n";

/// A sandbox on its own runtime; dropped in order (sandbox first, then its runtime).
struct Served {
    sandbox: Option<RunningSandbox>,
    _runtime: tokio::runtime::Runtime,
}

impl Served {
    fn start(settings: ServerSettings, faults: FaultPlan) -> Served {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let sandbox = runtime.block_on(async {
            let state = SandboxState::new(SandboxOptions {
                seed: Some(3),
                faults,
                ..SandboxOptions::default()
            })
            .expect("sandbox state");
            let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
                .await
                .expect("binds");
            start_on_with(listener, state, settings).expect("serves")
        });
        Served {
            sandbox: Some(sandbox),
            _runtime: runtime,
        }
    }

    fn sandbox(&self) -> &RunningSandbox {
        self.sandbox.as_ref().expect("running")
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.sandbox().addr).expect("connects");
        stream.set_read_timeout(Some(GUARD)).expect("guard");
        stream
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        drop(self.sandbox.take());
    }
}

fn settings(header_timeout: Duration, idle_timeout: Duration) -> ServerSettings {
    ServerSettings {
        header_timeout,
        idle_timeout,
        max_connections: 64,
    }
}

/// Reads until the server closes the connection; a guard timeout means it never did.
fn read_until_closed(stream: &mut TcpStream) -> Vec<u8> {
    let mut seen = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => return seen,
            Ok(n) => seen.extend_from_slice(&buffer[..n]),
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return seen,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                panic!("the server kept the connection open for {GUARD:?}")
            }
            Err(e) => panic!("read failed: {e}"),
        }
    }
}

/// Reads one whole response (head and `Content-Length` body); returns its status line.
fn read_response(stream: &mut TcpStream) -> String {
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => seen.push(byte[0]),
            Ok(_) => panic!("closed before a whole response head: {seen:?}"),
            Err(e) => panic!("no response: {e}"),
        }
    }
    let head = String::from_utf8(seen).expect("ASCII head");
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().expect("a length"))
        })
        .expect("a Content-Length");
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).expect("the body");
    head.lines().next().unwrap_or_default().to_string()
}

fn ping(stream: &mut TcpStream) -> String {
    stream.write_all(PING).expect("sends");
    read_response(stream)
}

#[test]
fn a_request_head_that_stops_halfway_is_closed_after_the_header_timeout() {
    let served = Served::start(settings(SHORT, LONG), FaultPlan::default());
    let mut slow = served.connect();
    slow.write_all(b"GET /ping HTTP/1.1\r\nHost: sand")
        .expect("sends half a head");
    assert_eq!(read_until_closed(&mut slow), b"");
}

#[test]
fn a_keep_alive_connection_without_a_next_request_is_closed_after_the_idle_timeout() {
    let served = Served::start(settings(LONG, SHORT), FaultPlan::default());
    let mut idle = served.connect();
    assert_eq!(ping(&mut idle), "HTTP/1.1 200 OK");
    assert_eq!(read_until_closed(&mut idle), b"");
    // A connection that never sends anything is idle from the start.
    let mut silent = served.connect();
    assert_eq!(read_until_closed(&mut silent), b"");
}

#[test]
fn a_request_slower_to_answer_than_both_timeouts_is_still_answered() {
    let faults = FaultPlan::from_specs(&["latency=600"]).expect("a fault plan");
    let served = Served::start(settings(SHORT, SHORT), faults);
    let sandbox = served.sandbox();
    let key = EnvelopeKey::from_client_secret(sandbox.client_secret.expose()).expect("a key");
    let inner = json!({
        "request_data": {"message": "slow"},
        "timestamp": "2024-01-01T12:00:00+09:00",
        "partner_call_id": uuid::Uuid::new_v4().to_string(),
    });
    let body = serde_urlencoded::to_string([
        ("partner_client_id", sandbox.client_id.clone()),
        ("data", key.seal(&inner.to_string())),
    ])
    .expect("a form");
    let request = format!(
        "POST /echo HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let mut client = served.connect();
    client.write_all(request.as_bytes()).expect("sends");
    assert_eq!(read_response(&mut client), "HTTP/1.1 200 OK");
}

#[test]
fn with_every_connection_slot_taken_a_new_client_is_served_once_one_closes() {
    let served = Served::start(
        ServerSettings {
            max_connections: 1,
            ..settings(LONG, LONG)
        },
        FaultPlan::default(),
    );
    let mut first = served.connect();
    assert_eq!(ping(&mut first), "HTTP/1.1 200 OK");
    let mut second = served.connect();
    second.write_all(PING).expect("sends");
    // The first connection is still served while the second waits for its slot...
    assert_eq!(ping(&mut first), "HTTP/1.1 200 OK");
    second.set_nonblocking(true).expect("nonblocking");
    let mut byte = [0u8; 1];
    let waiting = second.read(&mut byte);
    assert!(
        matches!(&waiting, Err(e) if e.kind() == ErrorKind::WouldBlock),
        "a client beyond the cap was served: {waiting:?}"
    );
    second.set_nonblocking(false).expect("blocking");
    // ...and gets it when the first one leaves.
    drop(first);
    assert_eq!(read_response(&mut second), "HTTP/1.1 200 OK");
}

/// `regi sandbox` run under an open file limit of 64, with 80 idle clients: more than it has
/// descriptors for, so its accepts fail until the idle timeout frees some.
#[cfg(target_os = "linux")]
#[test]
fn a_sandbox_out_of_file_descriptors_backs_off_and_answers_once_idle_clients_are_cut() {
    use std::io::{BufRead, BufReader};
    use std::os::unix::process::CommandExt;
    use std::process::{Command, Stdio};

    const IDLE_SECONDS: u64 = 4;
    let mut command = Command::new(env!("CARGO_BIN_EXE_regi"));
    command
        .args([
            "sandbox",
            "--listen",
            "127.0.0.1:0",
            "--max-connections",
            "1000",
        ])
        .args(["--idle-timeout", &IDLE_SECONDS.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe and touches nothing but the child's own limit.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 64,
                rlim_max: 64,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    let mut child = command.spawn().expect("regi sandbox starts");
    let pid = child.id();
    let mut stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut first = String::new();
    stderr.read_line(&mut first).expect("a first line");
    let addr = first
        .split("listening on http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_string();
    // Keep its stderr drained so a log line never blocks it.
    std::thread::spawn(move || std::io::copy(&mut stderr, &mut std::io::sink()));

    let idle: Vec<TcpStream> = (0..80)
        .map(|_| TcpStream::connect(&addr).expect("connects (the listen queue takes it)"))
        .collect();
    let mut client = TcpStream::connect(&addr).expect("connects");
    client.set_read_timeout(Some(GUARD)).expect("guard");
    client.write_all(PING).expect("sends");
    // Answered only after the idle timeout cut the first clients and freed descriptors.
    assert_eq!(read_response(&mut client), "HTTP/1.1 200 OK");
    let cpu = regi_bench::cpu::process_cpu(Some(pid)).expect("its CPU time");
    let _ = child.kill();
    let _ = child.wait();
    drop(idle);
    // Retrying failed accepts at once spins a core for the whole idle timeout; pausing between
    // them costs almost nothing. The bound is far above the latter and far below the former.
    assert!(
        cpu < Duration::from_secs(IDLE_SECONDS) / 4,
        "the sandbox used {cpu:?} of CPU in about {IDLE_SECONDS} s"
    );
}
