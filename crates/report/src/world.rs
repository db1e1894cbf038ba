//! The typst "world" of one report: its template, its virtual files, the
//! embedded fonts and a fixed date. Nothing is read from disk.

use std::collections::HashMap;
use std::path::PathBuf;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The fonts reports are set in, with typst's index of them.
pub struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

impl Fonts {
    /// The fonts typst ships, embedded in the binary.
    pub fn embedded() -> Self {
        let fonts: Vec<Font> = typst_assets::fonts().flat_map(|data| Font::iter(Bytes::new(data))).collect();
        Fonts { book: LazyHash::new(FontBook::from_fonts(&fonts)), fonts }
    }

    /// How many font faces there are.
    pub fn len(&self) -> usize {
        self.fonts.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.fonts.is_empty()
    }
}

/// One report's world.
pub(crate) struct ReportWorld {
    library: LazyHash<Library>,
    fonts: &'static Fonts,
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Option<(i32, u8, u8)>,
}

/// The id of a file at `path` in the project root.
fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl ReportWorld {
    pub(crate) fn new(
        fonts: &'static Fonts,
        template: &str,
        files: Vec<(&str, Vec<u8>)>,
        today: Option<(i32, u8, u8)>,
    ) -> Self {
        let main_id = file_id("/main.typ").unwrap_or_else(|| unreachable!("a constant, valid path"));
        let files = files
            .into_iter()
            .filter_map(|(name, bytes)| {
                let path = if name.starts_with('/') { name.to_string() } else { format!("/{name}") };
                Some((file_id(&path)?, Bytes::new(bytes)))
            })
            .collect();
        ReportWorld {
            library: LazyHash::new(Library::default()),
            fonts,
            main: Source::new(main_id, template.to_string()),
            files,
            today,
        }
    }
}

impl World for ReportWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        let bytes = self.file(id)?;
        let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
        Ok(Source::new(id, text.to_string()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        self.files
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(PathBuf::from(id.get().vpath().get_with_slash())))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        let (y, m, d) = self.today?;
        Datetime::from_ymd(y, m, d)
    }
}
