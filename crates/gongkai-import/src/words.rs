//! Words bulletins are recognised by, wherever a line is looked at.

/// How a document's title ends (`……的通报`), in Simplified characters or,
/// on a mirror, Traditional.
const TITLE_ENDINGS: &[&str] = &[
    "通报", "报告", "情况", "公告", "通知", "说明", "公示", "通報", "報告", "情況", "說明",
];

/// Whether `text` ends as a document's title does.
pub(crate) fn ends_like_title(text: &str) -> bool {
    TITLE_ENDINGS.iter().any(|e| text.ends_with(e))
}
