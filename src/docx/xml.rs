//! A little XML writer for the parts of the package: elements, attributes
//! and text, escaped, with the characters XML 1.0 cannot hold left out.
//! The parts are small and their shape is fixed, so this is all they need.

use std::fmt::Write;

/// The declaration every part starts with.
const DECLARATION: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// An XML part being written.
#[derive(Debug)]
pub struct Xml(String);

impl Xml {
    /// A part with its declaration.
    pub fn new() -> Xml {
        Xml(String::from(DECLARATION))
    }

    /// `<tag a="v">`.
    pub fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) -> &mut Xml {
        self.start(tag, attrs);
        self.0.push('>');
        self
    }

    /// `<tag a="v"/>`.
    pub fn empty(&mut self, tag: &str, attrs: &[(&str, &str)]) -> &mut Xml {
        self.start(tag, attrs);
        self.0.push_str("/>");
        self
    }

    /// `</tag>`.
    pub fn close(&mut self, tag: &str) -> &mut Xml {
        let _ = write!(self.0, "</{tag}>");
        self
    }

    /// Text content, escaped.
    pub fn text(&mut self, text: &str) -> &mut Xml {
        escape_into(&mut self.0, text, false);
        self
    }

    /// `<tag a="v">text</tag>`.
    pub fn element(&mut self, tag: &str, attrs: &[(&str, &str)], text: &str) -> &mut Xml {
        self.open(tag, attrs).text(text).close(tag)
    }

    pub fn finish(self) -> String {
        self.0
    }

    fn start(&mut self, tag: &str, attrs: &[(&str, &str)]) {
        self.0.push('<');
        self.0.push_str(tag);
        for (name, value) in attrs {
            let _ = write!(self.0, " {name}=\"");
            escape_into(&mut self.0, value, true);
            self.0.push('"');
        }
    }
}

/// Appends `text` escaped; characters XML 1.0 does not allow (control
/// characters but tab and line breaks, lone surrogates cannot occur in a
/// `str`, U+FFFE/U+FFFF) are dropped: a notice may carry one pasted from
/// Word, and one would make the whole document unreadable.
fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\t' | '\n' | '\r' if attribute => {
                let _ = write!(out, "&#{};", c as u32);
            }
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped_and_control_characters_dropped() {
        let mut x = Xml::new();
        x.open("t", &[("a", "\"<&>\"")])
            .text("甲<乙>&丙\u{0001}丁\u{FFFF}")
            .close("t");
        let s = x.finish();
        assert!(s.ends_with("<t a=\"&quot;&lt;&amp;&gt;&quot;\">甲&lt;乙&gt;&amp;丙丁</t>"));
        roxmltree::Document::parse(&s).unwrap();
    }
}
