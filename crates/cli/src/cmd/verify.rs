//! `lajna verify`: every event's signature, certificate and parents, the projections against a
//! rebuild, and the log against the checkpoints peer nodes signed of it (issue 12 item 5: a
//! head a peer signed for and the log lacks means the log was truncated or rolled back). Exit
//! code 1 when anything fails, naming the first bad event or the truncation.

use std::process::ExitCode;

use anyhow::Result;

use super::common::DataArg;

/// Arguments of `lajna verify`.
#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    data: DataArg,
}

/// Verifies the whole record and prints `N events` and the state hash.
pub async fn run(args: Args) -> Result<ExitCode> {
    let node = match lajna_node::Node::open_with_config(&args.data.data, args.data.config.as_deref()).await {
        Ok(node) => node,
        // Opening folds the log; a stored event that no longer reads as its kind (a body
        // altered into another shape, an envelope that is not JSON) stops it. That is a failed
        // verification naming the event (exit 1, as for any bad event), not a failure to run.
        Err(lajna_node::NodeError::Store(e @ lajna_store::StoreError::Corrupt(_))) => {
            println!("FAILED: the store cannot be opened: {e}");
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    let report = node.verify().await?;
    if let Some((id, why)) = &report.problem {
        println!("FAILED after {} good events", report.events);
        println!("bad event {id}: {why}");
        return Ok(ExitCode::from(1));
    }
    println!("{} events", report.events);
    println!("state hash {}", report.rebuilt_hash);
    if report.rebuilt_hash != report.stored_hash {
        println!(
            "FAILED: the stored projections (state hash {}) differ from a rebuild of the log; run `lajna rebuild`",
            report.stored_hash
        );
        return Ok(ExitCode::from(1));
    }
    let checkpoints = node.check_checkpoints().await?;
    let mut truncated = false;
    for c in &checkpoints {
        match &c.problem {
            None => println!(
                "checkpoint of {} node {} signed at {}: its {} head(s) and {} events are held here",
                c.party, c.node, c.at, c.heads, c.count
            ),
            Some(why) => {
                println!("FAILED: {why}");
                truncated = true;
            }
        }
    }
    if truncated {
        return Ok(ExitCode::from(1));
    }
    if checkpoints.is_empty() {
        println!(
            "ok: every signature, certificate and parent verified; projections match a rebuild (no peer checkpoint kept yet)"
        );
    } else {
        println!(
            "ok: every signature, certificate and parent verified; projections match a rebuild; the log holds what the peers signed for"
        );
    }
    Ok(ExitCode::SUCCESS)
}
