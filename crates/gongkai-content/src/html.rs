//! What HTML says of its elements, as the body of a notice and a saved web
//! page both need it: which elements pair by themselves.

/// Elements that are void, or whose end tag HTML lets be left out: they
/// pair by themselves, and a text full of them is not nested by them.
pub const SELF_PAIRING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "thead",
    "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp",
];

/// Whether element `name` (lower case) pairs by itself.
pub fn pairs_by_itself(name: &str) -> bool {
    SELF_PAIRING.contains(&name)
}
