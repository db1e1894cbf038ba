//! A little over quick-xml: elements with attributes, text, and removal of
//! characters XML 1.0 cannot carry.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::borrow::Cow;
use std::io::{self, Write};

/// Text without the control characters XML 1.0 forbids.
pub(crate) fn clean(s: &str) -> Cow<'_, str> {
    let bad = |c: char| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}');
    if s.chars().any(bad) { Cow::Owned(s.chars().filter(|&c| !bad(c)).collect()) } else { Cow::Borrowed(s) }
}

/// Writes XML with one-space indentation.
pub(crate) struct Xml<W: Write> {
    writer: Writer<W>,
}

impl<W: Write> Xml<W> {
    pub(crate) fn new(out: W) -> io::Result<Self> {
        let mut writer = Writer::new_with_indent(out, b' ', 1);
        writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        Ok(Xml { writer })
    }

    fn start(name: &str, attrs: &[(&str, &str)]) -> BytesStart<'static> {
        let mut e = BytesStart::new(name.to_string());
        for (k, v) in attrs {
            e.push_attribute((*k, clean(v).as_ref()));
        }
        e
    }

    /// `<name attrs…>`
    pub(crate) fn open(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.writer.write_event(Event::Start(Self::start(name, attrs)))
    }

    /// `</name>`
    pub(crate) fn close(&mut self, name: &str) -> io::Result<()> {
        self.writer.write_event(Event::End(BytesEnd::new(name.to_string())))
    }

    /// `<name attrs…/>`
    pub(crate) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.writer.write_event(Event::Empty(Self::start(name, attrs)))
    }

    /// `<name attrs…>text</name>`
    pub(crate) fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) -> io::Result<()> {
        self.writer.write_event(Event::Start(Self::start(name, attrs)))?;
        self.writer.write_event(Event::Text(BytesText::new(clean(text).as_ref())))?;
        self.writer.write_event(Event::End(BytesEnd::new(name.to_string())))
    }

    /// Ends the document with a newline.
    pub(crate) fn finish(mut self) -> io::Result<()> {
        self.writer.get_mut().write_all(b"\n")
    }
}
