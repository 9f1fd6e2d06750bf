//! One typed settings tree: defaults in code → `DATA/config.toml` (or the file of `--config`,
//! [`crate::Node::open_with_config`]) → `LAJNA_*` environment variables, validated at start with
//! errors that name the setting.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use lajna_domain::Lang;
use lajna_domain::money::Currency;
use serde::{Deserialize, Serialize};

use crate::error::{NodeError, io};

/// The settings of one node.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address the web server listens on (env `LAJNA_LISTEN`).
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    /// Parties this node writes for; it holds a certified node key for each. A party's own
    /// node lists one; the demo and a joint secretariat list both.
    pub parties: Vec<String>,
    /// Language of `/` (redirects to `/{lang}/`).
    #[serde(default = "default_lang")]
    pub default_language: Lang,
    /// Reference date for "overdue" and "due soon" instead of today's UTC date. Set by the
    /// demo so that its figures do not drift; leave unset in real use (env `LAJNA_TODAY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_date: Option<Date>,
    /// Whether this data directory is the demo committee (shows the illustrative banner).
    #[serde(default)]
    pub demo: bool,
    /// Base URLs of peer nodes that `lajna serve` syncs with in the background
    /// (e.g. `["http://10.20.0.2:8080"]`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peers: Vec<String>,
    /// Seconds between background syncs with each peer.
    #[serde(default = "default_sync_interval")]
    pub sync_interval_seconds: u64,
    /// Largest document file accepted, bytes (env `LAJNA_MAX_DOCUMENT_BYTES`; default 25 MiB).
    #[serde(default = "default_max_document_bytes")]
    pub max_document_bytes: u64,
    /// The roles whose holders administer their party's users in the web (issue 16 item 1:
    /// `/{lang}/users`, `lajna_node::admin`); role codes.
    #[serde(default = "default_user_admins")]
    pub user_admins: Vec<String>,
    /// The roles whose holders must sign in with a second factor (issue 16 item 3: TOTP,
    /// `crate::two_factor`); one who has not enrolled is led to enrolment after the password.
    /// Role codes; default co-chair. Written even when empty (an empty list is not the default).
    #[serde(default = "default_totp_required_roles")]
    pub totp_required_roles: Vec<String>,
    /// TLS certificate chain (PEM, leaf first) that `lajna serve` presents; with `tls_key`, the
    /// server speaks HTTPS only, cookies are `Secure` and answers carry HSTS. A relative path is
    /// read from the data directory. Reloaded on SIGHUP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_certificate: Option<PathBuf>,
    /// The certificate's private key (PEM: PKCS#8, PKCS#1 or SEC1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_key: Option<PathBuf>,
    /// For each `https://` peer (its base URL as in `peers`), the SHA-256 fingerprint of the
    /// certificate it presents (`openssl x509 -noout -fingerprint -sha256`, or `lajna config
    /// fingerprint`): sync trusts exactly that certificate, no CA.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub peer_fingerprints: BTreeMap<String, String>,
    /// Reminders and notifications (issue 14): the triggers, the weekly digest, the SMTP
    /// server and the scheduler's tick ([`crate::notify::Triggers`]).
    #[serde(default)]
    pub notify: crate::notify::Triggers,
    /// The currency of the totals of pledged and delivered values (issue 18 item 2): the
    /// resources page's default, the dashboard's line, the periodic report. An ISO 4217 code of
    /// [`Currency`] (env `LAJNA_REPORTING_CURRENCY`).
    #[serde(default = "default_reporting_currency", deserialize_with = "currency_code")]
    pub reporting_currency: Currency,
    /// The reverse proxies in front of this node (addresses or CIDR networks, e.g.
    /// `["127.0.0.1", "::1"]`): for a connection from one of them, the client is the right-most
    /// address of `X-Forwarded-For` that is not a trusted proxy. Sign-in throttling and the
    /// audit trail then count each visitor apart instead of all at the proxy's address. A header
    /// from any other address is ignored (a client cannot choose its own address).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trusted_proxies: Vec<String>,
}

/// The opening comment of [`Config::example`].
const EXAMPLE_HEADER: &str = "\
# Lajna node settings: DATA/config.toml, or the file named by `--config FILE` (environment:
# LAJNA_CONFIG) of every command that opens a node. A packaged node: /etc/lajna/config.toml,
# which lajna.service and lajna-backup.service pass as --config.
# Each setting is taken from, in order: the default in the code, this file, then the
# environment variable named (LAJNA_*). A commented line shows the default; remove its
# leading `# ` to change it. Unknown settings are refused when the node starts.
";

/// One setting as [`Config::example`] documents it.
struct Setting {
    /// Its key in `config.toml` (the field of [`Config`]).
    key: &'static str,
    /// What it is, its unit, where else it can be set: one comment line each.
    about: &'static [&'static str],
    /// It has no default: the example sets it.
    required: bool,
    /// For a setting unset by default (not written by [`Config::save`]): what unset means and
    /// an example value.
    unset: Option<(&'static str, &'static str)>,
}

/// Every setting of [`Config`], in the order of the example file.
const SETTINGS: &[Setting] = &[
    Setting {
        key: "parties",
        about: &[
            "Parties this node writes for, by party code (e.g. MAR, MLI); it holds a certified",
            "node key for each. A party's own node lists one; the demo and a joint secretariat",
            "list both.",
        ],
        required: true,
        unset: None,
    },
    Setting {
        key: "listen",
        about: &[
            "Address and port the web server listens on (`lajna serve --listen` overrides it for",
            "one run). Environment: LAJNA_LISTEN.",
        ],
        required: false,
        unset: None,
    },
    Setting {
        key: "default_language",
        about: &["Language that `/` redirects to: \"ar\", \"fr\" or \"en\"."],
        required: false,
        unset: None,
    },
    Setting {
        key: "reference_date",
        about: &[
            "Reference date (YYYY-MM-DD) for \"overdue\" and \"due soon\" instead of today's UTC",
            "date. The demo sets it so that its figures do not drift; leave it unset in real use.",
            "Environment: LAJNA_TODAY.",
        ],
        required: false,
        unset: Some(("unset (today's UTC date)", "\"2025-10-01\"")),
    },
    Setting {
        key: "demo",
        about: &["Whether this data directory is the demo committee (pages show the illustrative banner)."],
        required: false,
        unset: None,
    },
    Setting {
        key: "peers",
        about: &[
            "Base URLs of the peer nodes that `lajna serve` syncs with in the background (pull what",
            "this node lacks, push what the peer lacks).",
        ],
        required: false,
        unset: Some(("none (no background sync)", "[\"http://10.20.0.2:8080\"]")),
    },
    Setting {
        key: "sync_interval_seconds",
        about: &["Time between two background syncs with each peer, in seconds."],
        required: false,
        unset: None,
    },
    Setting {
        key: "max_document_bytes",
        about: &[
            "Largest document file accepted, in bytes (26214400 = 25 MiB).",
            "Environment: LAJNA_MAX_DOCUMENT_BYTES.",
        ],
        required: false,
        unset: None,
    },
    Setting {
        key: "user_admins",
        about: &[
            "Roles whose holders administer their own party's users in the web (/users: add with an",
            "activation link, disable, role, clearance, reset link, sessions): role codes among",
            "co-chair and secretary. A secretary still never administers nor makes a co-chair.",
        ],
        required: false,
        unset: None,
    },
    Setting {
        key: "totp_required_roles",
        about: &[
            "Roles whose holders must sign in with a one-time code from an authenticator app",
            "(TOTP) after their password; one who has not enrolled yet is shown the QR code to scan",
            "right after the password. Role codes among co-chair, secretary, action-owner, viewer;",
            "[] lets every user choose (any user may turn it on from the profile page).",
        ],
        required: false,
        unset: None,
    },
    Setting {
        key: "tls_certificate",
        about: &[
            "HTTPS: the certificate chain (PEM file, server certificate first) that `lajna serve`",
            "presents, with tls_key below; the server then speaks HTTPS only, marks cookies Secure",
            "and sends Strict-Transport-Security. A relative path is read from the data directory.",
            "`systemctl reload lajna` (SIGHUP) reads both files again without stopping the server.",
        ],
        required: false,
        unset: Some(("unset (plain HTTP, e.g. behind a reverse proxy)", "\"/etc/lajna/tls/cert.pem\"")),
    },
    Setting {
        key: "tls_key",
        about: &["The private key of tls_certificate (PEM: PKCS#8, PKCS#1 or SEC1), readable by the service only."],
        required: false,
        unset: Some(("unset", "\"/etc/lajna/tls/key.pem\"")),
    },
    Setting {
        key: "peer_fingerprints",
        about: &[
            "For each https:// peer of `peers` (the same base URL), the SHA-256 fingerprint of the",
            "certificate it serves, as `lajna config fingerprint CERT.pem` or `openssl x509 -noout",
            "-fingerprint -sha256 -in CERT.pem` prints it on the peer. Sync trusts exactly that",
            "certificate (no certificate authority) and refuses any other, naming both fingerprints.",
        ],
        required: false,
        unset: Some(("none", EXAMPLE_PIN)),
    },
    Setting {
        key: "notify",
        about: &[
            "Reminders and e-mail (issue 14). due_days: \"due in N days\" reminders; overdue ones",
            "come again every overdue_every_days; minutes not agreed by both parties minutes_days",
            "after a session, and no exchange with the peer for peer_silent_days, are told to the",
            "secretaries; the weekly digest leaves on digest_weekday at digest_time in each user's",
            "time zone. smtp_url = \"smtp://user:password@host:587?tls=required\" (STARTTLS) or",
            "\"smtps://host:465\" (TLS) turns e-mail on; unset, notifications are in-app only.",
            "Environment: LAJNA_SMTP_URL (never logged). public_url: this node's address in the",
            "e-mails' links. tick_seconds: scheduler period; max_attempts: sends before a dead letter.",
        ],
        required: false,
        unset: None,
    },
    Setting {
        key: "reporting_currency",
        about: &[
            "Currency of the totals of pledged and delivered values (resources page, dashboard,",
            "periodic report): EUR, GBP, MAD, USD, XAF or XOF. Amounts in other currencies are",
            "converted at the rates the secretariat enters. Environment: LAJNA_REPORTING_CURRENCY.",
        ],
        required: false,
        unset: None,
    },
    Setting {
        key: "trusted_proxies",
        about: &[
            "Behind a reverse proxy (nginx): its addresses or networks. For a connection from one",
            "of them the visitor is the right-most X-Forwarded-For address that is not a proxy, so",
            "sign-in throttling and the audit trail count each visitor apart. The header is ignored",
            "from any other address. Unset, every visitor is seen at the proxy's address.",
        ],
        required: false,
        unset: Some(("none (X-Forwarded-For is never read)", "[\"127.0.0.1\", \"::1\"]")),
    },
];

/// The example value of `peer_fingerprints` in [`Config::example`].
const EXAMPLE_PIN: &str = "{ \"https://10.20.0.2:8443\" = \"3C:5E:0A:9B:71:D2:4F:88:E6:13:AC:57:90:2B:C4:D8:1F:60:7E:A3:35:B9:CE:02:48:F7:6D:11:9A:E4:53:C0\" }";

/// The default largest document file: 25 MiB.
pub const DEFAULT_MAX_DOCUMENT_BYTES: u64 = 25 * 1024 * 1024;

fn default_max_document_bytes() -> u64 {
    DEFAULT_MAX_DOCUMENT_BYTES
}

fn default_user_admins() -> Vec<String> {
    vec!["co-chair".into(), "secretary".into()]
}

fn default_totp_required_roles() -> Vec<String> {
    vec!["co-chair".into()]
}

/// A currency code as an operator types it: surrounding spaces and lower case accepted, as in
/// `LAJNA_REPORTING_CURRENCY` (signed bodies keep the exact code: `Currency`'s own reader).
fn currency_code<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Currency, D::Error> {
    let code = String::deserialize(d)?;
    Currency::parse(&code).map_err(serde::de::Error::custom)
}

fn default_reporting_currency() -> Currency {
    Currency::MAD
}

fn default_sync_interval() -> u64 {
    60
}

fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
}

fn default_lang() -> Lang {
    Lang::Ar
}

impl Config {
    /// Settings for a node writing for `parties`, with defaults elsewhere.
    #[must_use]
    pub fn new(parties: Vec<String>) -> Self {
        Self {
            listen: default_listen(),
            parties,
            default_language: default_lang(),
            reference_date: None,
            demo: false,
            peers: vec![],
            sync_interval_seconds: default_sync_interval(),
            max_document_bytes: default_max_document_bytes(),
            user_admins: default_user_admins(),
            totp_required_roles: default_totp_required_roles(),
            tls_certificate: None,
            tls_key: None,
            peer_fingerprints: BTreeMap::new(),
            notify: crate::notify::Triggers::default(),
            reporting_currency: default_reporting_currency(),
            trusted_proxies: vec![],
        }
    }

    /// Reads `path`, then applies `LAJNA_LISTEN`, `LAJNA_TODAY` and `LAJNA_MAX_DOCUMENT_BYTES`
    /// from the environment.
    ///
    /// # Errors
    /// [`NodeError::Io`] or [`NodeError::Config`] naming the setting at fault.
    pub fn load(path: &Path) -> Result<Self, NodeError> {
        let text = std::fs::read_to_string(path).map_err(io(path))?;
        let mut config: Config =
            toml::from_str(&text).map_err(|e| NodeError::Config { path: path.into(), message: e.to_string() })?;
        if let Ok(listen) = std::env::var("LAJNA_LISTEN") {
            config.listen = listen.parse().map_err(|_| NodeError::Config {
                path: path.into(),
                message: format!("LAJNA_LISTEN={listen:?} is not an address like 127.0.0.1:8080"),
            })?;
        }
        if let Ok(today) = std::env::var("LAJNA_TODAY") {
            config.reference_date = Some(today.parse().map_err(|_| NodeError::Config {
                path: path.into(),
                message: format!("LAJNA_TODAY={today:?} is not a date like 2025-10-01"),
            })?);
        }
        if let Ok(max) = std::env::var("LAJNA_MAX_DOCUMENT_BYTES") {
            config.max_document_bytes =
                max.trim().parse().ok().filter(|n| *n > 0).ok_or_else(|| NodeError::Config {
                    path: path.into(),
                    message: format!(
                        "LAJNA_MAX_DOCUMENT_BYTES={max:?} is not a positive number of bytes like 26214400"
                    ),
                })?;
        }
        if let Ok(code) = std::env::var("LAJNA_REPORTING_CURRENCY") {
            config.reporting_currency = Currency::parse(&code).map_err(|_| NodeError::Config {
                path: path.into(),
                message: format!(
                    "LAJNA_REPORTING_CURRENCY={code:?} is not a currency Lajna knows: use one of {}",
                    Currency::CODES.join(", ")
                ),
            })?;
        }
        config.check_tls().map_err(|message| NodeError::Config { path: path.into(), message })?;
        config.proxies().map_err(|message| NodeError::Config { path: path.into(), message })?;
        if let Some(bad) = config.user_admins.iter().find(|r| !matches!(r.as_str(), "co-chair" | "secretary")) {
            return Err(NodeError::Config {
                path: path.into(),
                message: format!(
                    "user_admins: {bad:?} is not a role that may administer users: use co-chair and/or secretary"
                ),
            });
        }
        if let Some(bad) = config.totp_required_roles.iter().find(|r| crate::auth::Role::parse(r).is_err()) {
            return Err(NodeError::Config {
                path: path.into(),
                message: format!(
                    "totp_required_roles: {bad:?} is not a role: use co-chair, secretary, action-owner or viewer"
                ),
            });
        }
        if config.parties.is_empty() {
            return Err(NodeError::Config {
                path: path.into(),
                message: "parties: list at least one party code, e.g. parties = [\"MAR\"]".into(),
            });
        }
        Ok(config)
    }

    /// TLS settings: a certificate and its key both or neither; every pinned fingerprint 32
    /// bytes of hex, kept in the `AB:CD:…` form.
    fn check_tls(&mut self) -> Result<(), String> {
        match (&self.tls_certificate, &self.tls_key) {
            (Some(_), None) => return Err("tls_certificate is set but tls_key is not: set both, or neither".into()),
            (None, Some(_)) => return Err("tls_key is set but tls_certificate is not: set both, or neither".into()),
            _ => {}
        }
        for (peer, pin) in &mut self.peer_fingerprints {
            *pin = crate::tls::parse_fingerprint(pin).ok_or_else(|| {
                format!(
                    "peer_fingerprints: {pin:?} (for {peer}) is not a SHA-256 fingerprint like 3C:5E:…:C0 (64 hex digits)"
                )
            })?;
        }
        Ok(())
    }

    /// [`Config::trusted_proxies`] as networks (an address is its own /32 or /128).
    ///
    /// # Errors
    /// The message naming the first entry that is neither an address nor a network.
    pub fn proxies(&self) -> Result<Vec<ipnet::IpNet>, String> {
        self.trusted_proxies
            .iter()
            .map(|p| {
                let p = p.trim();
                p.parse::<ipnet::IpNet>()
                    .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map(|net| net.trunc())
                    .map_err(|_| {
                        format!(
                            "trusted_proxies: {p:?} is not an address or network like \"127.0.0.1\" or \"10.0.0.0/24\""
                        )
                    })
            })
            .collect()
    }

    /// The pinned fingerprint for the peer at `base`, trailing `/` ignored.
    #[must_use]
    pub fn peer_fingerprint(&self, base: &str) -> Option<&str> {
        let base = base.trim_end_matches('/');
        self.peer_fingerprints.iter().find(|(k, _)| k.trim_end_matches('/') == base).map(|(_, v)| v.as_str())
    }

    /// An annotated `config.toml` (`lajna config example`): every setting with what it is, its
    /// unit, where else it can be set and its default. The defaults are those of the code
    /// ([`Config::new`]); `parties`, the one setting without a default, is filled in with
    /// `MAR`, and every other line is a comment, so the file as printed loads as the defaults.
    #[must_use]
    pub fn example() -> String {
        let defaults = toml::Table::try_from(Self::new(vec!["MAR".into()])).unwrap_or_default();
        let mut out = String::from(EXAMPLE_HEADER);
        for setting in SETTINGS {
            out.push('\n');
            for line in setting.about {
                out.push_str(&format!("# {line}\n"));
            }
            match (defaults.get(setting.key), setting.unset) {
                (Some(value), _) if setting.required => {
                    out.push_str(&format!("# Required (no default); for example:\n{} = {value}\n", setting.key));
                }
                (Some(value), _) => out.push_str(&format!("# Default: {value}\n# {} = {value}\n", setting.key)),
                (None, Some((meaning, example))) => {
                    out.push_str(&format!("# Default: {meaning}. For example:\n# {} = {example}\n", setting.key));
                }
                (None, None) => out.push_str(&format!("# {} =\n", setting.key)),
            }
        }
        out
    }

    /// Writes the settings as TOML.
    ///
    /// # Errors
    /// [`NodeError::Io`].
    pub fn save(&self, path: &Path) -> Result<(), NodeError> {
        let text = toml::to_string_pretty(self)
            .map_err(|e| NodeError::Config { path: path.into(), message: e.to_string() })?;
        std::fs::write(
            path,
            format!(
                "# Lajna node settings (`lajna config example` shows every one). Environment variables\n\
                 # LAJNA_* override them (LAJNA_LISTEN, LAJNA_TODAY, LAJNA_MAX_DOCUMENT_BYTES,\n\
                 # LAJNA_REPORTING_CURRENCY, LAJNA_SMTP_URL). Add a setting above the first [table].\n{text}"
            ),
        )
        .map_err(io(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example with every `# key = value` line uncommented.
    fn uncommented(example: &str) -> String {
        example
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if SETTINGS.iter().any(|s| rest.starts_with(&format!("{} = ", s.key))) => rest,
                _ => l,
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The example values of the settings unset by default.
    fn set_unset_options(config: &mut Config) {
        config.reference_date = Some(jiff::civil::date(2025, 10, 1));
        config.peers = vec!["http://10.20.0.2:8080".into()];
        config.trusted_proxies = vec!["127.0.0.1".into(), "::1".into()];
        config.tls_certificate = Some("/etc/lajna/tls/cert.pem".into());
        config.tls_key = Some("/etc/lajna/tls/key.pem".into());
        config.peer_fingerprints = BTreeMap::from([(
            "https://10.20.0.2:8443".into(),
            "3C:5E:0A:9B:71:D2:4F:88:E6:13:AC:57:90:2B:C4:D8:1F:60:7E:A3:35:B9:CE:02:48:F7:6D:11:9A:E4:53:C0".into(),
        )]);
    }

    #[test]
    fn the_reporting_currency_is_read_as_typed() {
        let c: Config = toml::from_str("parties = [\"MAR\"]\nreporting_currency = \" xof \"").unwrap();
        assert_eq!(c.reporting_currency, Currency::XOF);
        let e = toml::from_str::<Config>("parties = [\"MAR\"]\nreporting_currency = \"ABC\"").unwrap_err();
        assert!(e.to_string().contains("\"ABC\" is not known (ISO 4217: EUR, GBP, MAD, USD, XAF, XOF)"), "{e}");
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let mut c = Config::new(vec!["MAR".into()]);
        c.trusted_proxies = vec!["127.0.0.1".into(), " ::1 ".into(), "10.1.2.3/24".into()];
        let nets: Vec<String> = c.proxies().unwrap().iter().map(ToString::to_string).collect();
        assert_eq!(nets, ["127.0.0.1/32", "::1/128", "10.1.2.0/24"]);
        c.trusted_proxies.push("nginx".into());
        assert_eq!(
            c.proxies().unwrap_err(),
            "trusted_proxies: \"nginx\" is not an address or network like \"127.0.0.1\" or \"10.0.0.0/24\""
        );
    }

    #[test]
    fn tls_settings_come_in_pairs_and_pins_are_fingerprints() {
        let mut c = Config::new(vec!["MAR".into()]);
        c.tls_certificate = Some("cert.pem".into());
        assert!(c.check_tls().unwrap_err().contains("tls_key is not"));
        c.tls_key = Some("key.pem".into());
        c.peer_fingerprints.insert("https://p:8443/".into(), "ab".repeat(32));
        c.check_tls().unwrap();
        assert_eq!(c.peer_fingerprint("https://p:8443"), Some(["AB"; 32].join(":").as_str()));
        c.peer_fingerprints.insert("https://q".into(), "abc".into());
        let e = c.check_tls().unwrap_err();
        assert!(e.contains("\"abc\"") && e.contains("https://q"), "{e}");
    }

    #[test]
    fn the_example_loads_as_the_defaults_as_printed_and_with_every_setting_uncommented() {
        let example = Config::example();
        let printed: Config = toml::from_str(&example).unwrap();
        assert_eq!(printed, Config::new(vec!["MAR".into()]));
        let all: Config = toml::from_str(&uncommented(&example)).unwrap();
        let mut expected = Config::new(vec!["MAR".into()]);
        set_unset_options(&mut expected);
        assert_eq!(all, expected, "an uncommented default differs from the code's");
    }

    #[test]
    fn the_example_documents_every_setting_once() {
        let mut full = Config::new(vec!["MAR".into()]);
        // Set the options that are not written when unset, so that every field is a key.
        set_unset_options(&mut full);
        let keys: Vec<String> = toml::Table::try_from(full).unwrap().keys().cloned().collect();
        let example = Config::example();
        for key in &keys {
            let lines =
                example.lines().filter(|l| l.trim_start_matches("# ").starts_with(&format!("{key} = "))).count();
            assert_eq!(lines, 1, "{key} has {lines} example lines in\n{example}");
        }
        assert_eq!(SETTINGS.len(), keys.len(), "a setting of the example is not a field of Config");
    }
}
