//! `lajna notify`: the reminders of this node (issue 14 item 5). `--dry-run` prints what a tick
//! would make now and to whom (new ones only, nothing stored or sent); `status` counts the
//! notifications and e-mails and lists the e-mails being retried and the dead letters; `set` gives a
//! user its language, time zone, e-mail address and triggers turned off or on, keeping what it is
//! not given.

use std::collections::BTreeSet;
use std::process::ExitCode;

use anyhow::{Context, Result};
use jiff::Timestamp;

use super::common::DataArg;
use crate::mail::render_row;

/// Arguments of `lajna notify`.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    command: Option<Sub>,
    #[command(flatten)]
    data: DataArg,
    /// Print the notifications a tick would make now, and to whom; store and send nothing.
    #[arg(long)]
    dry_run: bool,
    /// The instant "now" (RFC 3339, e.g. 2026-03-23T07:00:00Z) instead of the clock.
    #[arg(long, env = "LAJNA_NOTIFY_NOW")]
    at: Option<Timestamp>,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// Notifications stored, e-mails waiting and sent, those being retried and every dead letter,
    /// with their last error.
    Status(StatusArgs),
    /// Set a user's language (ar, fr, en), time zone (tz database name), e-mail address and the
    /// triggers turned off or on; what is not given keeps its value.
    Set(SetArgs),
}

#[derive(clap::Args)]
struct StatusArgs {
    #[command(flatten)]
    data: DataArg,
}

#[derive(clap::Args)]
struct SetArgs {
    #[command(flatten)]
    data: DataArg,
    /// The user.
    user: String,
    /// Language of the user's notifications and e-mails (default: unchanged).
    #[arg(long, value_parser = ["ar", "fr", "en"])]
    lang: Option<String>,
    /// Time zone, a tz database name, e.g. Africa/Casablanca (default: unchanged).
    #[arg(long)]
    tz: Option<String>,
    /// E-mail address; "" for none, in-app notifications only (default: unchanged).
    #[arg(long)]
    email: Option<String>,
    /// A trigger to turn off (repeatable); the others keep their setting.
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(lajna_node::notify::triggers::TRIGGERS))]
    off: Vec<String>,
    /// A trigger to turn back on (repeatable).
    #[arg(long, value_parser = clap::builder::PossibleValuesParser::new(lajna_node::notify::triggers::TRIGGERS))]
    on: Vec<String>,
}

/// Runs `lajna notify`.
pub async fn run(args: Args) -> Result<ExitCode> {
    match args.command {
        Some(Sub::Status(s)) => status(s).await,
        Some(Sub::Set(s)) => set(s).await,
        None if args.dry_run => dry_run(&args.data, args.at).await,
        None => anyhow::bail!("say what: `lajna notify --dry-run`, `lajna notify status` or `lajna notify set`"),
    }
}

async fn dry_run(data: &DataArg, at: Option<Timestamp>) -> Result<ExitCode> {
    let node = data.open().await?;
    // The scheduler's own clock when no instant is given (the reference date's on the demo).
    let now = match at {
        Some(at) => at,
        None => crate::mail::Clock::for_node(&node)?.at(0),
    };
    let due = node.notifications_due(now).await?;
    let contacts = node.contacts().await?;
    let mailing = crate::mail::smtp_url(&node).is_some();
    println!("at {now}: {} notification(s) due (already made ones are stored once and not sent again)", due.len());
    for k in due {
        let email = contacts.iter().find(|c| c.user.username == k.recipient).map(|c| c.email.as_str()).unwrap_or("");
        let to = match (email.is_empty(), mailing) {
            (true, _) => "in-app only".to_string(),
            (false, true) => format!("e-mail {email}"),
            (false, false) => format!("in-app only (e-mail {email} once notify.smtp_url is set)"),
        };
        println!(
            "{}\t{}\t{}\t{}\t{to}",
            k.trigger,
            k.recipient,
            if k.record.is_empty() { "-" } else { &k.record },
            k.version
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn status(args: StatusArgs) -> Result<ExitCode> {
    let node = args.data.open().await?;
    let s = node.outbox_status().await?;
    // The server (host and port, never the credentials), or why nothing leaves.
    let server = match crate::mail::smtp_url(&node) {
        Some(url) => url.rsplit_once('@').map_or(url.as_str(), |(_, host)| host).to_string(),
        None => "not configured (notify.smtp_url / LAJNA_SMTP_URL unset): no e-mail is sent, \
                 notifications are in-app only and the e-mails stay waiting"
            .to_string(),
    };
    println!(
        "e-mail server: {server}\nnotifications: {}\ne-mails waiting: {}\ne-mails sent: {}\ndead letters: {}",
        s.notifications,
        s.waiting,
        s.sent,
        s.dead.len()
    );
    let catalog = lajna_i18n::Catalog::load();
    let now = Timestamp::now();
    for r in &s.retrying {
        let k = &r.notification.key;
        println!(
            "retrying\t#{}\t{}\t{}\tattempts {}\tnext {}\t{}",
            r.notification.id,
            k.trigger,
            k.recipient,
            r.attempts,
            r.next_attempt,
            r.last_error.replace(['\r', '\n'], " ")
        );
    }
    for d in &s.dead {
        let k = &d.notification.key;
        let to = render_row(&node, d, &catalog, now).await?.map(|r| r.to).unwrap_or_default();
        println!(
            "dead\t#{}\t{}\t{}\t{}\tattempts {}\tat {}\t{}",
            d.notification.id,
            k.trigger,
            k.recipient,
            to,
            d.attempts,
            d.dead_at.as_deref().unwrap_or(""),
            d.last_error.replace(['\r', '\n'], " ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn set(args: SetArgs) -> Result<ExitCode> {
    let node = args.data.open().await?;
    // What is not given keeps its stored value (the profile page may have set it).
    let Some(now) = node.contact(&args.user).await? else {
        eprintln!("no user {:?} on this node", args.user);
        return Ok(ExitCode::from(1));
    };
    let lang = match &args.lang {
        Some(l) => lajna_domain::Lang::parse(l)?,
        None => now.lang,
    };
    let tz = args.tz.unwrap_or(now.tz);
    let email = args.email.unwrap_or(now.email);
    let mut off: BTreeSet<String> = now.off;
    off.extend(args.off);
    for t in &args.on {
        off.remove(t);
    }
    node.set_contact(&args.user, lang, &tz, &email, &off).await.context("lajna notify set")?;
    let off = if off.is_empty() { "none".to_string() } else { off.into_iter().collect::<Vec<_>>().join(", ") };
    println!(
        "{}: {} · {} · {} · triggers off: {off}",
        args.user,
        lang.code(),
        tz,
        if email.is_empty() { "-" } else { &email }
    );
    Ok(ExitCode::SUCCESS)
}
