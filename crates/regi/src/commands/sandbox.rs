//! `regi sandbox` (run a provider's emulator) and `regi customer` (act as a customer against it).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use tokio::net::TcpListener;

use regi_config::write_private_file;
use regi_pokepay_emulator::CallChecks;
use regi_pokepay_emulator::customer_client::CustomerClient;
use regi_pokepay_emulator::faults::FaultPlan;
use regi_pokepay_emulator::ledger::CUSTOMER_RICH;
use regi_pokepay_emulator::limits::{ServerSettings, raise_open_file_limit};
use regi_pokepay_emulator::server::serve_with;
use regi_pokepay_emulator::state::{SandboxOptions, SandboxState};
use regi_pokepay_emulator::tls::{TlsMaterial, serve_customer_side, serve_tls};
use regi_pokepay_emulator::write_config::{SandboxUrls, write_sdk_config};

/// Run a payment provider's emulator on a loopback address.
#[derive(Debug, Clone, Args)]
pub struct SandboxArgs {
    /// The provider to emulate.
    #[arg(long, default_value = "pokepay", value_parser = crate::providers::KNOWN_PROVIDERS)]
    pub provider: String,

    /// Loopback address to listen on; port 0 picks a free port.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:0")]
    pub listen: SocketAddr,

    /// Once it listens, write (mode 0600) what a client needs: for Pokepay an SDK `config.ini`, for
    /// KOMOJU and elepay a regi TOML file that `regi --config PATH` runs against as is.
    #[arg(long, value_name = "PATH")]
    pub write_config: Option<PathBuf>,

    /// Keep the ledger in this file across restarts.
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,

    /// Fix the credentials, ids and fault sequence.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Inject faults: drop=R, unavailable=R, timeout=R, latency=MS (comma-separated or repeated).
    #[arg(long = "fault", value_name = "SPEC")]
    pub faults: Vec<String>,

    /// Close a connection whose request head takes longer than this to arrive [default: 10]
    /// (Pokepay).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub header_timeout: Option<Duration>,

    /// Close a keep-alive connection with no request for this long [default: 40] (Pokepay).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub idle_timeout: Option<Duration>,

    /// Serve https with mutual TLS (Pokepay): a CA, a server certificate for 127.0.0.1 and
    /// localhost, and a client certificate the sandbox requires, all made at start; with
    /// --write-config, the CA and the client certificate and key are written beside the file.
    #[arg(long)]
    pub tls: bool,

    /// Serve at most this many connections at once [default: what the open file limit allows].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_connections: Option<u32>,
}

/// A positive number of seconds, fractions allowed (`0.5`).
fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| format!("`{text}` is not a number of seconds"))?;
    if !(seconds > 0.0 && seconds <= 86_400.0) {
        return Err(format!(
            "`{text}` must be more than 0 and at most 86400 seconds"
        ));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// Act as an emulator's customer: pay a QR or payment page, or show a Pokepay CPM code.
#[derive(Debug, Clone, Args)]
pub struct CustomerArgs {
    #[command(subcommand)]
    pub action: CustomerAction,
}

#[derive(Debug, Clone, Subcommand)]
pub enum CustomerAction {
    /// Scan what the register shows (a Pokepay cashtray URL or id, a KOMOJU session URL, an elepay
    /// code content or code URL) and pay it (or receive its amount, for a Pokepay top-up).
    Pay {
        #[arg(value_name = "QR_CONTENT")]
        cashtray: String,
        /// The emulator's base URL, e.g. http://127.0.0.1:4010.
        #[arg(long, value_name = "URL")]
        sandbox: String,
        /// The provider whose emulator made it.
        #[arg(long, default_value = "pokepay", value_parser = crate::providers::KNOWN_PROVIDERS)]
        provider: String,
        /// KOMOJU: the payment method chosen on the page [default: the first it offers].
        #[arg(long, value_name = "METHOD")]
        method: Option<String>,
        /// The customer [default: a customer who can pay; `poor` cannot].
        #[arg(long, value_name = "NAME")]
        customer: Option<String>,
    },
    /// Print a fresh CPM token (22 digits) for the customer.
    CpmToken {
        #[arg(long, value_name = "URL")]
        sandbox: String,
        /// The customer whose app shows the code (`card` has a verified card for a tab,
        /// `cardless` has none).
        #[arg(long, value_name = "NAME", default_value = CUSTOMER_RICH)]
        customer: String,
        #[arg(long, value_enum, default_value_t = ScopeArg::Payment)]
        scope: ScopeArg,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScopeArg {
    Payment,
    Topup,
}

impl ScopeArg {
    fn as_str(self) -> &'static str {
        match self {
            ScopeArg::Payment => "payment",
            ScopeArg::Topup => "topup",
        }
    }
}

/// `regi sandbox`: serve until Ctrl-C or SIGTERM.
pub fn run_sandbox(args: SandboxArgs) -> ExitCode {
    match tokio_runtime().and_then(|rt| rt.block_on(sandbox_main(args))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("regi sandbox: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn sandbox_main(args: SandboxArgs) -> anyhow::Result<()> {
    if !args.listen.ip().is_loopback() {
        bail!(
            "the sandbox listens on loopback only; {} is not a loopback address",
            args.listen
        );
    }
    match args.provider.as_str() {
        "komoju" => return komoju_main(args).await,
        "elepay" => return elepay_main(args).await,
        _ => {}
    }
    let faults = FaultPlan::from_specs(&args.faults)?;
    // Before the default connection cap is read from the limit.
    raise_open_file_limit();
    let defaults = ServerSettings::default();
    let settings = ServerSettings {
        header_timeout: args.header_timeout.unwrap_or(defaults.header_timeout),
        idle_timeout: args.idle_timeout.unwrap_or(defaults.idle_timeout),
        max_connections: args
            .max_connections
            .map_or(defaults.max_connections, |n| n as usize),
    };
    let state = SandboxState::new(SandboxOptions {
        seed: args.seed,
        faults,
        state_path: args.state.clone(),
        // Stale timestamps and repeated call ids are refused, as the API refuses them.
        call_checks: CallChecks::API,
        ..Default::default()
    })?;
    let listener = TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    let tls = if args.tls {
        Some(TlsMaterial::generate()?)
    } else {
        None
    };
    // Under --tls the customer side (a customer's app has no partner certificate) is served
    // over plain http on a port of its own.
    let customer_listener = match tls {
        Some(_) => Some(
            TcpListener::bind((addr.ip(), 0))
                .await
                .context("cannot listen for the customer side")?,
        ),
        None => None,
    };
    let base_url = match tls {
        Some(_) => format!("https://{addr}"),
        None => format!("http://{addr}"),
    };
    let customer_url = match &customer_listener {
        Some(listener) => format!("http://{}", listener.local_addr()?),
        None => base_url.clone(),
    };
    if let Some(path) = &args.write_config {
        let urls = SandboxUrls {
            api_base_url: &base_url,
            customer_url: &customer_url,
        };
        // Every file 0600, and never through a symlink planted at its path.
        write_sdk_config(path, &state, urls, tls.as_ref())?;
    }
    match (tls, customer_listener) {
        (Some(material), Some(customer_listener)) => {
            eprintln!(
                "regi sandbox listening on {base_url} with mutual TLS, customer side on \
                 {customer_url} (client id {}, customers: {})",
                state.client_id(),
                state.customer_names().join(", ")
            );
            let config = material.server_config()?;
            let api = serve_tls(listener, state.clone(), settings, config, shutdown_signal());
            let customers =
                serve_customer_side(customer_listener, state, settings, shutdown_signal());
            tokio::try_join!(api, customers)?;
        }
        _ => {
            eprintln!(
                "regi sandbox listening on {base_url} (client id {}, customers: {})",
                state.client_id(),
                state.customer_names().join(", ")
            );
            serve_with(listener, state, settings, shutdown_signal()).await?;
        }
    }
    Ok(())
}

/// The options only the Pokepay emulator has.
fn pokepay_only(args: &SandboxArgs) -> anyhow::Result<()> {
    if args.header_timeout.is_some() || args.idle_timeout.is_some() {
        bail!("--header-timeout and --idle-timeout are for --provider pokepay");
    }
    if args.tls {
        bail!("--tls is for --provider pokepay");
    }
    Ok(())
}

/// A regi configuration that takes payments through `provider` only, with its `table`.
fn regi_config_for(provider: &str, table: &str) -> String {
    format!(
        "# regi against the {provider} emulator (written by `regi sandbox --provider {provider}`).\n\
         [tenders]\nenabled = [\"{provider}\"]\n\n{table}"
    )
}

async fn komoju_main(args: SandboxArgs) -> anyhow::Result<()> {
    pokepay_only(&args)?;
    let defaults = regi_komoju_emulator::EmulatorConfig::default();
    let state = regi_komoju_emulator::EmulatorState::new(regi_komoju_emulator::EmulatorConfig {
        faults: regi_komoju_emulator::FaultPlan::from_specs(&args.faults)?,
        seed: args.seed.unwrap_or(0),
        state_file: args.state.clone(),
        max_connections: args
            .max_connections
            .map_or(defaults.max_connections, |n| n as usize),
        ..defaults
    })?;
    let listener = TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let api_base_url = format!("{base_url}{}", regi_komoju_emulator::API_PREFIX);
    if let Some(path) = &args.write_config {
        let table = regi_komoju_emulator::render_regi_config(&api_base_url, state.secret_key());
        write_private_file(path, regi_config_for("komoju", &table).as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    eprintln!("regi sandbox (KOMOJU) listening on {base_url}, API at {api_base_url}");
    regi_komoju_emulator::serve(listener, state, shutdown_signal()).await?;
    Ok(())
}

async fn elepay_main(args: SandboxArgs) -> anyhow::Result<()> {
    pokepay_only(&args)?;
    if args.max_connections.is_some() {
        bail!("--max-connections is for --provider pokepay or komoju");
    }
    let state = regi_elepay_emulator::EmulatorState::new(regi_elepay_emulator::EmulatorConfig {
        faults: regi_elepay_emulator::FaultPlan::from_specs(&args.faults)?,
        seed: args.seed.unwrap_or(0),
        state_file: args.state.clone(),
        ..Default::default()
    })?;
    let listener = TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let base_url = format!("http://{}", listener.local_addr()?);
    if let Some(path) = &args.write_config {
        let table = regi_elepay_emulator::render_regi_config(&base_url, state.secret_key());
        write_private_file(path, regi_config_for("elepay", &table).as_bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    eprintln!("regi sandbox (elepay) listening on {base_url}");
    regi_elepay_emulator::serve(listener, state, shutdown_signal()).await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}

/// `regi customer ...`: exit 0 when it worked, else the reason on stderr.
pub fn run_customer(args: CustomerArgs) -> ExitCode {
    match tokio_runtime().and_then(|rt| rt.block_on(customer_main(args))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("regi customer: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn customer_main(args: CustomerArgs) -> anyhow::Result<()> {
    match args.action {
        CustomerAction::Pay {
            cashtray,
            sandbox,
            provider,
            method,
            customer,
        } => match provider.as_str() {
            "komoju" => {
                let customer = customer
                    .as_deref()
                    .unwrap_or(regi_komoju_emulator::CUSTOMER_RICH);
                let session = regi_komoju_emulator::customer::pay(
                    &sandbox,
                    &cashtray,
                    method.as_deref(),
                    customer,
                )
                .await?;
                println!("session {} {:?}", session.id, session.status);
            }
            "elepay" => {
                let customer = customer.as_deref().unwrap_or("alice");
                let paid =
                    regi_elepay_emulator::customer::pay(&sandbox, &cashtray, customer).await?;
                println!("{paid:?}");
            }
            _ => {
                let customer = customer.as_deref().unwrap_or(CUSTOMER_RICH);
                let client = CustomerClient::new(&sandbox)?;
                let tx = client.pay_cashtray(&cashtray, customer).await?;
                println!(
                    "{} {} yen, transaction {}",
                    tx.transaction.kind,
                    tx.transaction.amount.as_yen().unwrap_or_default(),
                    tx.transaction.id
                );
            }
        },
        CustomerAction::CpmToken {
            sandbox,
            customer,
            scope,
        } => {
            let client = CustomerClient::new(&sandbox)?;
            let token = client.issue_cpm_token(&customer, scope.as_str()).await?;
            println!("{}", token.cpm_token);
        }
    }
    Ok(())
}

/// One thread: a call costs the sandbox tens of microseconds of CPU, less than handing it between
/// workers does (on two workers every enveloped call also woke the idle one: two context switches
/// per GetCashtray instead of one, on the same two cores the tills' clients run on).
fn tokio_runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_positive_seconds_with_fractions() {
        assert_eq!(parse_seconds("0.25"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_seconds("10"), Ok(Duration::from_secs(10)));
        for bad in ["0", "-1", "NaN", "inf", "ten", ""] {
            assert!(parse_seconds(bad).is_err(), "{bad}");
        }
    }
}
