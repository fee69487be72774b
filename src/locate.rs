//! Where a mistake found after loading is in a notice's file.
//!
//! The model and the lints find some mistakes only once the notices are
//! loaded: a duplicate slug, a `follows` that leads nowhere, a broken link
//! in a problem's text. The notice keeps the text it was read from; this
//! module is the one place that turns a front-matter field (or a line) of
//! that text into a positioned [`Diagnostic`].

use crate::content::Notice;
use crate::diagnostic::{Code, Diagnostic};
use crate::yaml::Seg;

/// A mistake about the front-matter field at `path` of a notice, found
/// after loading (a duplicate slug, a broken link in a problem's text): it
/// is placed with the text kept at load time. `needle`, if given and found
/// after the field, refines the position.
pub fn field(
    code: Code,
    notice: &Notice,
    path: &[Seg<'_>],
    needle: Option<&str>,
    message: impl Into<String>,
) -> Diagnostic {
    let d = Diagnostic::error(code, &notice.source, message);
    let source = &notice.text;
    let text: &str = &source.text;
    let Some((line, column)) = crate::yaml::locate(source.yaml(), path) else {
        return if text.is_empty() {
            d
        } else {
            d.at(1, 1).with_source(text)
        };
    };
    let line = line + source.yaml_line - 1;
    let d = d.at(line, column).with_source_in(&source.lines());
    let field_start = crate::diagnostic::offset_of(text, line, column).unwrap_or(0);
    match needle.and_then(|n| text[field_start..].find(n).map(|i| (i, n))) {
        Some((i, n)) => Diagnostic {
            source_line: None,
            ..d
        }
        .at_offset(text, field_start + i)
        .width(n.chars().count()),
        None => d,
    }
}

/// A mistake at a line and column of a notice's file.
pub fn line(
    code: Code,
    notice: &Notice,
    line: usize,
    column: usize,
    message: impl Into<String>,
) -> Diagnostic {
    Diagnostic::error(code, &notice.source, message)
        .at(line, column)
        .with_source_in(&notice.text.lines())
}
