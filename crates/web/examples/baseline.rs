//! A trivial axum handler serving a fixed body of N bytes, with the same compression layer as
//! Lajna: the side-by-side baseline of `scripts/bench-web`.
//!
//! `cargo run --release -p lajna-web --example baseline -- BYTES ADDR`

use axum::Router;
use axum::http::header;
use axum::routing::get;
use tower_http::compression::CompressionLayer;

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let bytes: usize = args.next().and_then(|b| b.parse().ok()).unwrap_or(20_000);
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:8099".into());
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
    let body: &'static str = Box::leak(body.into_boxed_str());
    let app = Router::new()
        .route("/", get(move || async move { ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body) }))
        .layer(CompressionLayer::new());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("baseline serving {bytes} bytes on http://{addr}/");
    axum::serve(listener, app).await
}
