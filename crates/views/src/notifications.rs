//! Notifications as their recipient reads them (issue 14): one sentence in the reader's
//! language, the record's link, and for the weekly digest its figures. The same model serves
//! the notifications page and the e-mails.
//!
//! What a notification says of its record is [`lajna_door::notify::subject`]: nothing of a
//! RESTRICTED-or-above record, of another party's one-party record or of a record the reader's
//! snapshot does not hold — only "a marked record needs attention" and the link.

use jiff::civil::Date;
use lajna_domain::State;
use lajna_door::auth::User;
use lajna_door::notify::{NotificationRow, Subject, subject};
use lajna_i18n::{Arg, Tr};

use crate::record_path;

/// One notification, ready to show or mail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    /// Number on this node (for "mark as read").
    pub id: i64,
    /// Trigger code (`overdue`, `digest`…).
    pub trigger: String,
    /// Whether its recipient marked it read.
    pub read: bool,
    /// When it was made, RFC 3339 UTC.
    pub at: String,
    /// The sentence, in the reader's language (Fluent's bidi isolation marks removed, so it can
    /// be a mail subject).
    pub text: String,
    /// The path of its record after `/{lang}` (`/actions/{id}`), or of the page it is about.
    pub href: String,
    /// It is about a marked record: the sentence names none of it.
    pub marked: bool,
    /// Further lines (the digest's figures), in the reader's language.
    pub lines: Vec<String>,
}

/// Fluent wraps each placeable in FSI … PDI (U+2068, U+2069): right for HTML, not for a mail
/// subject or a plain-text body.
fn plain(s: String) -> String {
    s.replace(['\u{2068}', '\u{2069}'], "")
}

/// The notice of `row` for `reader`, over the reader's snapshot `state`, on `today` (the
/// reader's date, for the digest's overdue count).
#[must_use]
pub fn notice(state: &State, row: &NotificationRow, reader: &User, tr: Tr<'_>, today: Date) -> Notice {
    let key = &row.key;
    let about = subject(state, &key.record, reader);
    let (title, href, marked) = match &about {
        Subject::Record { kind, id, title } => (title.best(tr.lang).1.to_string(), record_path(*kind, id), false),
        Subject::Marked { kind, id } => (String::new(), record_path(*kind, id), true),
        Subject::Missing => (String::new(), "/record".to_string(), true),
        Subject::None => (String::new(), "/".to_string(), false),
    };
    let mut lines = vec![];
    let text = if marked {
        tr.t("notify-marked")
    } else {
        let mut args = vec![("title", Arg::Text(title))];
        let msg = match key.trigger.as_str() {
            "due-soon" => {
                args.push(("due", Arg::Text(key.version.split('/').next().unwrap_or_default().to_string())));
                "notify-due-soon"
            }
            "overdue" => "notify-overdue",
            "endorse" => "notify-endorse",
            "minutes-late" => "notify-minutes-late",
            "new-action" => "notify-new-action",
            "peer-silent" => {
                args.push(("since", Arg::Text(key.version.clone())));
                "notify-peer-silent"
            }
            _ => {
                args.push(("week", Arg::Text(key.version.clone())));
                let open: Vec<_> = state
                    .actions()
                    .iter()
                    .filter(|(_, a)| a.owner == reader.party && !a.status.is_closed())
                    .map(|(_, a)| a.due)
                    .collect();
                let late = open.iter().filter(|d| **d < today).count();
                lines.push(tr.n("notify-digest-open", "count", i64::try_from(open.len()).unwrap_or(i64::MAX)));
                lines.push(tr.n("notify-digest-overdue", "count", i64::try_from(late).unwrap_or(i64::MAX)));
                "notify-digest"
            }
        };
        tr.catalog.get(tr.lang, msg, &args)
    };
    Notice {
        id: row.id,
        trigger: key.trigger.clone(),
        read: row.read_at.is_some(),
        at: row.created_at.clone(),
        text: plain(text),
        href: if key.trigger == "digest" { "/notifications".into() } else { href },
        marked,
        lines: lines.into_iter().map(plain).collect(),
    }
}

/// Notifications on one page of `/{lang}/notifications`.
pub const PER_PAGE: i64 = 20;

/// One page of a reader's notifications.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticePage {
    /// The notices, newest first.
    pub items: Vec<Notice>,
    /// This page's number, from 1.
    pub page: i64,
    /// How many pages there are (at least 1).
    pub pages: i64,
    /// "Page 2 of 5", in the reader's language.
    pub pager: String,
}

/// Page `page` (from 1) of `reader`'s notifications: `rows` of that page out of `total`
/// ([`lajna_door::Door::notifications`] at offset `(page - 1) * PER_PAGE`), worded over the
/// reader's snapshot `state` on `today`.
#[must_use]
pub fn notice_page(
    state: &State,
    (rows, total): &(Vec<NotificationRow>, i64),
    page: i64,
    reader: &User,
    tr: Tr<'_>,
    today: Date,
) -> NoticePage {
    let items = rows.iter().map(|r| notice(state, r, reader, tr, today)).collect();
    let pages = ((total + PER_PAGE - 1) / PER_PAGE).max(1);
    let pager = tr.catalog.get(tr.lang, "notify-page", &[("page", Arg::Num(page)), ("pages", Arg::Num(pages))]);
    NoticePage { items, page, pages, pager }
}
