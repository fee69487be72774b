//! The Chinese rules of Markdown, as passes over pulldown-cmark's events.
//!
//! 1. **Emphasis next to Chinese punctuation.** CommonMark decides whether
//!    `**` can open or close by the characters around it, and treats `：`,
//!    `“` or `。` like ASCII punctuation: in `**原因分析：**政协机关` the second
//!    `**` (after `：`, before `政`) can neither close nor, worse, stay inert —
//!    it may pair with a later `**` and bolden the wrong words. Chinese has
//!    no spaces between words, so the rule misfires constantly. In a
//!    paragraph (heading, list item, table cell) where a delimiter run of
//!    `*`, `_` or `~` touches a CJK character, this pass undoes the
//!    emphasis and strikethrough made of them and pairs the runs again, with
//!    pulldown-cmark's own rules plus one: a run next to a CJK character may
//!    open or close even when punctuation is on its other side. Anywhere
//!    else the events stay exactly as pulldown-cmark made them.
//!
//!    Only the text of the paragraph is read: code blocks, HTML blocks,
//!    code spans, autolinks, raw HTML and link destinations are never
//!    touched, escaped delimiters stay literal, and a run never pairs across
//!    a link's boundary. The start of a line (after a block quote's `>` or a
//!    table's `|`) counts as the start of the text, as CommonMark says.
//! 2. **Line breaks inside Chinese text.** A soft break between two CJK
//!    characters is dropped instead of becoming a space.
//!
//! Both passes take time linear in the events (the pairing looks back at
//! most [`MAX_RUNS`] runs).

use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

use crate::text::is_cjk;

pub type Spanned<'a> = (Event<'a>, Range<usize>);

/// Beyond this many delimiter runs in one paragraph the pass leaves it as
/// pulldown-cmark made it, so that no input can make it slow.
const MAX_RUNS: usize = 2000;

/// Applies both rules to the text of every paragraph-like block.
pub fn apply<'a>(events: impl IntoIterator<Item = Spanned<'a>>, src: &'a str) -> Vec<Spanned<'a>> {
    Apply::new(events.into_iter(), src).collect()
}

/// [`apply`] as the events come: only one block's inline events are held
/// at a time, so a notice of millions of paragraphs is never held whole.
pub struct Apply<'a, I> {
    events: I,
    src: &'a str,
    /// What is ready to give out, in order.
    ready: VecDeque<Spanned<'a>>,
    /// The inline events of the block being read.
    inline: Vec<Spanned<'a>>,
    /// Inside a code block or an HTML block, text is kept as it is.
    verbatim: usize,
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Apply<'a, I> {
    pub fn new(events: I, src: &'a str) -> Self {
        Apply {
            events,
            src,
            ready: VecDeque::new(),
            inline: Vec::new(),
            verbatim: 0,
        }
    }

    /// Moves the block's inline events, with the rules applied, to `ready`.
    fn flush(&mut self) {
        if self.inline.is_empty() {
            return;
        }
        let events = std::mem::take(&mut self.inline);
        let events = repair_emphasis(events, self.src);
        self.ready.extend(drop_cjk_soft_breaks(events));
    }
}

impl<'a, I: Iterator<Item = Spanned<'a>>> Iterator for Apply<'a, I> {
    type Item = Spanned<'a>;

    fn next(&mut self) -> Option<Spanned<'a>> {
        while self.ready.is_empty() {
            let Some((event, range)) = self.events.next() else {
                self.flush();
                break;
            };
            match &event {
                Event::Start(Tag::CodeBlock(_) | Tag::HtmlBlock) => {
                    self.flush();
                    self.verbatim += 1;
                    self.ready.push_back((event, range));
                }
                Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock) => {
                    self.verbatim = self.verbatim.saturating_sub(1);
                    self.ready.push_back((event, range));
                }
                _ if self.verbatim > 0 => self.ready.push_back((event, range)),
                _ if is_inline(&event) => self.inline.push((event, range)),
                _ => {
                    self.flush();
                    self.ready.push_back((event, range));
                }
            }
        }
        self.ready.pop_front()
    }
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

/// One delimiter character of the source (`*`, `_` or `~`).
#[derive(Debug, Clone, Copy)]
struct Delim {
    pos: usize,
    c: u8,
    /// Which link or image it sits in (0: none).
    scope: usize,
}

/// A maximal run of one delimiter character in one scope.
#[derive(Debug)]
struct Run {
    start: usize,
    len: usize,
    c: u8,
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

    fn end(&self) -> usize {
        self.start + self.len
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Open(Kind),
    Close(Kind),
    /// A further character of a delimiter already emitted.
    Skip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Em,
    Strong,
    Strike,
}

impl Kind {
    fn start(self) -> Event<'static> {
        Event::Start(match self {
            Kind::Em => Tag::Emphasis,
            Kind::Strong => Tag::Strong,
            Kind::Strike => Tag::Strikethrough,
        })
    }

    fn end(self) -> Event<'static> {
        Event::End(match self {
            Kind::Em => TagEnd::Emphasis,
            Kind::Strong => TagEnd::Strong,
            Kind::Strike => TagEnd::Strikethrough,
        })
    }
}

/// Re-pairs the delimiters of one block's text, when a run touches a CJK
/// character; otherwise returns the events as they are.
fn repair_emphasis<'a>(events: Vec<Spanned<'a>>, src: &'a str) -> Vec<Spanned<'a>> {
    let delims = collect_delims(&events, src);
    if delims.is_empty() {
        return events;
    }
    let bounds = Bounds::new(&events, src);
    let mut runs = group_runs(&delims, src, &bounds);
    if runs.len() > MAX_RUNS || !runs.iter().any(|r| touches_cjk(r, src, &bounds)) {
        return events;
    }
    let marks = pair_runs(&mut runs);
    rebuild(events, src, &marks)
}

/// The delimiter character an emphasis or strikethrough event is made of,
/// and how many of it, when this pass redoes it.
fn delimiter_tag(event: &Event<'_>, range: &Range<usize>, src: &str) -> Option<(u8, usize)> {
    let first = *src.as_bytes().get(range.start)?;
    match (event, first) {
        (Event::Start(Tag::Emphasis) | Event::End(TagEnd::Emphasis), b'*' | b'_') => {
            Some((first, 1))
        }
        (Event::Start(Tag::Strong) | Event::End(TagEnd::Strong), b'*' | b'_') => Some((first, 2)),
        (Event::Start(Tag::Strikethrough) | Event::End(TagEnd::Strikethrough), b'~') => {
            let width = src.as_bytes()[range.start..]
                .iter()
                .take_while(|b| **b == b'~')
                .count();
            Some((b'~', width.min(2)))
        }
        _ => None,
    }
}

/// The source positions of an event's delimiters: at the start of its
/// range for a start tag, at the end for an end tag.
fn delimiter_positions(event: &Event<'_>, range: &Range<usize>, width: usize) -> Range<usize> {
    match event {
        Event::Start(_) => range.start..range.start + width,
        _ => range.end - width..range.end,
    }
}

/// The part of the source an event itself stands for: its text, or the
/// delimiters of an emphasis; `None` for the tags of links and images,
/// whose ranges cover their whole content.
fn own_span(event: &Event<'_>, range: &Range<usize>, src: &str) -> Option<Range<usize>> {
    if let Some((_, width)) = delimiter_tag(event, range, src) {
        return Some(delimiter_positions(event, range, width));
    }
    match event {
        Event::Start(_) | Event::End(_) => None,
        _ => Some(range.clone()),
    }
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

fn is_delimiter(b: u8) -> bool {
    matches!(b, b'*' | b'_' | b'~')
}

/// Whether `text` has an [`is_delimiter`] byte: most text has none, and
/// this looks for them with SIMD.
fn has_delimiter(text: &str) -> bool {
    memchr::memchr3(b'*', b'_', b'~', text.as_bytes()).is_some()
}

fn collect_delims(events: &[Spanned<'_>], src: &str) -> Vec<Delim> {
    let mut delims = Vec::new();
    let mut scopes: Vec<usize> = vec![0];
    // Inside an autolink, the text is an address: never emphasis.
    let mut autolink = 0usize;
    for (index, (event, range)) in events.iter().enumerate() {
        let scope = *scopes.last().unwrap_or(&0);
        if let Some((c, width)) = delimiter_tag(event, range, src) {
            let positions = delimiter_positions(event, range, width);
            delims.extend(positions.map(|pos| Delim { pos, c, scope }));
            continue;
        }
        match event {
            Event::Text(t) if autolink == 0 && has_delimiter(t) && verbatim(t, range, src) => {
                for i in memchr::memchr3_iter(b'*', b'_', b'~', t.as_bytes()) {
                    let pos = range.start + i;
                    if !escaped(src, pos) {
                        delims.push(Delim {
                            pos,
                            c: t.as_bytes()[i],
                            scope,
                        });
                    }
                }
            }
            Event::Start(Tag::Link { link_type, .. }) => {
                if matches!(link_type, LinkType::Autolink | LinkType::Email) {
                    autolink += 1;
                }
                scopes.push(index + 1);
            }
            Event::End(TagEnd::Link) => {
                autolink = autolink.saturating_sub(1);
                scopes.pop();
            }
            Event::Start(_) => scopes.push(index + 1),
            Event::End(_) => {
                scopes.pop();
            }
            _ => {}
        }
        if scopes.is_empty() {
            scopes.push(0);
        }
    }
    delims.sort_by_key(|d| d.pos);
    delims
}

/// Where the text of a block starts and ends a line: there, a delimiter run
/// has nothing before (or after) it, whatever the source holds (a block
/// quote's `>`, a table's `|`, the indentation of a list).
struct Bounds {
    starts: HashSet<usize>,
    ends: HashSet<usize>,
}

impl Bounds {
    /// Lines start at the start of the block and after each line break;
    /// they end before each break and at the end of the block.
    fn new(events: &[Spanned<'_>], src: &str) -> Bounds {
        let mut starts = HashSet::new();
        let mut ends = HashSet::new();
        let mut line_start = true;
        let mut last_end = None;
        for (event, range) in events {
            if matches!(event, Event::SoftBreak | Event::HardBreak) {
                ends.extend(last_end.take());
                line_start = true;
                continue;
            }
            let Some(own) = own_span(event, range, src) else {
                continue;
            };
            if line_start {
                starts.insert(own.start);
                line_start = false;
            }
            last_end = Some(own.end);
        }
        ends.extend(last_end);
        Bounds { starts, ends }
    }

    /// The characters before and after a run, `None` at a line's edge.
    fn around(&self, src: &str, start: usize, end: usize) -> (Option<char>, Option<char>) {
        let before = (!self.starts.contains(&start))
            .then(|| src[..start].chars().next_back())
            .flatten();
        let after = (!self.ends.contains(&end))
            .then(|| src[end..].chars().next())
            .flatten();
        (before, after)
    }
}

fn touches_cjk(run: &Run, src: &str, bounds: &Bounds) -> bool {
    let (before, after) = bounds.around(src, run.start, run.end());
    before.is_some_and(is_cjk) || after.is_some_and(is_cjk)
}

fn group_runs(delims: &[Delim], src: &str, bounds: &Bounds) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for d in delims {
        if let Some(last) = runs.last_mut()
            && last.scope == d.scope
            && last.c == d.c
            && last.end() == d.pos
        {
            last.len += 1;
            continue;
        }
        runs.push(Run {
            start: d.pos,
            len: 1,
            c: d.c,
            scope: d.scope,
            can_open: false,
            can_close: false,
            used_open: 0,
            used_close: 0,
            active: true,
        });
    }
    for run in &mut runs {
        let (before, after) = bounds.around(src, run.start, run.end());
        // pulldown-cmark reads `~~~` and longer as text, never as a delimiter.
        let valid = run.c != b'~' || run.len <= 2;
        run.can_open = valid && can_open(run.c, run.len, before, after);
        run.can_close = valid && can_close(run.c, run.len, before, after);
    }
    runs
}

/// pulldown-cmark's rule for a run that may open (left-flanking, and not
/// inside a word for `_` and `~`), and the Chinese one: next to a CJK
/// character, a run may open.
fn can_open(c: u8, len: usize, before: Option<char>, after: Option<char>) -> bool {
    let Some(next) = after.filter(|n| !n.is_whitespace()) else {
        return false;
    };
    if is_cjk(next) || before.is_some_and(is_cjk) {
        return true;
    }
    if (c == b'*' && !is_punctuation(next)) || (c == b'~' && len > 1) {
        return true;
    }
    match before {
        None => true,
        Some(previous) => {
            (c == b'~' && previous == '~' && !is_punctuation(next))
                || previous.is_whitespace()
                || is_punctuation(previous)
        }
    }
}

/// pulldown-cmark's rule for a run that may close, and the Chinese one.
fn can_close(c: u8, len: usize, before: Option<char>, after: Option<char>) -> bool {
    let Some(previous) = before.filter(|p| !p.is_whitespace()) else {
        return false;
    };
    let Some(next) = after else {
        return true;
    };
    if is_cjk(previous) || is_cjk(next) {
        return true;
    }
    if (c == b'*' || (c == b'~' && len > 1)) && !is_punctuation(previous) {
        return true;
    }
    (c == b'~' && previous == '~') || next.is_whitespace() || is_punctuation(next)
}

/// Punctuation and symbols, as CommonMark counts them (Unicode categories
/// P and S).
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || (!c.is_ascii()
            && matches!(
                c.general_category_group(),
                GeneralCategoryGroup::Punctuation | GeneralCategoryGroup::Symbol
            ))
}

/// The CommonMark "process emphasis" algorithm over the runs (with
/// pulldown-cmark's strikethrough, whose runs pair only with runs of the
/// same length); returns what each used delimiter position turns into. An
/// opener gives its innermost (right) characters first and a closer its
/// innermost (left) ones, so emitting the marks in source order nests the
/// tags properly.
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
                    && op.c == cl.c
                    && op.scope == cl.scope
                    && op.remaining() > 0
                    && if cl.c == b'~' {
                        op.len == cl.len
                    } else {
                        !multiple_of_three(op, cl)
                    }
            });
            let Some(opener) = found else { break };
            let (kind, k) = if runs[closer].c == b'~' {
                (Kind::Strike, runs[closer].len)
            } else if runs[opener].remaining() >= 2 && runs[closer].remaining() >= 2 {
                (Kind::Strong, 2)
            } else {
                (Kind::Em, 1)
            };
            let op = &runs[opener];
            let open_at = op.start + op.len - op.used_open - k;
            let close_at = runs[closer].start + runs[closer].used_close;
            for (at, mark) in [(open_at, Mark::Open(kind)), (close_at, Mark::Close(kind))] {
                marks.insert(at, mark);
                for skip in 1..k {
                    marks.insert(at + skip, Mark::Skip);
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
        && (opener.len + closer.len).is_multiple_of(3)
        && !(opener.len.is_multiple_of(3) && closer.len.is_multiple_of(3))
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
            Some(Mark::Open(kind)) => out.push((kind.start(), range)),
            Some(Mark::Close(kind)) => out.push((kind.end(), range)),
            Some(Mark::Skip) => {}
            None => out.push((Event::Text(CowStr::Borrowed(&src[pos..pos + 1])), range)),
        }
    };
    let mut autolink = 0usize;
    for (event, range) in events {
        if let Some((_, width)) = delimiter_tag(&event, &range, src) {
            for pos in delimiter_positions(&event, &range, width) {
                emit(&mut out, pos);
            }
            continue;
        }
        match &event {
            Event::Start(Tag::Link {
                link_type: LinkType::Autolink | LinkType::Email,
                ..
            }) => autolink += 1,
            Event::End(TagEnd::Link) => autolink = autolink.saturating_sub(1),
            _ => {}
        }
        match &event {
            Event::Text(t) if autolink == 0 && has_delimiter(t) && verbatim(t, &range, src) => {
                let text: &'a str = &src[range.clone()];
                let mut last = 0;
                for (i, b) in text.bytes().enumerate() {
                    let pos = range.start + i;
                    if !is_delimiter(b) || escaped(src, pos) {
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
    let ends = |e: &Event<'_>| match e {
        Event::Text(t) | Event::Code(t) => (t.chars().next(), t.chars().next_back()),
        _ => (None, None),
    };
    // The last character of the text before each event, and the first
    // after it: one pass each way.
    let mut before = Vec::with_capacity(events.len());
    let mut last = None;
    for (e, _) in &events {
        before.push(last);
        if let (_, Some(c)) = ends(e) {
            last = Some(c);
        }
    }
    let mut after = vec![None; events.len()];
    let mut first = None;
    for (i, (e, _)) in events.iter().enumerate().rev() {
        after[i] = first;
        if let (Some(c), _) = ends(e) {
            first = Some(c);
        }
    }
    events
        .into_iter()
        .enumerate()
        .filter(|(i, (e, _))| {
            !(matches!(e, Event::SoftBreak)
                && before[*i].is_some_and(is_cjk)
                && after[*i].is_some_and(is_cjk))
        })
        .map(|(_, e)| e)
        .collect()
}
