//! Reminders by e-mail (issue 14 items 3 and 5): the scheduler that `lajna serve` runs, one
//! tick at a time — store the notifications due now ([`Node::notify_tick`]), then send the
//! outbox's e-mails due now, each once: accepted → sent; refused for good (SMTP 5xx) or after
//! `max_attempts` → dead letter (`lajna notify status`); else retried after 1, 2, 4 … minutes
//! (at most 6 hours). Messages are plain text plus HTML in the recipient's language
//! (`dir="rtl"` for Arabic), subjects encoded per RFC 2047 by lettre, control characters of a
//! title (CR, LF) turned into spaces before they reach a header.
//!
//! The SMTP URL (with its credentials) comes from `LAJNA_SMTP_URL` or `notify.smtp_url`; it is
//! never logged, and errors kept in the outbox are the server's replies only.

use std::time::Duration;

use anyhow::{Context, Result};
use jiff::Timestamp;
use lajna_i18n::{Catalog, Tr};
use lajna_node::Node;
use lajna_node::notify::{Contact, OutboxRow, message_id};
use lajna_views::notifications::{Notice, notice};
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::sync::watch;

/// Where "now" comes from: the wall clock, or a simulated one (`LAJNA_NOTIFY_NOW`, for tests and
/// `--dry-run --at`), so that what a tick does never depends on when the test runs.
#[derive(Clone, Copy, Debug)]
pub enum Clock {
    /// `Timestamp::now()`.
    Wall,
    /// The node's reference date (`reference_date`, set by the demo) at the wall clock's UTC
    /// time of day: the reminders then agree with the pages, whose "today" is that date.
    Reference(jiff::civil::Date),
    /// `start` at the first tick and `step` later at each next one (a zero step: always
    /// `start`). A restarted process starts again at its own `start`.
    Simulated {
        /// The instant of the first tick.
        start: Timestamp,
        /// How far the clock moves from one tick to the next.
        step: jiff::SignedDuration,
    },
}

impl Clock {
    /// The clock of this process: `LAJNA_NOTIFY_NOW` (RFC 3339) when set, moved on by
    /// `LAJNA_NOTIFY_STEP` seconds (default 0) at each tick; else the wall clock.
    ///
    /// # Errors
    /// A `LAJNA_NOTIFY_NOW` that is not an RFC 3339 instant, a `LAJNA_NOTIFY_STEP` that is not
    /// a whole number of seconds.
    pub fn from_env() -> Result<Self> {
        let Ok(t) = std::env::var("LAJNA_NOTIFY_NOW") else { return Ok(Self::Wall) };
        let start = t.parse().context("LAJNA_NOTIFY_NOW: not an RFC 3339 instant")?;
        let step = match std::env::var("LAJNA_NOTIFY_STEP") {
            Ok(s) => s.parse::<i64>().context("LAJNA_NOTIFY_STEP: not a number of seconds")?,
            Err(_) => 0,
        };
        Ok(Self::Simulated { start, step: jiff::SignedDuration::from_secs(step) })
    }

    /// The clock of `node`: [`Clock::from_env`] when `LAJNA_NOTIFY_NOW` is set, else the
    /// reference date's ([`Clock::Reference`]) when the config has one, else the wall clock.
    ///
    /// # Errors
    /// As [`Clock::from_env`].
    pub fn for_node(node: &Node) -> Result<Self> {
        match (Self::from_env()?, node.config.reference_date) {
            (Self::Wall, Some(date)) => Ok(Self::Reference(date)),
            (clock, _) => Ok(clock),
        }
    }

    /// The instant of tick `n` (0 for the first).
    #[must_use]
    pub fn at(self, n: u32) -> Timestamp {
        match self {
            Self::Wall => Timestamp::now(),
            Self::Reference(date) => {
                let second_of_day = Timestamp::now().as_second().rem_euclid(86_400);
                let midnight = format!("{date}T00:00:00Z").parse::<Timestamp>().unwrap_or_else(|_| Timestamp::now());
                midnight.saturating_add(jiff::SignedDuration::from_secs(second_of_day)).unwrap_or(midnight)
            }
            Self::Simulated { start, step } => {
                start.saturating_add(step * i32::try_from(n).unwrap_or(i32::MAX)).unwrap_or(start)
            }
        }
    }
}

/// The SMTP URL: `LAJNA_SMTP_URL`, else the config's `notify.smtp_url`.
#[must_use]
pub fn smtp_url(node: &Node) -> Option<String> {
    std::env::var("LAJNA_SMTP_URL").ok().filter(|u| !u.is_empty()).or_else(|| node.config.notify.smtp_url.clone())
}

/// One e-mail, rendered.
#[derive(Clone, Debug)]
pub struct Rendered {
    /// Recipient address.
    pub to: String,
    /// The recipient's notification preferences (their profile page): the last line of every
    /// e-mail and its `List-Unsubscribe` header (RFC 2369).
    pub prefs: String,
    /// Subject, one line.
    pub subject: String,
    /// Plain-text body.
    pub text: String,
    /// HTML body.
    pub html: String,
}

/// A text with every control character (CR, LF, tab…) turned into a space: one header line.
fn one_line(s: &str) -> String {
    s.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The e-mail of notice `n` for `to`, links under `base` (the node's public URL).
#[must_use]
pub fn render(n: &Notice, to: &Contact, base: &str, catalog: &Catalog) -> Rendered {
    let tr = Tr { catalog, lang: to.lang };
    let plain = |k: &str| tr.t(k).replace(['\u{2068}', '\u{2069}'], "");
    let lang = to.lang.code();
    let link = format!("{}/{lang}{}", base.trim_end_matches('/'), n.href);
    let prefs = format!("{}/{lang}/profile#prefs", base.trim_end_matches('/'));
    let subject = one_line(&n.text);
    let mut text = format!("{}\n\n{}\n", plain("notify-mail-intro"), n.text);
    for l in &n.lines {
        text.push_str(&format!("- {l}\n"));
    }
    text.push_str(&format!("\n{} {link}\n\n{} {prefs}\n", plain("notify-mail-link"), plain("notify-mail-prefs")));
    let lines: String = n.lines.iter().map(|l| format!("<li>{}</li>", escape(l))).collect();
    let html = format!(
        "<!doctype html><html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\"><title>{s}</title></head>\
         <body><p>{intro}</p><p><strong>{s}</strong></p>{list}<p>{open} <a href=\"{l}\">{l}</a></p>\
         <p><small>{p} <a href=\"{pl}\">{pl}</a></small></p></body></html>",
        dir = to.lang.dir(),
        s = escape(&n.text),
        intro = escape(&plain("notify-mail-intro")),
        list = if lines.is_empty() { String::new() } else { format!("<ul>{lines}</ul>") },
        open = escape(&plain("notify-mail-link")),
        l = escape(&link),
        p = escape(&plain("notify-mail-prefs")),
        pl = escape(&prefs),
    );
    Rendered { to: to.email.clone(), prefs, subject, text, html }
}

/// The message of `r` from `from`, dated `date`, with Message-ID `id` ([`message_id`]).
///
/// # Errors
/// An address that does not parse, or a message lettre refuses to build.
pub fn message(r: &Rendered, from: &str, date: Timestamp, id: String) -> Result<Message> {
    let from: Mailbox = from.parse().context("notify.mail_from")?;
    let to: Mailbox = r.to.parse().with_context(|| format!("address {:?}", r.to))?;
    // RFC 2369: mail clients offer "unsubscribe", which opens the preferences.
    let unsubscribe =
        HeaderValue::new(HeaderName::new_from_ascii_str("List-Unsubscribe"), format!("<{}>", one_line(&r.prefs)));
    Ok(Message::builder()
        .from(from)
        .to(to)
        .subject(r.subject.clone())
        .date(std::time::SystemTime::try_from(date).unwrap_or_else(|_| std::time::SystemTime::now()))
        .message_id(Some(id))
        .raw_header(unsubscribe)
        .multipart(MultiPart::alternative_plain_html(r.text.clone(), r.html.clone()))?)
}

/// The domain of the Message-IDs: the From address's.
fn id_domain(from: &str) -> &str {
    from.rsplit('@').next().unwrap_or("localhost").trim_end_matches('>')
}

/// The e-mail of outbox row `row`, rendered for its recipient as of `now` (the digest counts
/// what is overdue on the recipient's date then); `None` when the recipient is gone,
/// disabled or without an address.
///
/// # Errors
/// Store errors.
pub async fn render_row(node: &Node, row: &OutboxRow, catalog: &Catalog, now: Timestamp) -> Result<Option<Rendered>> {
    let Some(to) = node.contact(&row.notification.key.recipient).await? else { return Ok(None) };
    if to.email.is_empty() || to.user.party.as_str().is_empty() {
        return Ok(None);
    }
    let snapshot = node.read(&to.user).await;
    let tz = lajna_domain::tzdb().get(&to.tz).unwrap_or(jiff::tz::TimeZone::UTC);
    let today = now.to_zoned_datetime(tz).date();
    let notification = lajna_node::door::notification(row.notification.clone());
    let n = notice(&snapshot, &notification, &to.user, Tr { catalog, lang: to.lang }, today);
    Ok(Some(render(&n, &to, &node.config.notify.public_url, catalog)))
}

/// The wait before attempt `attempts + 1`: 1, 2, 4 … minutes, at most 6 hours.
#[must_use]
pub fn backoff(attempts: i64) -> Duration {
    let minutes = 1u64 << attempts.clamp(0, 9);
    Duration::from_secs((minutes * 60).min(6 * 3600))
}

/// What one tick did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TickReport {
    /// Notifications stored.
    pub made: usize,
    /// E-mails accepted by the server.
    pub sent: usize,
    /// Attempts that failed and will be retried.
    pub retried: usize,
    /// E-mails given up (dead letters).
    pub dead: usize,
}

/// One tick at `now`: store the notifications due, then send the e-mails due (when an SMTP
/// URL is set), one at a time, until `stop` turns true: the e-mail in flight is always
/// recorded first, so a restart never sends it again.
///
/// # Errors
/// Store errors; an SMTP URL that does not parse.
pub async fn tick(node: &Node, now: Timestamp, catalog: &Catalog, stop: &watch::Receiver<bool>) -> Result<TickReport> {
    let mut report = TickReport { made: node.notify_tick(now).await?.len(), ..TickReport::default() };
    let Some(url) = smtp_url(node) else { return Ok(report) };
    // The URL holds credentials: its parse error is reported without it.
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
        .map_err(|_| anyhow::anyhow!("notify.smtp_url / LAJNA_SMTP_URL is not a valid SMTP URL"))?
        .timeout(Some(Duration::from_secs(30)))
        .build();
    let settings = &node.config.notify;
    for row in node.outbox_due(now, 100).await? {
        if *stop.borrow() {
            break;
        }
        let id = row.notification.id;
        let message_id = message_id(&row.notification.key, id_domain(&settings.mail_from));
        let sent = match render_row(node, &row, catalog, now).await? {
            None => Err((true, "no address".to_string())),
            Some(r) => match message(&r, &settings.mail_from, now, message_id) {
                Err(e) => Err((true, format!("{e:#}"))),
                Ok(m) => transport.send(m).await.map(|_| ()).map_err(|e| (e.is_permanent(), e.to_string())),
            },
        };
        match sent {
            Ok(()) => {
                node.outbox_sent(id, now).await?;
                report.sent += 1;
            }
            Err((permanent, error)) => {
                let dead = permanent || row.attempts + 1 >= settings.max_attempts;
                let next = now + backoff(row.attempts);
                node.outbox_failed(id, &error, now, next, dead).await?;
                if dead {
                    report.dead += 1;
                } else {
                    report.retried += 1;
                    // A server that is down fails every e-mail: try the rest at the next tick.
                    break;
                }
            }
        }
    }
    Ok(report)
}

/// The scheduler inside `lajna serve`: a tick every `notify.tick_seconds` (tick `n` at
/// `clock.at(n)`) until `stop` turns true; then it returns once the e-mail in flight, if any,
/// is recorded.
pub async fn run(node: std::sync::Arc<Node>, clock: Clock, mut stop: watch::Receiver<bool>) {
    let catalog = Catalog::load();
    let every = Duration::from_secs(node.config.notify.tick_seconds.max(1));
    for n in 0.. {
        match tick(&node, clock.at(n), &catalog, &stop).await {
            Ok(r) if r != TickReport::default() => {
                tracing::info!(made = r.made, sent = r.sent, retried = r.retried, dead = r.dead, "notifications")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "notification tick failed; will retry"),
        }
        if *stop.borrow() {
            return;
        }
        tokio::select! {
            () = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lajna_domain::Lang;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn contact(lang: Lang) -> Contact {
        Contact {
            user: lajna_node::auth::User {
                username: "amina".into(),
                party: lajna_domain::PartyCode::parse("MAR").unwrap(),
                role: lajna_node::auth::Role::ActionOwner,
                member: None,
                clearance: lajna_domain::Classification::Restricted,
            },
            lang,
            tz: "Africa/Casablanca".into(),
            email: "amina@example.org".into(),
            off: Default::default(),
        }
    }

    fn notice_of(text: &str) -> Notice {
        Notice {
            id: 1,
            trigger: "overdue".into(),
            read: false,
            at: "2026-03-23T07:00:00Z".into(),
            text: text.into(),
            href: "/actions/ab".into(),
            marked: false,
            lines: vec![],
        }
    }

    /// Python's `email` package reads the message: (Subject decoded, header names, HTML part).
    fn python_reads(bytes: &[u8]) -> String {
        let script = "import sys, email, email.policy\n\
            m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)\n\
            print(str(m['subject']))\n\
            print('|'.join(k.lower() for k in m.keys()))\n\
            print(m.get_body(('html',)).get_content().split('<html ')[1].split('>')[0])\n\
            print(m['list-unsubscribe'], m['message-id'], m['date'].datetime.isoformat())\n\
            print(m.get_body(('plain',)).get_content().strip().splitlines()[-1])";
        let mut child = std::process::Command::new("/usr/bin/python3")
            .args(["-c", script])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(child.stdin.as_mut().unwrap(), bytes).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    }

    #[test]
    fn the_arabic_subject_decodes_back_exactly_and_the_html_is_right_to_left() {
        let catalog = Catalog::load();
        let subject = "تذكير: إجراء «تدريب 12 ضابطاً» متأخر";
        let r = render(&notice_of(subject), &contact(Lang::Ar), "https://lajna.example.ma", &catalog);
        let bytes = message(&r, "Lajna <lajna@example.ma>", ts("2026-03-23T07:00:00Z"), "<a1@example.ma>".into())
            .unwrap()
            .formatted();
        assert!(bytes.is_ascii(), "headers and bodies are encoded");
        let read = python_reads(&bytes);
        let mut lines = read.lines();
        assert_eq!(lines.next(), Some(subject));
        lines.next();
        assert_eq!(lines.next(), Some("lang=\"ar\" dir=\"rtl\""));
        // The preferences (profile) link: a header for the mail client and the last line.
        let prefs = "https://lajna.example.ma/ar/profile#prefs";
        assert_eq!(lines.next(), Some(format!("<{prefs}> <a1@example.ma> 2026-03-23T07:00:00+00:00").as_str()));
        assert!(lines.next().unwrap().ends_with(&format!(" {prefs}")));
    }

    #[test]
    fn cr_lf_in_a_title_cannot_add_a_header() {
        let catalog = Catalog::load();
        let title = "Rappel : l'action « X\r\nBcc: victim@example.org\r\nX-Evil: 1 » est en retard";
        let r = render(&notice_of(title), &contact(Lang::Fr), "https://lajna.example.ma", &catalog);
        let bytes =
            message(&r, "lajna@example.ma", ts("2026-03-23T07:00:00Z"), "<a1@example.ma>".into()).unwrap().formatted();
        let read = python_reads(&bytes);
        let mut lines = read.lines();
        assert_eq!(lines.next(), Some("Rappel : l'action « X  Bcc: victim@example.org  X-Evil: 1 » est en retard"));
        let headers = lines.next().unwrap();
        assert!(!headers.split('|').any(|h| h == "bcc" || h == "x-evil"), "{headers}");
    }

    #[test]
    fn a_simulated_clock_moves_by_its_step_at_each_tick() {
        let start = ts("2026-02-16T07:59:00Z");
        let clock = Clock::Simulated { start, step: jiff::SignedDuration::from_secs(60) };
        assert_eq!((clock.at(0), clock.at(1)), (start, ts("2026-02-16T08:00:00Z")));
        let fixed = Clock::Simulated { start, step: jiff::SignedDuration::ZERO };
        assert_eq!(fixed.at(1000), start);
    }

    #[test]
    fn the_message_id_is_one_per_notification_and_from_the_sender_s_domain() {
        let key = |recipient: &str| lajna_node::notify::NotificationKey {
            trigger: "overdue".into(),
            record: "ab".into(),
            version: "2026-03-20/0".into(),
            recipient: recipient.into(),
        };
        let domain = id_domain("Lajna <lajna@lajna.mar.example>");
        assert_eq!(domain, "lajna.mar.example");
        let id = message_id(&key("amina"), domain);
        assert_eq!(id, message_id(&key("amina"), domain));
        assert_ne!(id, message_id(&key("oumar"), domain));
        assert!(id.starts_with('<') && id.ends_with("@lajna.mar.example>") && id.len() == 32 + 20, "{id}");
    }

    #[test]
    fn retries_back_off_to_six_hours() {
        assert_eq!(backoff(0).as_secs(), 60);
        assert_eq!(backoff(3).as_secs(), 480);
        assert_eq!(backoff(20).as_secs(), 6 * 3600);
    }
}
