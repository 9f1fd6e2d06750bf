//! `lajna serve`: a data directory over HTTP, with background sync to the configured peers.
//! The one command that calls into `lajna_web` (`lajna demo` serves through it).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use lajna_node::Node;
use lajna_node::tls::ServerTls;
use tokio::net::TcpListener;

use super::common::DataArg;

/// Arguments of `lajna serve`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArg,
    /// Address to listen on (default: config.toml's `listen`).
    #[arg(long)]
    listen: Option<SocketAddr>,
    /// Log lines on standard error: `text` for people, `json` (one object a line) for a log
    /// collector.
    #[arg(long, value_enum, default_value_t = LogFormat::Text, env = "LAJNA_LOG_FORMAT")]
    pub log_format: LogFormat,
}

/// How log lines are written (plain comments on the variants keep `--help` to one line).
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    // Human-readable lines.
    Text,
    // One JSON object a line: timestamp, level, target, fields.
    Json,
}

/// Opens the node and serves it until Ctrl-C.
pub async fn run(args: Args) -> Result<ExitCode> {
    let node = args.data.open().await?;
    let listen = args.listen.unwrap_or(node.config.listen);
    serve(node, listen).await
}

/// Takes the address, then serves `node` on it.
pub async fn serve(node: Node, listen: SocketAddr) -> Result<ExitCode> {
    let listener = bind(listen).await?;
    serve_on(node, listener).await
}

/// Takes an address; a busy one fails with what to do about it.
pub async fn bind(listen: SocketAddr) -> Result<TcpListener> {
    TcpListener::bind(listen)
        .await
        .with_context(|| format!("cannot listen on {listen}; is another server using it? choose another with --listen"))
}

/// Serves `node` on a taken address until Ctrl-C or SIGTERM, syncing with its peers every
/// `sync_interval_seconds` in the background.
pub async fn serve_on(node: Node, listener: TcpListener) -> Result<ExitCode> {
    let addr = listener.local_addr()?;
    let tls = ServerTls::from_node(&node).context("cannot use the TLS certificate of config.toml")?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    println!(
        "serving {} on {scheme}://{addr}/ar/ (also /fr/ and /en/); press Ctrl-C to stop",
        node.parties().join("+")
    );
    tokio::spawn(reload_on_sighup(tls.clone()));
    let node = Arc::new(node);
    tokio::spawn(node.clone().keep_verified(std::time::Duration::from_secs(600)));
    // Reminders and e-mail (issue 14): one tick a `notify.tick_seconds`, clock from
    // LAJNA_NOTIFY_NOW when set (tests), else the reference date's (the demo), else the wall clock.
    let (stop_mailer, stopping) = tokio::sync::watch::channel(false);
    let mailer = tokio::spawn(crate::mail::run(node.clone(), crate::mail::Clock::for_node(&node)?, stopping));
    if !node.config.peers.is_empty() {
        let syncing = node.clone();
        tokio::spawn(async move {
            let every = std::time::Duration::from_secs(syncing.config.sync_interval_seconds.max(1));
            loop {
                tokio::time::sleep(every).await;
                for peer in &syncing.config.peers {
                    match syncing.sync_with(peer).await {
                        Ok(r) if r.received + r.sent > 0 => {
                            tracing::info!(peer, received = r.received, sent = r.sent, "synced")
                        }
                        Ok(_) => {}
                        // A peer that is down now may be up at the next round.
                        Err(e) => tracing::warn!(peer, error = %e, "sync failed; will retry"),
                    }
                }
            }
        });
    }
    lajna_web::serve_tls(node, listener, tls.as_ref().map(ServerTls::acceptors), shutdown()).await?;
    // A restart must not send an e-mail twice: the one in flight is recorded as sent (or
    // failed) before the process ends; the SMTP timeout (30 s) bounds the wait.
    let _ = stop_mailer.send(true);
    let _ = tokio::time::timeout(std::time::Duration::from_secs(45), mailer).await;
    Ok(ExitCode::SUCCESS)
}

/// On each SIGHUP (`systemctl reload lajna`), reads the TLS certificate and key again: new
/// connections get them, the store stays open. A file that cannot be used keeps the previous
/// certificate, logged as an error. Without TLS, SIGHUP is logged and otherwise ignored.
async fn reload_on_sighup(tls: Option<ServerTls>) {
    use tokio::signal::unix::{SignalKind, signal};
    let Ok(mut hangups) = signal(SignalKind::hangup()) else { return };
    while hangups.recv().await.is_some() {
        match tls.as_ref().map(ServerTls::reload) {
            Some(Ok(fingerprint)) => tracing::info!(%fingerprint, "TLS certificate reloaded"),
            Some(Err(e)) => tracing::error!(error = %e, "TLS certificate not reloaded; the previous one stays in use"),
            None => tracing::info!("SIGHUP: no TLS certificate to reload"),
        }
    }
}

/// Ctrl-C (SIGINT) or SIGTERM (`systemctl stop|restart`): stop accepting, finish what is in
/// flight.
async fn shutdown() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}
