//! PDF from a Typst template, with `typst` as a library.
//!
//! The template is a Typst source compiled into the binary; what it shows comes in as virtual files (a JSON of
//! the figures, the charts' SVG), which the template reads with `json(…)` and `image(…)`. Nothing is read from
//! disk but the font, and no package is fetched: a pack is made the same way on a workstation without a network.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::{CjkFont, ReportError};

/// The main file's virtual path.
const MAIN: &str = "/main.typ";

/// A document to typeset: the template and its virtual files.
pub struct Document<'a> {
    /// The Typst source.
    pub template: &'a str,
    /// Files the template reads, by absolute virtual path (`/data.json`, `/charts/trend.svg`).
    pub files: Vec<(String, Vec<u8>)>,
    /// The moment the document is made (its `datetime.today()` and PDF date), Beijing time.
    pub now: DateTime<FixedOffset>,
}

/// Compiles `doc` to PDF with `font`.
pub fn pdf(doc: Document<'_>, font: &CjkFont) -> Result<Vec<u8>, ReportError> {
    let world = Memory::new(doc, font)?;
    let document: PagedDocument = typst::compile(&world)
        .output
        .map_err(|errors| ReportError::Typeset(describe(&errors)))?;
    let now = world.now;
    let options = typst_pdf::PdfOptions {
        timestamp: Datetime::from_ymd_hms(
            now.year(),
            now.month() as u8,
            now.day() as u8,
            now.hour() as u8,
            now.minute() as u8,
            now.second() as u8,
        )
        .map(|d| {
            typst_pdf::Timestamp::new_local(d, now.offset().local_minus_utc() / 60)
                .unwrap_or_else(|| typst_pdf::Timestamp::new_utc(d))
        }),
        ..Default::default()
    };
    typst_pdf::pdf(&document, &options).map_err(|errors| ReportError::Typeset(describe(&errors)))
}

fn describe(errors: &[SourceDiagnostic]) -> String {
    errors
        .iter()
        .map(|e| e.message.to_string())
        .collect::<Vec<_>>()
        .join("；")
}

/// The world a template is compiled in: the standard library, the Chinese font and the given files only.
struct Memory {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: Source,
    files: HashMap<FileId, Bytes>,
    now: DateTime<FixedOffset>,
}

fn file_id(path: &str) -> Result<FileId, ReportError> {
    let vpath = VirtualPath::new(path).map_err(|e| ReportError::Typeset(format!("{path}：{e}")))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl Memory {
    fn new(doc: Document<'_>, font: &CjkFont) -> Result<Self, ReportError> {
        let fonts = font.faces.clone();
        let mut files = HashMap::new();
        for (path, bytes) in doc.files {
            files.insert(file_id(&path)?, Bytes::new(bytes));
        }
        Ok(Memory {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            main: Source::new(file_id(MAIN)?, doc.template.to_string()),
            files,
            now: doc.now,
        })
    }
}

impl World for Memory {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
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
            .ok_or_else(|| FileError::NotFound(id.vpath().get_with_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    fn today(&self, offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        let now = match offset {
            None => self.now,
            Some(o) => {
                let secs = i32::try_from(o.seconds() as i64).ok()?;
                self.now.with_timezone(&FixedOffset::east_opt(secs)?)
            }
        };
        Datetime::from_ymd(now.year(), now.month() as u8, now.day() as u8)
    }
}
