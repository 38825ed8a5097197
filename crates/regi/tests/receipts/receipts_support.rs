//! Shared by the receipt tests: a store configuration, a paid sale through the sandbox, running
//! `regi receipt …` in-process, and a network printer on loopback whose status the test sets.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use clap::Parser;
use regi::commands::receipts::receipt_command;
use regi_config::{Config, RegistrationNumber};
use regi_core::domain::{AmountGuard, Cart, Product, SaleDraft, TaxPolicy, TaxRate, Yen};
use regi_engine::{AttemptOutcome, Engine};
use regi_pokepay_emulator::{CUSTOMER_RICH, RunningSandbox};
use regi_printer::PrinterStatus;

use regi_testkit::engine::start_qr;

pub const STORE_NAME: &str = "株式会社テスト商店";
pub const REGISTRATION: &str = "T9876543210987";

/// A store as a shop would configure it, printing to `target`.
pub fn store_config(target: &str) -> Config {
    let mut config = Config::default();
    config.store.name = STORE_NAME.into();
    config.store.registration_number =
        Some(RegistrationNumber::try_from(REGISTRATION.to_owned()).expect("valid number"));
    config.store.address = "〒150-0041\n東京都渋谷区神南1-2-3".into();
    config.store.phone = "03-9876-5432".into();
    config.store.receipt_footer = "ご来店ありがとうございました".into();
    config.terminal.name = "レジ1".into();
    config.terminal.id = "01".into();
    config.printer.target = target.into();
    config.printer.status_timeout_ms = 3000;
    config
}

/// Rice ball ×2 and tea at the reduced rate, a pen at the standard rate: ¥690, tax included.
pub fn mixed_rate_sale() -> SaleDraft {
    let mut cart = Cart::new(TaxPolicy::default(), AmountGuard::new(Yen(100_000)));
    let product = |jan: &str, name: &str, price: i64, tax_rate| Product {
        jan: jan.into(),
        name: name.into(),
        unit_price: Yen(price),
        tax_rate,
    };
    let onigiri = product("4901234567894", "おにぎり 鮭", 150, TaxRate::Reduced8);
    cart.add_product(&onigiri).expect("added");
    cart.add_product(&onigiri).expect("added");
    cart.add_product(&product(
        "4902102072618",
        "緑茶 500ml",
        160,
        TaxRate::Reduced8,
    ))
    .expect("added");
    cart.add_product(&product(
        "49123456",
        "ボールペン 黒",
        230,
        TaxRate::Standard10,
    ))
    .expect("added");
    cart.checkout().expect("checkout")
}

/// Pays `draft` by a QR the sandbox's rich customer scans.
pub async fn pay_by_qr(
    engine: &Engine,
    sandbox: &RunningSandbox,
    draft: SaleDraft,
) -> AttemptOutcome {
    let sale = engine.create_sale(draft).await.expect("sale recorded");
    let (run, _cancel, token) = start_qr(engine, sale.sale_id).await;
    sandbox
        .state
        .pay_cashtray(&token, CUSTOMER_RICH)
        .expect("customer pays");
    let outcome = run.await.expect("task").expect("engine");
    assert!(outcome.is_paid(), "{outcome:?}");
    outcome
}

/// Runs `regi receipt <args>` against `data_dir` with `config`; the output, or the error text.
/// `regi receipt …` as the binary parses it.
#[derive(Parser)]
struct ReceiptLine {
    #[command(flatten)]
    args: regi::commands::receipts::ReceiptArgs,
}

pub fn receipt(data_dir: &Path, config: &Config, args: &[&str]) -> Result<String, String> {
    let argv = ["receipt"].into_iter().chain(args.iter().copied());
    let line = ReceiptLine::try_parse_from(argv).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    receipt_command(data_dir, config, &line.args, &mut out).map_err(|e| format!("{e:#}"))?;
    String::from_utf8(out).map_err(|e| e.to_string())
}

/// A network printer on loopback answering `DLE EOT` from a status the test sets, reporting the
/// bytes each connection carried (status requests left out) when it closes.
pub struct LoopbackPrinter {
    pub port: u16,
    status: Arc<Mutex<PrinterStatus>>,
    received: Receiver<Vec<u8>>,
}

impl LoopbackPrinter {
    pub fn start(status: PrinterStatus) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("address").port();
        let status = Arc::new(Mutex::new(status));
        let (report, received) = mpsc::channel();
        let shared = Arc::clone(&status);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (report, shared) = (report.clone(), Arc::clone(&shared));
                thread::spawn(move || {
                    let _ = report.send(serve_connection(stream, &shared));
                });
            }
        });
        LoopbackPrinter {
            port,
            status,
            received,
        }
    }

    pub fn target(&self) -> String {
        format!("tcp:127.0.0.1:{}", self.port)
    }

    pub fn set(&self, status: PrinterStatus) {
        *self.status.lock().expect("status") = status;
    }

    /// The printable bytes of the next connection that closes.
    pub fn next_connection(&self) -> Vec<u8> {
        self.received
            .recv_timeout(Duration::from_secs(20))
            .expect("a connection closed")
    }
}

fn serve_connection(mut stream: TcpStream, status: &Mutex<PrinterStatus>) -> Vec<u8> {
    let mut kept = Vec::new();
    let mut unread: Vec<u8> = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => unread.extend_from_slice(&buf[..n]),
        }
        let mut at = 0;
        while at < unread.len() {
            let is_status_request = unread[at] == 0x10 && unread.get(at + 1) == Some(&0x04);
            if is_status_request {
                let Some(&query) = unread.get(at + 2) else {
                    break;
                };
                let answer = status.lock().expect("status").answer(query).unwrap_or(0);
                let _ = stream.write_all(&[answer]);
                at += 3;
            } else if unread[at] == 0x10 && at + 1 == unread.len() {
                // Possibly the first byte of a status request: wait for the rest.
                break;
            } else {
                kept.push(unread[at]);
                at += 1;
            }
        }
        unread.drain(..at);
    }
    kept
}
