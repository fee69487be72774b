//! The Chinese rules of Markdown, as passes over pulldown-cmark's events.
//!
//! 1. **Emphasis next to Chinese punctuation.** CommonMark decides whether
//!    `**` can open or close by the characters around it, and treats `：`,
//!    `“` or `。` like ASCII punctuation: in `**原因分析：**政协机关` the second
//!    `**` (after `：`, before `政`) can neither close nor, worse, stay inert —
//!    it may pair with a later `**` and bolden the wrong words. Chinese has
//!    no spaces between words, so the rule misfires constantly. This pass
//!    undoes every `*` emphasis of a paragraph and pairs the `*` runs again
//!    with the CommonMark algorithm, but with the CJK-friendly flanking rule
//!    (a run next to a CJK character may open or close even when punctuation
//!    is on its other side). Code spans and escaped `\*` are never touched;
//!    `_` emphasis, links and strikethrough are kept as pulldown-cmark made
//!    them and bound the pairing.
//! 2. **Line breaks inside Chinese text.** A soft break between two CJK
//!    characters is dropped instead of becoming a space.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::text::{is_cjk, is_cjk_punctuation};

pub type Spanned<'a> = (Event<'a>, Range<usize>);

/// Beyond this many `*` runs in one paragraph the pass leaves it alone, so
/// that no input can make it slow.
const MAX_RUNS: usize = 2000;

/// Applies both rules to every paragraph-like run of inline events.
pub fn apply<'a>(events: Vec<Spanned<'a>>, src: &'a str) -> Vec<Spanned<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut inline: Vec<Spanned<'a>> = Vec::new();
    for (event, range) in events {
        if is_inline(&event) {
            inline.push((event, range));
        } else {
            flush(&mut inline, &mut out, src);
            out.push((event, range));
        }
    }
    flush(&mut inline, &mut out, src);
    out
}

fn flush<'a>(inline: &mut Vec<Spanned<'a>>, out: &mut Vec<Spanned<'a>>, src: &'a str) {
    if inline.is_empty() {
        return;
    }
    let events = std::mem::take(inline);
    let events = repair_emphasis(events, src);
    out.extend(drop_cjk_soft_breaks(events));
}

fn is_inline(event: &Event<'_>) -> bool {
    match event {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineMath(_)
        | Event::InlineHtml(_)
        | Event::FootnoteReference(_)
        | Event::SoftBreak
        | Event::HardBreak => true,
        Event::Start(tag) => matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(tag) => matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        _ => false,
    }
}

/// One `*` character of the source that may act as a delimiter.
#[derive(Debug, Clone, Copy)]
struct Star {
    pos: usize,
    /// Which kept container (link, strikethrough, ...) it sits in.
    scope: usize,
}

/// A maximal run of adjacent `*` in one scope.
#[derive(Debug)]
struct Run {
    start: usize,
    len: usize,
    scope: usize,
    can_open: bool,
    can_close: bool,
    /// Characters used as openers, taken from the end of the run.
    used_open: usize,
    /// Characters used as closers, taken from the start of the run.
    used_close: usize,
    active: bool,
}

impl Run {
    fn remaining(&self) -> usize {
        self.len - self.used_open - self.used_close
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Open(Kind),
    Close(Kind),
    /// Second character of a `**` already emitted.
    Skip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Em,
    Strong,
}

/// Re-pairs the `*` delimiters of one run of inline events.
fn repair_emphasis<'a>(events: Vec<Spanned<'a>>, src: &'a str) -> Vec<Spanned<'a>> {
    let stars = collect_stars(&events, src);
    if stars.is_empty() {
        return events;
    }
    let mut runs = group_runs(&stars, src);
    if runs.len() > MAX_RUNS {
        return events;
    }
    let marks = pair_runs(&mut runs);
    rebuild(events, src, &marks)
}

/// Whether an event is an emphasis made of `*` (which this pass redoes).
fn star_emphasis(event: &Event<'_>, range: &Range<usize>, src: &str) -> Option<usize> {
    let width = match event {
        Event::Start(Tag::Emphasis) | Event::End(TagEnd::Emphasis) => 1,
        Event::Start(Tag::Strong) | Event::End(TagEnd::Strong) => 2,
        _ => return None,
    };
    (src.as_bytes().get(range.start) == Some(&b'*')).then_some(width)
}

/// Text events that are a verbatim slice of the source, so that their
/// characters map one-to-one to source positions.
fn verbatim(text: &str, range: &Range<usize>, src: &str) -> bool {
    src.get(range.clone()) == Some(text)
}

fn escaped(src: &str, pos: usize) -> bool {
    let backslashes = src.as_bytes()[..pos]
        .iter()
        .rev()
        .take_while(|b| **b == b'\\')
        .count();
    backslashes % 2 == 1
}

fn collect_stars(events: &[Spanned<'_>], src: &str) -> Vec<Star> {
    let mut stars = Vec::new();
    let mut scopes: Vec<usize> = vec![0];
    for (index, (event, range)) in events.iter().enumerate() {
        let scope = *scopes.last().unwrap_or(&0);
        if let Some(width) = star_emphasis(event, range, src) {
            let positions = match event {
                Event::Start(_) => range.start..range.start + width,
                _ => range.end - width..range.end,
            };
            stars.extend(positions.map(|pos| Star { pos, scope }));
            continue;
        }
        match event {
            Event::Text(t) if verbatim(t, range, src) => {
                for (i, _) in t.match_indices('*') {
                    let pos = range.start + i;
                    if !escaped(src, pos) {
                        stars.push(Star { pos, scope });
                    }
                }
            }
            Event::Start(_) => scopes.push(index + 1),
            Event::End(_) => {
                scopes.pop();
                if scopes.is_empty() {
                    scopes.push(0);
                }
            }
            _ => {}
        }
    }
    stars.sort_by_key(|s| s.pos);
    stars
}

fn group_runs(stars: &[Star], src: &str) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for star in stars {
        if let Some(last) = runs.last_mut()
            && last.scope == star.scope
            && last.start + last.len == star.pos
        {
            last.len += 1;
            continue;
        }
        runs.push(Run {
            start: star.pos,
            len: 1,
            scope: star.scope,
            can_open: false,
            can_close: false,
            used_open: 0,
            used_close: 0,
            active: true,
        });
    }
    for run in &mut runs {
        let before = src[..run.start].chars().next_back();
        let after = src[run.start + run.len..].chars().next();
        run.can_open = left_flanking(before, after);
        run.can_close = left_flanking(after, before);
    }
    runs
}

/// CommonMark's left-flanking rule, relaxed next to CJK characters.
/// Right-flanking is the same test with the neighbours swapped.
fn left_flanking(before: Option<char>, after: Option<char>) -> bool {
    let ws = |c: Option<char>| c.is_none_or(char::is_whitespace);
    let punct = |c: Option<char>| c.is_some_and(is_punctuation);
    let cjk = |c: Option<char>| c.is_some_and(is_cjk);
    if ws(after) {
        return false;
    }
    !punct(after) || ws(before) || punct(before) || cjk(before) || cjk(after)
}

fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || is_cjk_punctuation(c)
        || matches!(c, '\u{00A1}'..='\u{00BF}' | '\u{2010}'..='\u{2027}' | '\u{2030}'..='\u{205E}')
}

/// The CommonMark "process emphasis" algorithm over the runs; returns what
/// each used `*` position turns into. An opener gives its innermost (right)
/// characters first and a closer its innermost (left) ones, so emitting the
/// marks in source order nests the tags properly.
fn pair_runs(runs: &mut [Run]) -> HashMap<usize, Mark> {
    let mut marks = HashMap::new();
    for closer in 0..runs.len() {
        if !runs[closer].can_close {
            continue;
        }
        while runs[closer].remaining() > 0 {
            let found = (0..closer).rev().find(|&o| {
                let (op, cl) = (&runs[o], &runs[closer]);
                op.active
                    && op.can_open
                    && op.scope == cl.scope
                    && op.remaining() > 0
                    && !multiple_of_three(op, cl)
            });
            let Some(opener) = found else { break };
            let k = if runs[opener].remaining() >= 2 && runs[closer].remaining() >= 2 {
                2
            } else {
                1
            };
            let kind = if k == 2 { Kind::Strong } else { Kind::Em };
            let op = &runs[opener];
            let open_at = op.start + op.len - op.used_open - k;
            let close_at = runs[closer].start + runs[closer].used_close;
            for (at, mark) in [(open_at, Mark::Open(kind)), (close_at, Mark::Close(kind))] {
                marks.insert(at, mark);
                if k == 2 {
                    marks.insert(at + 1, Mark::Skip);
                }
            }
            runs[opener].used_open += k;
            runs[closer].used_close += k;
            // Delimiters between a matched pair can no longer match.
            let scope = runs[closer].scope;
            for run in &mut runs[opener + 1..closer] {
                if run.scope == scope {
                    run.active = false;
                }
            }
        }
    }
    marks
}

/// CommonMark's "rule of three" for runs that can both open and close.
fn multiple_of_three(opener: &Run, closer: &Run) -> bool {
    (opener.can_close || closer.can_open)
        && (opener.len + closer.len) % 3 == 0
        && !(opener.len % 3 == 0 && closer.len % 3 == 0)
}

fn rebuild<'a>(
    events: Vec<Spanned<'a>>,
    src: &'a str,
    marks: &HashMap<usize, Mark>,
) -> Vec<Spanned<'a>> {
    let mut out = Vec::with_capacity(events.len() + marks.len());
    let emit = |out: &mut Vec<Spanned<'a>>, pos: usize| {
        let range = pos..pos + 1;
        match marks.get(&pos) {
            Some(Mark::Open(Kind::Em)) => out.push((Event::Start(Tag::Emphasis), range)),
            Some(Mark::Open(Kind::Strong)) => out.push((Event::Start(Tag::Strong), range)),
            Some(Mark::Close(Kind::Em)) => out.push((Event::End(TagEnd::Emphasis), range)),
            Some(Mark::Close(Kind::Strong)) => out.push((Event::End(TagEnd::Strong), range)),
            Some(Mark::Skip) => {}
            None => out.push((Event::Text(CowStr::Borrowed("*")), range)),
        }
    };
    for (event, range) in events {
        if let Some(width) = star_emphasis(&event, &range, src) {
            let positions = match event {
                Event::Start(_) => range.start..range.start + width,
                _ => range.end - width..range.end,
            };
            for pos in positions {
                emit(&mut out, pos);
            }
            continue;
        }
        match &event {
            Event::Text(t) if verbatim(t, &range, src) && t.contains('*') => {
                let text: &'a str = &src[range.clone()];
                let mut last = 0;
                for (i, _) in text.match_indices('*') {
                    let pos = range.start + i;
                    if escaped(src, pos) {
                        continue;
                    }
                    if i > last {
                        out.push((
                            Event::Text(CowStr::Borrowed(&text[last..i])),
                            range.start + last..pos,
                        ));
                    }
                    emit(&mut out, pos);
                    last = i + 1;
                }
                if last < text.len() {
                    out.push((
                        Event::Text(CowStr::Borrowed(&text[last..])),
                        range.start + last..range.end,
                    ));
                }
            }
            _ => out.push((event, range)),
        }
    }
    out
}

/// Drops soft breaks with CJK characters on both sides.
fn drop_cjk_soft_breaks<'a>(events: Vec<Spanned<'a>>) -> Vec<Spanned<'a>> {
    let chars: Vec<(Option<char>, Option<char>)> = events
        .iter()
        .map(|(e, _)| match e {
            Event::Text(t) | Event::Code(t) => (t.chars().next(), t.chars().next_back()),
            _ => (None, None),
        })
        .collect();
    let last_before = |i: usize| chars[..i].iter().rev().find_map(|(_, last)| *last);
    let first_after = |i: usize| chars[i + 1..].iter().find_map(|(first, _)| *first);
    events
        .into_iter()
        .enumerate()
        .filter(|(i, (e, _))| {
            !(matches!(e, Event::SoftBreak)
                && last_before(*i).is_some_and(is_cjk)
                && first_after(*i).is_some_and(is_cjk))
        })
        .map(|(_, e)| e)
        .collect()
}
