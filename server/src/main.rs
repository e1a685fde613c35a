use std::net::SocketAddr;
use std::time::Duration;

use clap::{Parser, Subcommand};
use server::config::Config;
use server::{router, startup};
use tracing_subscriber::EnvFilter;

// mimalloc rather than glibc's allocator: EYES allocates and frees many vectors and short
// strings from rayon threads, and with mimalloc the 100k-customer analysis ran about 12% faster
// (bench/eyes.sh), with less kernel time: freed memory is reused instead of being returned to
// the kernel and faulted in again.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Turns transparent huge pages off for this process unless `MIMALLOC_ALLOW_THP` asks for them.
/// mimalloc advises THP for its arenas, and on the 2-core VMs OmniFy is measured on, fresh 2 MiB
/// pages cost the kernel far more to zero than 4 KiB ones (20 % of all CPU samples against
/// 1.5 %): the 100k-customer EYES run spent 1.0-1.1 s of CPU in the kernel with THP and
/// 0.25-0.3 s without, and took 2.4 s against 2.0 s when it started after an idle pause
/// (bench/eyes.sh). The kernel checks the flag at each page fault, so memory mapped before this
/// call is covered too.
fn disable_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag on this process.
        let status = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
        if status != 0 {
            eprintln!("warning: could not turn transparent huge pages off: {}", std::io::Error::last_os_error());
        }
    }
}

#[derive(Parser)]
#[command(name = "server", about = "OmniFy server", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the app and the API (the default).
    Serve,
    /// Create the database if needed, apply migrations, and exit.
    Migrate,
    /// Create a sample organization (its owner can log in) filled with a realistic shop's data.
    Demo {
        /// How many customers to generate.
        #[arg(long, default_value_t = 2000)]
        customers: usize,
        /// The same seed gives the same data.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// The owner's login (created; must not exist yet).
        #[arg(long, default_value = "demo@example.com")]
        email: String,
        #[arg(long, default_value = "demo-password")]
        password: String,
        #[arg(long, default_value = "Demo Shop")]
        organization: String,
    },
    /// Run the EYES analysis (segments, churn at 30/60/90 days, lifetime value) on CSV files
    /// and print the report. Orders need only customer id, date and amount.
    Eyes {
        #[arg(long)]
        customers: Option<std::path::PathBuf>,
        #[arg(long)]
        orders: std::path::PathBuf,
        #[arg(long)]
        events: Option<std::path::PathBuf>,
        /// Features as of the end of this day (YYYY-MM-DD); default: the newest order or event.
        #[arg(long)]
        cutoff: Option<String>,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        /// Print the full report as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[tokio::main]
async fn main() {
    disable_transparent_huge_pages();
    let cli = Cli::parse();
    if let Some(Command::Eyes { customers, orders, events, cutoff, seed, json }) = cli.command {
        let args = server::eyes_command::EyesArgs { customers, orders, events, cutoff, seed, json };
        if let Err(e) = server::eyes_command::run(args) {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
        return;
    }
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => fail(&format!("invalid configuration: {e}")),
    };
    init_tracing(&config);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => migrate(config).await,
        Command::Demo { customers, seed, email, password, organization } => {
            demo(config, customers, seed, email, password, organization).await
        }
        Command::Eyes { .. } => unreachable!("handled before the configuration loads"),
    };
    if let Err(e) = result {
        fail(&e);
    }
}

fn fail(message: &str) -> ! {
    tracing::error!("{message}");
    eprintln!("error: {message}");
    std::process::exit(1)
}

fn init_tracing(config: &Config) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if config.log_format == "pretty" {
        builder.init();
    } else {
        builder.json().with_current_span(true).with_span_list(false).init();
    }
}

async fn migrate(config: Config) -> Result<(), String> {
    let db = startup::connect_database(&config).await?;
    tracing::info!(backend = ?db.backend, "migrations applied");
    db.pool.close().await;
    Ok(())
}

async fn demo(config: Config, customers: usize, seed: u64, email: String, password: String, organization: String) -> Result<(), String> {
    use omnify::model::RegisterRequest;
    use omnify::services::{accounts, sample_data, RequestMeta};
    let mut config = config;
    config.run_jobs = false;
    let state = startup::build_state(config).await?;
    let core = &state.core;
    let request = RegisterRequest { email: email.clone(), password: password.clone(), full_name: "Demo Owner".into(), organization_name: organization };
    let session = accounts::register(core, &RequestMeta::default(), request).await.map_err(|e| e.message)?;
    let started = std::time::Instant::now();
    let counts = sample_data::load_into(core, &session.user.organization_id, customers, seed).await.map_err(|e| e.message)?;
    println!(
        "Sample organization ready in {:.1} s: {} records stored. Log in as {email} / {password}",
        started.elapsed().as_secs_f64(),
        counts.inserted + counts.updated
    );
    core.db.pool.close().await;
    Ok(())
}

async fn serve(config: Config) -> Result<(), String> {
    let addr = config.site_addr;
    let grace = Duration::from_secs(config.shutdown_grace_seconds);
    let state = startup::build_state(config).await?;
    let pool = state.core.db.pool.clone();
    let shutdown = state.shutdown.clone();
    let app = router::build(state);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    tracing::info!(%addr, "OmniFy listening on http://{addr}");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal(grace, shutdown))
        .await
        .map_err(|e| format!("server error: {e}"))?;
    // In-flight requests have finished; close the pool so SQLite checkpoints its WAL.
    pool.close().await;
    tracing::info!("shut down cleanly");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM, and cancels `shutdown` so event streams end; in-flight
/// requests then get `grace` to finish.
async fn shutdown_signal(grace: Duration, shutdown: tokio_util::sync::CancellationToken) {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!(grace_seconds = grace.as_secs(), "shutting down: finishing in-flight requests");
    shutdown.cancel();
    tokio::spawn(async move {
        tokio::time::sleep(grace).await;
        tracing::error!("in-flight requests did not finish within the grace period; exiting");
        std::process::exit(1);
    });
}
