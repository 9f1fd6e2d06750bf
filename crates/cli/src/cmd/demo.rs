//! `lajna demo`: the demo committee of the founding article (Morocco–Mali, February 2025), on
//! one node writing for both parties or on two nodes syncing each other; then served.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use lajna_demo as demo;

use super::common::{NewDataArg, print_summary};
use super::serve::{bind, serve, serve_on};

/// Arguments of `lajna demo`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: NewDataArg,
    /// Build (or reuse) the data directory, print its summary, and exit without serving.
    #[arg(long)]
    no_serve: bool,
    /// When building a new demo, add this many more illustrative actions (for load tests).
    #[arg(long, default_value_t = 0)]
    extra_actions: usize,
    /// 1: one node writing for both parties (DIR). 2: two nodes of the same committee,
    /// DIR/mar and DIR/mli, in sync; served on --listen and the next port, syncing each other.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
    nodes: u8,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
}

/// Builds (or reuses) the demo, prints how to sign in, and serves it unless `--no-serve`.
pub async fn run(args: Args) -> Result<ExitCode> {
    let Args { data, no_serve, extra_actions, nodes, listen } = args;
    if nodes == 2 {
        // --extra-actions is for load tests of one node; the pair is built as it is.
        return pair(&data.data, no_serve, listen).await;
    }
    let fresh = !data.data.join("config.toml").exists();
    let node =
        demo::build(&data.data).await.with_context(|| format!("building the demo in {}", data.data.display()))?;
    if fresh && extra_actions > 0 {
        demo::add_actions(&node, extra_actions).await?;
    }
    print_summary(&node).await?;
    let (password, from_env) = demo::demo_password(&data.data)?;
    let users: Vec<&str> = demo::DEMO_USERS.iter().map(|(u, _, _)| *u).collect();
    println!("users {}", users.join(", "));
    if from_env {
        println!("password: the value of LAJNA_DEMO_PASSWORD");
    } else {
        println!("password {password} (kept in {})", data.data.join("demo-password").display());
    }
    if no_serve {
        return Ok(ExitCode::SUCCESS);
    }
    serve(node, listen).await
}

/// `--nodes 2`: DIR/mar and DIR/mli, served on `listen` and the next port, each the other's peer.
async fn pair(data: &Path, no_serve: bool, listen: SocketAddr) -> Result<ExitCode> {
    let (mut mar, mut mli) =
        demo::build_pair(data).await.with_context(|| format!("building the demo in {}", data.display()))?;
    for node in [&mar, &mli] {
        print_summary(node).await?;
    }
    let (password, from_env) = demo::demo_password(&data.join("mar"))?;
    let other = SocketAddr::new(listen.ip(), listen.port() + 1);
    println!(
        "users mar-* exist on the MAR node ({}, http://{listen}), mli-* on the MLI node ({}, http://{other}); password {}",
        data.join("mar").display(),
        data.join("mli").display(),
        if from_env { "from LAJNA_DEMO_PASSWORD".to_string() } else { password }
    );
    if no_serve {
        return Ok(ExitCode::SUCCESS);
    }
    // Both addresses are taken before either node serves: a busy port fails the command.
    let (first_listener, second_listener) = (bind(listen).await?, bind(other).await?);
    mar.config.peers = vec![format!("http://{other}")];
    mli.config.peers = vec![format!("http://{listen}")];
    mar.config.sync_interval_seconds = 10;
    mli.config.sync_interval_seconds = 10;
    let second = tokio::spawn(serve_on(mli, second_listener));
    let first = serve_on(mar, first_listener).await;
    second.abort();
    first
}
