//! A trivial axum handler serving a fixed body of N bytes, with the same compression layer as
//! Lajna: the side-by-side baseline of `scripts/bench-web`.
//!
//! `cargo run --release -p lajna-web --example baseline -- BYTES ADDR`, or `-- FILE ADDR` to
//! serve the bytes of FILE (a page as Lajna sent it: the same bytes, compressed alike;
//! `scripts/bench-load`). JSON when FILE's first byte is `[` or `{`, else HTML.

use axum::Router;
use axum::http::header;
use axum::routing::get;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let first = args.next().unwrap_or_else(|| "20000".into());
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8099".into());
    let file = first.parse::<usize>().is_err().then(|| std::fs::read_to_string(&first)).transpose()?;
    let bytes: usize = file.as_ref().map_or_else(|| first.parse().unwrap_or(20_000), String::len);
    // Text that compresses like a page: repeated table rows with varying numbers.
    let mut body = String::with_capacity(bytes);
    let mut n = 0;
    while body.len() < bytes {
        body.push_str(&format!(
            "<tr><td>row {n}</td><td>{}</td><td>2025-{:02}-{:02}</td></tr>\n",
            n * 7 % 101,
            n % 12 + 1,
            n % 28 + 1
        ));
        n += 1;
    }
    body.truncate(bytes);
    let body = file.unwrap_or(body);
    let kind = if body.starts_with(['[', '{']) { "application/json" } else { "text/html; charset=utf-8" };
    let body: &'static str = Box::leak(body.into_boxed_str());
    let app = Router::new()
        .route("/", get(move || async move { ([(header::CONTENT_TYPE, kind)], body) }))
        .layer(lajna_web::compression());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("baseline serving {bytes} bytes on http://{addr}/");
    axum::serve(listener, app).await
}
