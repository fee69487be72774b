//! All YAML handling lives here, so that the YAML crate stays easy to change.
//!
//! [`read`] reads a document into a type with every mistake, each at its
//! place: the usual document in one pass of the [`fast`] reader; any other
//! through the YAML crate (`yaml_serde`), behind the [`depth`] guard; a
//! document that does not fit its type through [`collect`], which finds
//! every wrong field on the document's value tree and reads the rest.
//! [`syntax`] says what is wrong with text that is not YAML, [`wording`]
//! what is wrong with a field, [`locate`] where a field is (also for the
//! model's and lints' mistakes), and [`fields`] has the serde helpers
//! fields are read with. `cargo bench --bench yaml` measures each.

pub(crate) mod collect;
pub(crate) mod depth;
pub(crate) mod fast;
mod fields;
pub(crate) mod locate;
pub(crate) mod path;
mod syntax;
mod twice;
mod typing;
mod wording;

use serde::de::DeserializeOwned;
use serde_yaml::Value;

pub use fields::{names_of, one_or_many, required, text};
pub use locate::{locate, locate_key};
pub use path::{Seg, Step};
pub use syntax::unwritable;
pub use wording::closest;

/// How many mistakes of one document are listed one by one. More are
/// counted, and the first of them is listed with how many more there are:
/// a clerk fixes a few dozen at a time, and placing each mistake reads
/// the text once more, which a document of 200,000 wrong fields would
/// make take minutes.
const MAX_ERRORS: usize = 20;

/// A YAML document that could not be read into the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line and character column inside the YAML text.
    pub line: usize,
    pub column: usize,
    pub kind: YamlErrorKind,
    /// The field it is about, as `problems[2].number`, when known.
    pub path: Option<String>,
    /// What is wrong, in Chinese.
    pub message: String,
    pub help: Option<String>,
    /// Further mistakes of the document that this one stands for, not
    /// listed one by one (see [`MAX_ERRORS`]).
    pub unlisted: usize,
}

impl YamlError {
    /// A mistake of the text's form (not of a field's value), with its fix.
    pub(crate) fn syntax(
        line: usize,
        column: usize,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> YamlError {
        YamlError {
            line,
            column,
            kind: YamlErrorKind::Syntax,
            path: None,
            message: message.into(),
            help: Some(help.into()),
            unlisted: 0,
        }
    }
}

/// What kind of mistake a [`YamlError`] is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlErrorKind {
    /// Not YAML: indentation, quotes, brackets, nesting too deep.
    Syntax,
    /// A required field is not there.
    MissingField(String),
    /// A field the structure does not have.
    UnknownField(String),
    /// A value that is not one of a fixed set.
    UnknownVariant(String),
    /// A field written twice.
    DuplicateField(String),
    /// A value of the wrong type or form.
    InvalidValue,
}

/// A document read into `T` as far as it could be, and every mistake.
#[derive(Debug)]
pub struct Reading<T> {
    /// `T` with the wrong fields left out (as if not written), so that the
    /// rest can be checked too; `None` when the text is not YAML, or the
    /// document as a whole is not what `T` needs.
    pub value: Option<T>,
    /// Every mistake, in the order of the text.
    pub errors: Vec<YamlError>,
    /// The parts of the document left out of `value`.
    pub left_out: LeftOut,
}

/// The parts of a document left out of a [`Reading`] because they are
/// wrong: what checks `value` must not report a second time.
#[derive(Debug, Default)]
pub struct LeftOut(Vec<Vec<Step>>);

impl LeftOut {
    /// Whether the field at `path` is, or is inside, a part left out.
    pub fn covers(&self, path: &[Seg<'_>]) -> bool {
        self.0.iter().any(|part| path::starts_with(path, part))
    }
}

impl<T> Reading<T> {
    fn whole(value: T) -> Reading<T> {
        Reading {
            value: Some(value),
            errors: Vec::new(),
            left_out: LeftOut::default(),
        }
    }

    fn failed(error: YamlError) -> Reading<T> {
        Reading::failed_at(vec![error])
    }

    fn failed_at(errors: Vec<YamlError>) -> Reading<T> {
        Reading {
            value: None,
            errors,
            left_out: LeftOut::default(),
        }
    }
}

/// Reads `text` into `T`. Every mistake is reported, each at its place,
/// not only the first one: a YAML syntax error stops the reading, but
/// fields of the wrong type or name are all found, and the rest of the
/// document is read.
pub fn read<T: DeserializeOwned>(text: &str) -> Reading<T> {
    // The usual case, a good document in the YAML front matter is written
    // in: one pass over its lines, straight into `T`. (That reader stops
    // at a depth far below the guard's, so the guard can come after it.)
    if let Some(t) = fast::read::<T>(text) {
        return Reading::whole(t);
    }
    let unseen = syntax::unseen_characters(text);
    if !unseen.is_empty() {
        return Reading::failed_at(unseen);
    }
    if let Err((line, column)) = depth::check(text) {
        return Reading::failed(syntax::too_deep(line, column));
    }
    // Only an escape in quotes can write a control character that the
    // text itself does not have.
    if text.contains('\\')
        && let Ok(tree) = serde_yaml::from_str::<Value>(text)
    {
        let escaped = syntax::escaped_unseen(text, &tree);
        if !escaped.is_empty() {
            return Reading::failed_at(escaped);
        }
    }
    if let Ok(t) = serde_yaml::from_str::<T>(text) {
        return Reading::whole(t);
    }
    let (tree, twice) = match serde_yaml::from_str::<Value>(text) {
        Ok(tree) => (tree, Vec::new()),
        // A key written twice is reported beside the other mistakes, not
        // instead of them.
        Err(e) if syntax::is_duplicate(&e) => match twice::tree(text) {
            Ok(read) => read,
            Err(e) => return not_yaml(text, &e),
        },
        Err(e) => return not_yaml(text, &e),
    };
    let listed_twice = twice.len().min(MAX_ERRORS);
    let collected = collect::every_mistake::<T>(&tree, MAX_ERRORS - listed_twice);
    let mut errors: Vec<YamlError> = twice[..listed_twice]
        .iter()
        .map(|t| syntax::twice(text, t))
        .collect();
    errors.extend(collected.found.iter().map(|f| placed(text, f)));
    errors.sort_by_key(|e| (e.line, e.column));
    let more = &collected.more;
    let next = match (&more.next, twice.get(listed_twice)) {
        (Some(found), _) => Some(placed(text, found)),
        (None, Some(t)) => Some(syntax::twice(text, t)),
        (None, None) => None,
    };
    if let Some(next) = next {
        let count = more.count + twice.len() - listed_twice;
        errors.push(unlisted(next, count, more.exact));
    }
    Reading {
        value: collected.value,
        errors,
        left_out: LeftOut(collected.left_out),
    }
}

/// The mistakes of a text the YAML reader could not read: the typing
/// mistakes that explain it, each where it is, or else what the reader
/// says, in Chinese.
fn not_yaml<T>(text: &str, e: &serde_yaml::Error) -> Reading<T> {
    let failed_at = e.location().map_or(usize::MAX, |l| l.line());
    let mut typed = typing::mistakes(text, failed_at);
    if typed.is_empty() {
        return Reading::failed(syntax::error(text, e));
    }
    if typed.len() > MAX_ERRORS {
        let past = typed.split_off(MAX_ERRORS);
        let count = past.len();
        if let Some(next) = past.into_iter().next() {
            typed.push(unlisted(next, count, true));
        }
    }
    Reading::failed_at(typed)
}

/// Reads `text` into `T`, or gives every mistake.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, Vec<YamlError>> {
    let reading = read(text);
    match reading.value {
        Some(value) if reading.errors.is_empty() => Ok(value),
        _ => Err(reading.errors),
    }
}

/// The error for a wrong field, at its place in `text`: the key of a field
/// the structure does not have, the value of any other.
fn placed(text: &str, found: &collect::Found) -> YamlError {
    let mut error = wording::field_error(&path::shown(&found.path), &found.mistake);
    let at_key = match &found.mistake {
        collect::Mistake::Unknown { field, .. } => {
            let inside = &found.path[..found.path.len().saturating_sub(1)];
            locate_key(text, &path::segs(inside), field, 1)
        }
        _ => None,
    };
    if let Some((line, column)) = at_key.or_else(|| locate(text, &path::segs(&found.path))) {
        (error.line, error.column) = (line, column);
    }
    error
}

/// The first mistake not listed, saying how many more there are: it
/// stands for them in the totals.
fn unlisted(mut first: YamlError, count: usize, exact: bool) -> YamlError {
    let shown = if exact {
        format!("{count} 个")
    } else {
        format!("至少 {count} 个")
    };
    first.message = format!(
        "这个文件还有 {shown}错误没有一一列出，这是其中的一个：{}",
        first.message
    );
    let fix = first
        .help
        .take()
        .map(|h| format!("{h}\n"))
        .unwrap_or_default();
    first.help = Some(format!(
        "{fix}每个文件一次列出 {MAX_ERRORS} 个错误。改好上面这些、再生成一次，其余的就会列出来；同一种错误很多时，多半是整段写法不对，可以先对照示例改写整段。"
    ));
    first.unlisted = count.saturating_sub(1);
    first
}

/// `text` as a YAML scalar that reads back as itself (quoted when needed).
pub fn scalar(text: &str) -> String {
    serde_yaml::to_string(text)
        .map(|s| s.trim_end().to_string())
        .unwrap_or_else(|_| format!("{text:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        #[serde(default)]
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Item {
        number: u32,
        category: String,
    }

    const TEXT: &str = "title: 标题\nitems:\n  - number: 1\n    category: policy\n  - number: 2\n    category: 政策\n";

    #[test]
    fn locates_values_and_keys_by_path() {
        let path = [Seg::Key("items"), Seg::Index(1), Seg::Key("category")];
        assert_eq!(locate(TEXT, &path), Some((6, 15)));
        assert_eq!(locate(TEXT, &[Seg::Key("title")]), Some((1, 8)));
        assert_eq!(locate(TEXT, &[Seg::Key("nothing")]), None);
        assert_eq!(locate(TEXT, &[Seg::Key("items"), Seg::Index(9)]), None);
    }

    #[test]
    fn type_errors_are_translated_and_located() {
        let e = parse::<Doc>("title: a\nitems:\n  - number: abc\n    category: x\n")
            .unwrap_err()
            .remove(0);
        assert_eq!((e.line, e.column), (3, 13));
        assert!(e.message.contains("items[0].number"), "{}", e.message);
        assert!(e.message.contains("应为整数"), "{}", e.message);
    }

    #[test]
    fn unknown_fields_suggest_the_nearest() {
        let e = parse::<Doc>("title: a\nitems:\n  - number: 1\n    categroy: x\n")
            .unwrap_err()
            .remove(0);
        assert!(e.message.contains("未知字段 categroy"), "{}", e.message);
        let help = e.help.unwrap();
        assert!(help.contains("是不是想写 category"), "{help}");
    }

    #[test]
    fn scalars_round_trip() {
        for text in [
            "关于巡察整改的通报",
            "标题: 带冒号",
            "\"引号\"",
            "# 井号",
            "2021",
            "true",
            "- 列表",
        ] {
            let doc = format!("title: {}\n", scalar(text));
            let back: std::collections::BTreeMap<String, String> = parse(&doc).unwrap();
            assert_eq!(back["title"], text, "{doc}");
        }
    }

    #[test]
    fn missing_fields_are_named() {
        let e = parse::<Doc>("items: []\n").unwrap_err().remove(0);
        assert!(e.message.contains("缺少必填字段 title"), "{}", e.message);
        assert_eq!(e.kind, YamlErrorKind::MissingField("title".into()));
    }

    #[test]
    fn every_wrong_field_is_reported_at_its_place() {
        let text = "title: a\nitems:\n  - number: abc\n    category: x\n  - number: [1]\n    category: y\n    colour: red\nextra: 1\n";
        let errors = parse::<Doc>(text).unwrap_err();
        let places: Vec<(usize, usize)> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(places, [(3, 13), (5, 13), (7, 5), (8, 1)], "{errors:#?}");
        assert!(matches!(&errors[2].kind, YamlErrorKind::UnknownField(f) if f == "colour"));
    }

    #[test]
    fn the_rest_of_a_document_is_read_past_its_mistakes() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Loose {
            #[serde(default)]
            title: Option<String>,
            #[serde(default)]
            summary: Option<String>,
            #[serde(default)]
            items: Vec<LooseItem>,
        }
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct LooseItem {
            #[serde(default)]
            number: Option<u32>,
        }
        let reading =
            read::<Loose>("title: [a]\nsummary: 2021\nitems:\n  - number: 一\n  - number: 2\n");
        let lines: Vec<usize> = reading.errors.iter().map(|e| e.line).collect();
        // A number where text is wanted is not a mistake: the YAML reader
        // reads it as its text.
        assert_eq!(lines, [1, 4], "{:#?}", reading.errors);
        let value = reading.value.unwrap();
        assert_eq!(value.title, None);
        assert_eq!(value.summary.as_deref(), Some("2021"));
        assert_eq!(value.items.len(), 2);
        assert_eq!(value.items[1].number, Some(2));
        assert!(reading.left_out.covers(&[Seg::Key("title")]));
        let number = [Seg::Key("items"), Seg::Index(0), Seg::Key("number")];
        assert!(reading.left_out.covers(&number));
        assert!(!reading.left_out.covers(&[Seg::Key("summary")]));
    }

    #[test]
    fn keys_written_twice_are_reported_with_the_other_mistakes() {
        let text = "title: a\nitems:\n  - number: abc\n    category: x\n    number: 2\nextra: 1\ntitle: b\n";
        let errors = parse::<Doc>(text).unwrap_err();
        let places: Vec<(usize, usize)> = errors.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(places, [(3, 13), (5, 5), (6, 1), (7, 1)], "{errors:#?}");
        assert_eq!(
            errors[1].kind,
            YamlErrorKind::DuplicateField("number".into())
        );
        assert_eq!(errors[1].path.as_deref(), Some("items[0]"));
        assert_eq!(
            errors[3].kind,
            YamlErrorKind::DuplicateField("title".into())
        );
    }

    #[test]
    fn mistakes_past_the_listed_ones_are_said_and_counted() {
        let items: String = (0..30)
            .map(|i| format!("  - number: 一{i}\n    category: x\n"))
            .collect();
        let errors = parse::<Doc>(&format!("title: a\nitems:\n{items}")).unwrap_err();
        assert_eq!(errors.len(), MAX_ERRORS + 1);
        let note = &errors[MAX_ERRORS];
        assert!(
            note.message
                .starts_with("这个文件还有 10 个错误没有一一列出"),
            "{}",
            note.message
        );
        assert!(
            note.message.contains("items[20].number"),
            "{}",
            note.message
        );
        assert_eq!((note.line, note.column), (43, 13));
        assert_eq!(note.unlisted, 9);
        let listed: usize = errors.iter().map(|e| 1 + e.unlisted).sum();
        assert_eq!(listed, 30);
        assert!(errors[..MAX_ERRORS].iter().all(|e| e.unlisted == 0));
    }

    #[test]
    fn many_typing_mistakes_are_listed_up_to_the_limit_and_counted() {
        let lines: String = (0..25).map(|i| format!("k{i}：v\n")).collect();
        let errors = parse::<Doc>(&format!("title: a\n{lines}")).unwrap_err();
        assert_eq!(errors.len(), MAX_ERRORS + 1);
        assert!(
            errors[0].message.contains("中文冒号"),
            "{}",
            errors[0].message
        );
        let note = &errors[MAX_ERRORS];
        assert_eq!((note.line, note.unlisted), (22, 4));
        assert!(note.message.contains("还有 5 个错误"), "{}", note.message);
    }

    #[test]
    fn hostile_documents_are_refused_quickly_and_placed() {
        let started = std::time::Instant::now();
        let deep = format!("title: a\nitems: {}\n", "[".repeat(250_000));
        let e = parse::<Doc>(&deep).unwrap_err().remove(0);
        assert_eq!(e.line, 2);
        assert!(e.message.contains("嵌套"), "{}", e.message);
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
        let e = parse::<Doc>(bomb).unwrap_err().remove(0);
        assert_eq!(e.line, 2, "{e:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}
