//! The numbers of a bar chart: one stacked bar per row (a category, a
//! unit), a segment per status. The theme draws them as inline SVG at
//! build time (`bar_chart` in `components.html`), in the units of the
//! counts themselves: a segment's `x` and `width` are numbers of problems
//! and the bar's `viewBox` is as wide as the longest bar, so the drawing
//! cannot say other than the table beside it, which stays the accessible
//! source of the numbers.

use serde::Serialize;

use super::TallyView;

/// A chart of counts by status.
#[derive(Serialize, Hash)]
pub struct BarChart<'a> {
    /// The series, in the order of the segments: key and label.
    pub legend: Vec<Series>,
    pub rows: Vec<ChartRow<'a>>,
    /// The longest bar: the width of every bar's scale (at least 1).
    pub max: usize,
}

/// A kind of segment.
#[derive(Serialize, Hash, Clone, Copy)]
pub struct Series {
    pub key: &'static str,
    pub label: &'static str,
}

/// One bar.
#[derive(Serialize, Hash)]
pub struct ChartRow<'a> {
    pub label: &'a str,
    pub total: usize,
    pub segments: Vec<Segment>,
}

/// A part of a bar: where it starts and how long it is, in problems.
#[derive(Serialize, Hash)]
pub struct Segment {
    pub key: &'static str,
    pub label: &'static str,
    pub x: usize,
    pub value: usize,
}

const COMPLETED: Series = Series {
    key: "completed",
    label: "已完成",
};
const UNSTATED: Series = Series {
    key: "unstated",
    label: "未注明",
};

/// Which statuses a chart tells apart.
#[derive(Debug, Clone, Copy)]
pub enum Breakdown {
    /// Completed, staged, in progress, not done (the dashboard's table).
    States,
    /// Completed and not yet (the tables of units and rounds).
    Completed,
}

impl Breakdown {
    fn parts(self, t: &TallyView) -> Vec<(Series, usize)> {
        let mut parts = match self {
            Breakdown::States => vec![
                (COMPLETED, t.completed),
                (series("staged", "阶段性完成"), t.staged),
                (series("in-progress", "整改中"), t.in_progress),
                (series("not-done", "未完成"), t.not_done),
            ],
            Breakdown::Completed => {
                vec![(COMPLETED, t.completed), (series("open", "未完成"), t.open)]
            }
        };
        parts.push((UNSTATED, t.unstated));
        parts
    }
}

const fn series(key: &'static str, label: &'static str) -> Series {
    Series { key, label }
}

impl<'a> BarChart<'a> {
    /// A bar for each of `rows` (a label and its counts).
    pub fn new<'t>(
        breakdown: Breakdown,
        rows: impl IntoIterator<Item = (&'a str, &'t TallyView)>,
    ) -> BarChart<'a> {
        let rows: Vec<ChartRow<'a>> = rows
            .into_iter()
            .map(|(label, t)| {
                let mut x = 0;
                let segments = breakdown
                    .parts(t)
                    .into_iter()
                    .map(|(s, value)| {
                        let segment = Segment {
                            key: s.key,
                            label: s.label,
                            x,
                            value,
                        };
                        x += value;
                        segment
                    })
                    .collect();
                ChartRow {
                    label,
                    total: t.problems,
                    segments,
                }
            })
            .collect();
        let unstated = rows.iter().any(|r| {
            r.segments
                .iter()
                .any(|s| s.key == UNSTATED.key && s.value > 0)
        });
        let legend = breakdown
            .parts(&TallyView::default())
            .into_iter()
            .map(|(s, _)| s)
            .filter(|s| unstated || s.key != UNSTATED.key)
            .collect();
        let max = rows.iter().map(|r| r.total).max().unwrap_or(0).max(1);
        BarChart { legend, rows, max }
    }
}
