//! The smallest typst `World` that compiles one report: the template as the main source, the
//! report's data (`/data.json`) and charts (`/charts/*.svg`) as in-memory files, and the fonts
//! shipped in this crate. Nothing is read from disk and nothing is downloaded: a path the
//! report does not provide (a package import, `@preview/…`, any other file) is "not found".

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The report's fonts: Amiri (SIL Open Font Licence 1.1, `fonts/OFL.txt`), regular and bold.
/// Amiri covers Arabic and Latin, so French and English use it too.
const FONTS: [&[u8]; 2] = [include_bytes!("../fonts/Amiri-Regular.ttf"), include_bytes!("../fonts/Amiri-Bold.ttf")];

/// The template, typst markup. It reads everything it shows from `/data.json`.
const TEMPLATE: &str = include_str!("report.typ");

struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

/// Library and fonts are parsed once per process.
fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let fonts: Vec<Font> = FONTS.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
        Shared {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

fn id(path: &str) -> FileId {
    // Paths are ours and well formed; a failure would be a defect caught by the tests.
    let vpath = VirtualPath::new(path).unwrap_or_else(|e| panic!("virtual path {path}: {e:?}"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

/// One compilation's world.
pub(crate) struct ReportWorld {
    main: Source,
    files: HashMap<FileId, Bytes>,
}

impl ReportWorld {
    /// A world whose main file is the template and whose other files are `files` (absolute
    /// virtual paths such as `/data.json`).
    pub(crate) fn new(files: Vec<(String, Vec<u8>)>) -> Self {
        Self::with_template(TEMPLATE, files)
    }

    /// A world whose main file is `template` (another embedded template, e.g. the PV's).
    pub(crate) fn with_template(template: &str, files: Vec<(String, Vec<u8>)>) -> Self {
        let main = Source::new(id("/main.typ"), template.to_string());
        let files = files.into_iter().map(|(path, bytes)| (id(&path), Bytes::new(bytes))).collect();
        Self { main, files }
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &shared().library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &shared().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        Err(not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        shared().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // The report never asks typst for the date: the caller's generation time is in the data.
        None
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(PathBuf::from(id.vpath().get_with_slash()))
}
