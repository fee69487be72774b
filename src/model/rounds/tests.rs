//! The rule of a round, tested on random series: every report is in one
//! entry, and the cache gives the rounds a fresh build gives.

use std::path::Path;

use proptest::prelude::*;

use std::sync::Arc;

use super::*;
use crate::config::SiteConfig;
use crate::content::Notice;
use crate::load::notice::parse_notice;
use crate::model::ProblemRef;
use crate::model::ids::{NoticeId, TiVec};

/// A notice of one of two rounds (or of none): its day, and per
/// problem its number and what it says it follows.
type Spec = (u8, Option<bool>, Vec<(u8, Option<(Option<u8>, u8)>)>);

fn notice_of(i: usize, (day, round, problems): &Spec, config: &SiteConfig) -> Option<Arc<Notice>> {
    let mut text = format!("---\ntitle: 通报{i}\ndate: 2023-01-{:02}\n", day % 28 + 1);
    if let Some(first) = round {
        let start = if *first { "2022-01-01" } else { "2022-06-01" };
        text += &format!("inspection:\n  kind: 巡察\n  start: {start}\n");
    }
    text += "problems:\n";
    let mut seen = Vec::new();
    for (number, follows) in problems {
        let number = number % 6 + 1;
        if seen.contains(&number) {
            continue;
        }
        seen.push(number);
        text += &format!(
            "  - number: {number}\n    category: policy\n    title: 问题{number}\n    result: 正在整改\n"
        );
        match follows {
            Some((Some(n), f)) => text += &format!("    follows: n{}#{}\n", n % 4, f % 7),
            Some((None, 0)) => text += "    follows: 无\n",
            Some((None, f)) => text += &format!("    follows: {}\n", f % 7),
            None => {}
        }
    }
    text += "---\n正文\n";
    let file = format!("content/notices/n{i}.md");
    parse_notice(Path::new(&file), &text, Some(config))
        .ok()
        .map(|(n, _)| Arc::new(n))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::testing::fuzz_cases(300)))]

    /// Whatever the notices say they follow, every problem of a round
    /// is in exactly one entry, an entry has at most one report per
    /// notice, oldest first, and the round counts each entry once.
    #[test]
    fn every_report_is_in_one_entry(specs in proptest::collection::vec(
        (any::<u8>(), proptest::option::of(any::<bool>()), proptest::collection::vec(
            (any::<u8>(), proptest::option::of((proptest::option::of(any::<u8>()), any::<u8>()))), 0..6)),
        0..8)) {
        let config = SiteConfig::parse("title: t\norganization: 某局\n", Path::new("site.yaml")).unwrap_or_else(|e| panic!("{e:?}"));
        let mut notices: TiVec<NoticeId, Arc<Notice>> = specs.iter().enumerate()
            .filter_map(|(i, s)| notice_of(i, s, &config)).collect();
        crate::model::newest_first(&mut notices.raw);
        let (ledger, _, _) = Ledger::build(&notices);
        for (ni, n) in notices.iter_enumerated() {
            for pi in 0..n.problems.len() {
                let r = ProblemRef { notice: ni, problem: pi };
                match ledger.entry(r) {
                    Some((_, e)) => prop_assert_eq!(e.reports.iter().filter(|x| **x == r).count(), 1),
                    None => prop_assert!(n.inspection.is_none()),
                }
            }
        }
        for round in &ledger.rounds {
            prop_assert_eq!(round.tally.problems, round.entries.len());
            // By category, each problem once, in its latest report's category.
            let sum = round.by_category.iter().fold(Tally::default(), |sum, (_, t)| sum.plus(t));
            prop_assert_eq!(sum, round.tally);
            for (c, t) in &round.by_category {
                let latest_in = round.entries.iter()
                    .filter(|e| notices[e.latest().notice].problems[e.latest().problem].category == *c)
                    .count();
                prop_assert_eq!(t.problems, latest_in);
            }
            for e in &round.entries {
                let days: Vec<_> = e.reports.iter().map(|r| (notices[r.notice].date.instant, r.notice)).collect();
                let mut sorted = days.clone();
                sorted.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
                sorted.dedup_by_key(|d| d.1);
                prop_assert_eq!(&days, &sorted, "oldest first, one report per notice");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::testing::fuzz_cases(200)))]

    /// A ledger built with the rounds of an earlier site in its cache is
    /// the ledger built afresh, whatever changed in between.
    #[test]
    fn cached_rounds_are_the_rounds_built_afresh(
        before in proptest::collection::vec(spec(), 0..6),
        after in proptest::collection::vec(spec(), 0..6),
    ) {
        let config = SiteConfig::parse("title: t\norganization: 某局\n", Path::new("site.yaml")).unwrap_or_else(|e| panic!("{e:?}"));
        let site = |specs: &[Spec]| {
            let mut notices: TiVec<NoticeId, Arc<Notice>> = specs.iter().enumerate()
                .filter_map(|(i, s)| notice_of(i, s, &config)).collect();
            crate::model::newest_first(&mut notices.raw);
            notices
        };
        let (before, after) = (site(&before), site(&after));
        let mut cache = RoundCache::default();
        Ledger::build_with(&before, &mut cache);
        let (cached, cached_rounds, cached_errors) = Ledger::build_with(&after, &mut cache);
        let (fresh, fresh_rounds, fresh_errors) = Ledger::build(&after);
        prop_assert_eq!(&cached_rounds, &fresh_rounds);
        prop_assert_eq!(format!("{cached:?}"), format!("{fresh:?}"));
        prop_assert_eq!(format!("{cached_errors:?}"), format!("{fresh_errors:?}"));
    }
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        0..4u8,
        proptest::option::of(any::<bool>()),
        proptest::collection::vec(
            (
                0..5u8,
                proptest::option::of((proptest::option::of(0..4u8), 0..5u8)),
            ),
            0..4,
        ),
    )
}

#[test]
fn round_addresses_leave_out_the_places() {
    assert_eq!(
        follow::without_places("潮州市湘桥区示范街道党工委"),
        "示范街道党工委"
    );
    assert_eq!(follow::without_places("湘桥区政协机关"), "政协机关");
    assert_eq!(follow::without_places("广东省生态环境厅"), "生态环境厅");
    assert_eq!(follow::without_places("区委组织部"), "区委组织部");
    assert_eq!(follow::without_places("市人民医院"), "市人民医院");
    assert_eq!(follow::without_places("某某县"), "某某县");
}
