//! What the unit tests of the workspace's crates share: fuzzing settings
//! and text mutations.

/// How many cases each fuzzing property test tries: `GONGKAI_FUZZ_CASES`
/// when set (for long runs), else `default` (a few hundred, for CI).
pub fn fuzz_cases(default: u32) -> u32 {
    std::env::var("GONGKAI_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Mutations for fuzzing text formats: each is a place (as a fraction of
/// the text) and what to do there.
pub mod mutate {
    use proptest::prelude::*;

    /// Pieces that break YAML, Markdown and XML in interesting ways.
    const PIECES: &[&str] = &[
        "\n",
        "\r",
        "\t",
        " ",
        ":",
        ": ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        "\"",
        "'",
        "#",
        "&a ",
        "*a",
        "|",
        ">",
        "---",
        "...",
        "~",
        "!!str ",
        "%",
        "@",
        "`",
        "*",
        "**",
        "_",
        "~~",
        "<",
        ">",
        "</",
        "&",
        ";",
        "\\",
        "\u{0}",
        "\u{7}",
        "\u{feff}",
        "中",
        "：",
        "“",
        "（",
        "😀",
        "9999999999999999999",
        "-1",
        "0",
        "1e999",
        "2021-02-30",
        "<script>",
        "]]>",
        "<!--",
        "-->",
        "<w:p>",
        "</w:p>",
    ];

    /// One change to a text.
    #[derive(Debug, Clone)]
    pub enum Change {
        Insert(f64, &'static str),
        Delete(f64, usize),
        Repeat(f64, usize),
    }

    pub fn change() -> impl Strategy<Value = Change> {
        prop_oneof![
            (0.0..1.0, prop::sample::select(PIECES)).prop_map(|(at, p)| Change::Insert(at, p)),
            (0.0..1.0, 1usize..40).prop_map(|(at, n)| Change::Delete(at, n)),
            (0.0..1.0, 1usize..30).prop_map(|(at, n)| Change::Repeat(at, n)),
        ]
    }

    /// `text` with `changes` made, in order.
    pub fn apply(text: &str, changes: &[Change]) -> String {
        let mut chars: Vec<char> = text.chars().collect();
        for change in changes {
            let at = |f: f64| ((f * chars.len() as f64) as usize).min(chars.len());
            match change {
                Change::Insert(f, piece) => {
                    let i = at(*f);
                    chars.splice(i..i, piece.chars());
                }
                Change::Delete(f, n) => {
                    let i = at(*f);
                    let end = (i + n).min(chars.len());
                    chars.drain(i..end);
                }
                Change::Repeat(f, n) => {
                    let i = at(*f);
                    let end = (i + 8).min(chars.len());
                    let piece: Vec<char> = chars[i..end].to_vec();
                    for _ in 0..*n {
                        chars.splice(i..i, piece.iter().copied());
                    }
                }
            }
        }
        chars.into_iter().collect()
    }
}
