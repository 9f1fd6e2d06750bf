//! Concatenates `locales/{lang}/*.ftl` (sorted by file name) into one catalogue per language in
//! `OUT_DIR`, so each part of the UI keeps its messages in its own file.

use std::path::Path;

/// Where the catalogues live, relative to this crate.
const LOCALES: &str = "locales";

fn main() {
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    println!("cargo:rerun-if-changed={LOCALES}");
    for lang in ["ar", "fr", "en"] {
        let dir = Path::new(LOCALES).join(lang);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .collect();
        files.sort();
        let mut text = String::new();
        for f in files {
            println!("cargo:rerun-if-changed={}", f.display());
            text.push_str(&std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display())));
            text.push('\n');
        }
        std::fs::write(Path::new(&out).join(format!("{lang}.ftl")), text).expect("write catalogue");
    }
}
