//! The reminders' cost (issue 14, BENCHMARKS.md): one scheduler tick over 2,000 actions and 50
//! users, and e-mails rendered per second.
//!
//! `cargo run --release -j2 -p lajna-cli --example notify_bench [-- ACTIONS USERS]` (defaults
//! 2,000 and 50). Builds the one-node demo in a temporary directory, adds ACTIONS illustrative
//! actions, then users up to USERS in all (action owners linked to new members, who lead the
//! actions in turn), each with a zone and an address. Then, at a fixed instant (Monday
//! 2026-03-23 07:00 UTC, the digest's hour in Casablanca):
//!
//! - baselines in the same run: the operator's snapshot alone (`Node::read_all`, the fold
//!   the tick reads) and the trigger rule alone (`triggers::due`, pure);
//! - the first tick (`Node::notify_tick`: computes and stores every notification with its
//!   outbox row, one transaction) and the steady tick (the same instant again: nothing new,
//!   what the scheduler pays every minute), medians of 5;
//! - rendering: each outbox e-mail as the mailer builds it (recipient's settings, snapshot,
//!   words, text + HTML, lettre message with RFC 2047 subject, formatted to bytes), beside the
//!   lettre message of an already rendered e-mail alone.
//!
//! The mailer's code is the binary's own `src/mail.rs`, compiled into this example.

use std::time::Instant;

use jiff::Timestamp;
use lajna_demo as demo;
use lajna_domain::{Actor, Command, Lang, PartyCode, RecordKind};
use lajna_i18n::Catalog;
use lajna_node::notify::triggers::{self, Recipient};
use serde_json::json;

#[allow(dead_code, reason = "the scheduler's loop is not benchmarked")]
#[path = "../src/mail.rs"]
mod mail;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>().expect("a number"));
    let (actions, users) = (args.next().unwrap_or(2000), args.next().unwrap_or(50));
    let dir = tempfile::tempdir().expect("temp dir");
    let node = demo::build(&dir.path().join("data")).await.expect("demo");
    let t = Instant::now();
    demo::add_actions(&node, actions).await.expect("actions");
    // Users up to `users`: action owners of both parties, each linked to a member who leads
    // every n-th action.
    let extra = users.saturating_sub(demo::DEMO_USERS.len());
    let mut members = vec![];
    for n in 0..extra {
        let party = if n % 2 == 0 { "MAR" } else { "MLI" };
        let actor = Actor { party: PartyCode::parse(party).unwrap(), member: None };
        let m = json!({"party": party, "role": "expert", "name": {"fr": format!("Officier {n}")}});
        let id = node.execute(&actor, &Command::RegisterMember(serde_json::from_value(m).unwrap())).await.unwrap();
        let id = id[0].to_hex();
        node.put_user(&format!("officer-{n}"), party, "action-owner", Some(&id), "bench-password-Rabat-2026")
            .await
            .unwrap();
        members.push((party, id));
    }
    let state = node.read_all().await;
    let mut led = 0;
    for (i, (id, a)) in state.actions().iter().enumerate() {
        let Some((party, member)) = members.iter().filter(|(p, _)| *p == a.owner.as_str()).nth(i % (extra / 2).max(1))
        else {
            continue;
        };
        let actor = Actor { party: PartyCode::parse(party).unwrap(), member: None };
        let set = serde_json::from_value(json!({"lead": member})).unwrap();
        node.execute(&actor, &Command::Revise { kind: RecordKind::Action, id: id.clone(), set }).await.unwrap();
        led += 1;
    }
    let zones = ["Africa/Casablanca", "Africa/Bamako", "Europe/Paris", "UTC"];
    let contacts = node.contacts().await.unwrap();
    for (i, c) in contacts.iter().enumerate() {
        let lang = [Lang::Ar, Lang::Fr, Lang::En][i % 3];
        let email = format!("{}@example.org", c.user.username);
        node.set_contact(&c.user.username, lang, zones[i % zones.len()], &email, &Default::default()).await.unwrap();
    }
    let contacts = node.contacts().await.unwrap();
    println!(
        "setup: {} actions ({} added, {led} given a lead), {} users, in {:.0} ms",
        state.actions().len(),
        actions,
        contacts.len(),
        ms(t)
    );

    let now: Timestamp = "2026-03-23T07:00:00Z".parse().unwrap();
    let recipients: Vec<Recipient> = contacts
        .iter()
        .map(|c| Recipient {
            username: c.user.username.clone(),
            party: c.user.party.clone(),
            role: c.user.role,
            member: c.user.member.clone(),
            tz: lajna_domain::tzdb().get(&c.tz).unwrap(),
            off: c.off.clone(),
        })
        .collect();
    let mut read = vec![];
    let mut rule = vec![];
    let mut due = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let s = node.read_all().await;
        read.push(ms(t));
        let t = Instant::now();
        due = triggers::due(&s, &recipients, now, None, &node.config.notify).len();
        rule.push(ms(t));
    }
    println!("baseline: snapshot alone (read_all)            {:>8.2} ms (median of 5)", median(read));
    println!("baseline: trigger rule alone ({due} keys)    {:>8.2} ms (median of 5)", median(rule));
    let t = Instant::now();
    let made = node.notify_tick(now).await.unwrap().len();
    println!("first tick: {made} notifications stored           {:>8.2} ms", ms(t));
    let mut steady = vec![];
    for _ in 0..5 {
        let t = Instant::now();
        assert!(node.notify_tick(now).await.unwrap().is_empty());
        steady.push(ms(t));
    }
    println!("steady tick (nothing new)                      {:>8.2} ms (median of 5)", median(steady));

    let catalog = Catalog::load();
    let rows = node.outbox_due(now, i64::MAX).await.unwrap();
    let t = Instant::now();
    let mut bytes = 0;
    let mut rendered = vec![];
    for row in &rows {
        let r = mail::render_row(&node, row, &catalog, now).await.unwrap().unwrap();
        let id = lajna_node::notify::message_id(&row.notification.key, "example.org");
        bytes += mail::message(&r, "lajna@example.org", now, id).unwrap().formatted().len();
        rendered.push(r);
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "rendered {} e-mails ({:.0} bytes each) in {:.0} ms: {:.0} e-mails/s",
        rows.len(),
        bytes as f64 / rows.len() as f64,
        secs * 1000.0,
        rows.len() as f64 / secs
    );
    let t = Instant::now();
    for r in &rendered {
        let _ = mail::message(r, "lajna@example.org", now, "<x@example.org>".into()).unwrap().formatted();
    }
    let secs = t.elapsed().as_secs_f64();
    println!("baseline: lettre message + bytes alone          {:.0} e-mails/s", rendered.len() as f64 / secs);
}
