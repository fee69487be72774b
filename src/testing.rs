//! What the unit tests share: fuzzing settings and text mutations (from
//! the workspace's `gongkai-testing`), and HTML without what gongkai adds
//! on purpose.

pub use gongkai_testing::{fuzz_cases, mutate};

/// `html` without the ids gongkai gives headings: `<h2 id="...">` → `<h2>`.
pub fn without_heading_ids(html: &str) -> String {
    let mut out = html.to_string();
    for level in 1..=6 {
        let open = format!("<h{level} id=\"");
        while let Some(at) = out.find(&open) {
            let end = out[at + open.len()..]
                .find('"')
                .map_or(out.len(), |e| at + open.len() + e + 1);
            out.replace_range(at + 3..end, "");
        }
    }
    out
}
