//! Inspection rounds and the 整改台账: a problem followed from notice to
//! notice, counted once, linked both ways, and checked.
//!
//! The `series` fixture: round A of 某区某局 (from 2023-03-01) has three
//! notices. The second renumbers the open problems and says so with
//! `follows` (`1`, `3`, `2023-a-first#4`); the third keeps the second's
//! numbers, takes problem 1 back to 整改中, leaves out the staged problem
//! (培训), adds a new problem 4 (`follows: 无`) and comes after two
//! deadlines. Round B is an earlier inspection of the same body; one more
//! notice belongs to no round.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::support::*;
use gongkai::diagnostic::Code;
use gongkai::pipeline::{Changes, Options};
use gongkai::serve::{Outcome, Workspace};

const A1: &str = "content/notices/2023-a-first.md";
const A2: &str = "content/notices/2023-a-second.md";
const A3: &str = "content/notices/2024-a-third.md";
const ROUND_A: &str = "2023-03-01-mou-qu-mou-ju";
const ROUND_B: &str = "2021-04-01-mou-qu-mou-ju";

fn series() -> SiteTest {
    SiteTest::fixture("series")
}

fn json(site: &SiteTest, rel: &str) -> Value {
    serde_json::from_str(&site.page(rel)).unwrap()
}

/// Each problem of a round in `inspections.json`: its title and its
/// reports as `notice#number`.
fn histories(round: &Value) -> Vec<(String, Vec<String>)> {
    round["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let reports = p["history"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| format!("{}#{}", h["notice"].as_str().unwrap(), h["number"]))
                .collect();
            (p["title"].as_str().unwrap().to_string(), reports)
        })
        .collect()
}

fn round<'a>(inspections: &'a Value, id: &str) -> &'a Value {
    inspections["inspections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no round {id} in {inspections}"))
}

#[test]
fn renumbered_problems_are_followed_through_the_round() {
    let site = series();
    site.build();
    let inspections = json(&site, "inspections.json");
    let a = round(&inspections, ROUND_A);
    let expected = [
        (
            "针对理论学习不深入的问题",
            vec!["2023-a-first#1", "2023-a-second#1", "2024-a-third#1"],
        ),
        ("针对公务用车管理不规范的问题", vec!["2023-a-first#2"]),
        (
            "针对食堂采购不规范的问题",
            vec!["2023-a-first#3", "2023-a-second#2", "2024-a-third#2"],
        ),
        (
            "针对干部培训不足的问题",
            vec!["2023-a-first#4", "2023-a-second#3"],
        ),
        ("针对档案管理混乱的问题", vec!["2023-a-first#5"]),
        ("针对会议费报销不规范的问题", vec!["2024-a-third#4"]),
    ];
    let expected: Vec<(String, Vec<String>)> = expected
        .iter()
        .map(|(t, r)| (t.to_string(), r.iter().map(|s| s.to_string()).collect()))
        .collect();
    assert_eq!(histories(a), expected);
    assert_eq!(
        a["notices"],
        serde_json::json!(["2023-a-first", "2023-a-second", "2024-a-third"])
    );
    assert_eq!(a["as_of"], "2024-01-31");

    // Round B is another inspection of the same body: its problem 1 is not
    // round A's problem 1.
    let b = round(&inspections, ROUND_B);
    assert_eq!(histories(b).len(), 2);
    assert_eq!(histories(b)[0].1, ["2021-b#1"]);
    assert_eq!(inspections["inspections"].as_array().unwrap().len(), 2);
}

#[test]
fn each_problem_counts_once_at_its_latest_report() {
    let site = series();
    site.build();
    let inspections = json(&site, "inspections.json");
    // Round A: 6 problems; 食堂 recovered 800 in its second report and the
    // third left the amount out: it still counts, once.
    let a = &round(&inspections, ROUND_A)["tally"];
    let counts = |t: &Value| {
        [
            "problems",
            "completed",
            "staged",
            "in_progress",
            "immediate",
            "long_term",
        ]
        .map(|k| t[k].as_u64().unwrap())
    };
    assert_eq!(counts(a), [6, 2, 1, 3, 1, 1]);
    assert_eq!(a["recovered_yuan"], 3800);
    assert_eq!(round(&inspections, ROUND_A)["overdue"], 2);

    // The site: round A, round B (2 completed, 1500 yuan), and the notice
    // of no round (1 in progress): 9 problems of 14 reports.
    let home = site.page("index.html");
    for (number, label) in [
        ("9", "个问题"),
        ("4", "已完成（44%）"),
        ("1", "阶段性完成"),
        ("4", "整改中"),
        ("5,300", "元资金已追回或退还"),
        ("2", "<a href=\"inspections/index.html\">逾期未完成</a>"),
    ] {
        let stat = format!(
            "<span class=\"stat-number\">{number}</span><span class=\"stat-label\">{label}</span>"
        );
        assert!(home.contains(&stat), "{stat}");
    }
    assert!(home.contains("数据截至<time datetime=\"2024-01-31\">2024年1月31日</time>"));
    let problems = json(&site, "problems.json");
    assert_eq!(problems["problem_count"], 9);

    // A category counts the problems whose latest report is in it: policy
    // has 理论学习 (reported three times) and round B's problem 1.
    let policy = site.page("categories/policy/index.html");
    assert!(policy.contains("共<strong>2</strong>个问题"));
    assert_eq!(count(&policy, "<li class=\"problem-item"), 4);
    assert_eq!(count(&policy, "problem-item superseded"), 2);
}

#[test]
fn a_problem_links_to_its_reports_both_ways() {
    let site = series();
    site.build();
    // The first report points forward to the latest, and to the ledger.
    let first = site.page("notices/2023-a-first/index.html");
    assert!(first.contains(
        "最新进展：<a href=\"../../notices/2024-a-third/index.html#problem-2\">整改中（2024年1月31日）</a>"
    ));
    assert!(first.contains(&format!(
        "<a href=\"../../inspections/{ROUND_A}/index.html#item-3\">整改台账</a>"
    )));
    // The first notice lists the later ones of its round.
    assert!(
        first.contains("本篇之后已有新的进展：<a href=\"../../notices/2024-a-third/index.html\">")
    );
    assert!(first.contains("<a href=\"../../notices/2023-a-second/index.html\">"));

    // A later report points back to the one before it.
    let third = site.page("notices/2024-a-third/index.html");
    assert!(third.contains(
        "上次通报：<a href=\"../../notices/2023-a-second/index.html#problem-1\">已完成（2023年10月31日）</a>"
    ));
    let second = site.page("notices/2023-a-second/index.html");
    assert!(second.contains(
        "上次通报：<a href=\"../../notices/2023-a-first/index.html#problem-4\">阶段性完成（2023年6月30日）</a>"
    ));
    assert!(!third.contains("本篇之后已有新的进展"));

    // The ledger shows each problem once, with every report linked.
    let ledger = site.page(&format!("inspections/{ROUND_A}/index.html"));
    assert_eq!(count(&ledger, "<section class=\"entry\""), 6);
    for anchor in [
        "2023-a-first/index.html#problem-3",
        "2023-a-second/index.html#problem-2",
        "2024-a-third/index.html#problem-2",
    ] {
        assert!(
            ledger.contains(&format!("href=\"../../notices/{anchor}\"")),
            "{anchor}"
        );
    }
    assert!(ledger.contains("2023年12月底前（已逾期）"));
    assert!(ledger.contains("尚未完成的问题（4个）"));
    assert!(ledger.contains("本轮最近一篇通报未再提及这个问题"));
    let index = site.page("inspections/index.html");
    assert!(index.contains(&format!("inspections/{ROUND_A}/index.html")));
    assert!(index.contains(&format!("inspections/{ROUND_B}/index.html")));

    // And every one of those links resolves.
    assert_eq!(broken_links(&site.public()), Vec::<String>::new());
}

#[test]
fn open_data_carries_the_round_and_the_problem_across_notices() {
    let site = series();
    site.build();
    let data = json(&site, "problems.json");
    let mut by_id: BTreeMap<String, Vec<(String, bool)>> = BTreeMap::new();
    for n in data["notices"].as_array().unwrap() {
        for p in n["problems"].as_array().unwrap() {
            by_id
                .entry(p["id"].as_str().unwrap().to_string())
                .or_default()
                .push((
                    format!("{}#{}", n["slug"].as_str().unwrap(), p["number"]),
                    p["latest"].as_bool().unwrap(),
                ));
        }
    }
    // Notices come newest first: the first report of each id is its latest.
    let canteen = &by_id[&format!("{ROUND_A}/3")];
    assert_eq!(
        canteen,
        &[
            ("2024-a-third#2".to_string(), true),
            ("2023-a-second#2".to_string(), false),
            ("2023-a-first#3".to_string(), false),
        ]
    );
    assert_eq!(by_id.len(), 9);
    assert!(by_id.contains_key("2022-c/1"), "a problem of no round");
    let first = data["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["slug"] == "2023-a-first")
        .unwrap();
    let p1 = &first["problems"][0];
    assert_eq!(p1["round"], ROUND_A);
    assert_eq!(p1["deadline"], "2023年9月底前");
    assert_eq!(p1["deadline_date"], "2023-09-30");

    let csv = site.page("problems.csv");
    assert!(csv.contains(&format!(
        "{ROUND_A}/3,{ROUND_A},否,关于巡察整改进展情况的通报,2023-06-30"
    )));
    assert!(csv.contains("2023年12月底前,2023-12-31,"));
}

#[test]
fn check_warns_of_backward_steps_overdue_and_dropped_problems() {
    let site = series();
    // Deployed, and not measured against today: the spot checks' own
    // stories are in spotcheck.rs.
    site.edit("site.yaml", |t| {
        t + "base_url: https://www.example.gov.cn/\ncheck:\n  stale_after: 不检查\n"
    });
    site.check_finds(&[
        // Both deadlines are written in the first notice.
        warning(Code::Overdue, A1, 14),
        warning(Code::Overdue, A1, 24),
        // 培训 is staged, and the third notice says nothing of it.
        warning(Code::UnmentionedProblem, A3, 9),
        // 理论学习 was 整改完成 in the second notice.
        warning(Code::StatusBackwards, A3, 12),
    ]);
    // A note in the revisions explains the step back.
    site.edit(A3, |t| {
        t.replacen(
            "problems:",
            "revisions:\n  - date: 2024-02-01\n    note: 第1项经复查尚未整改到位，改为正在整改。\nproblems:",
            1,
        )
    });
    assert!(
        site.check()
            .0
            .iter()
            .all(|d| d.code != Code::StatusBackwards)
    );
}

#[test]
fn a_number_matched_to_another_title_is_flagged() {
    let site = series();
    site.edit(A3, |t| {
        t.replace(
            "title: 针对理论学习不深入的问题",
            "title: 针对办公用房超标的问题",
        )
    });
    let found = site.check();
    let renumbered: Vec<_> = found
        .0
        .iter()
        .filter(|d| d.code == Code::RenumberedProblem)
        .collect();
    assert_eq!(renumbered.len(), 1, "{found}");
    assert_eq!(
        (renumbered[0].file.as_path(), renumbered[0].line),
        (Path::new(A3), 9)
    );
    assert!(renumbered[0].message.contains("针对办公用房超标的问题"));
}

#[test]
fn mistakes_of_follows_are_errors_where_they_are() {
    let site = series();
    site.edit(A2, |t| {
        t.replace("follows: 3", "follows: 9")
            .replace("follows: 2023-a-first#4", "follows: 2023-a-first#1")
    });
    site.edit("content/notices/2022-c.md", |t| {
        t.replace("number: 1", "number: 1\n    follows: 2")
    });
    site.build_fails_with(&[
        // A notice of no round cannot follow anything.
        error(Code::Follows, "content/notices/2022-c.md", 6),
        // No problem 9 before; problem 1 of the first notice is taken
        // by `follows: 1` already.
        error(Code::Follows, A2, 15),
        error(Code::Follows, A2, 21),
    ]);
    // The messages say which of the two mistakes each is.
    let errors = site.build_errors();
    assert!(errors.0[1].message.contains("follows: 9 找不到"));
    assert!(errors.0[2].message.contains("同一个问题"));
    assert!(!site.public().exists(), "nothing is written");
}

#[test]
fn an_explicit_id_joins_notices_that_name_the_inspection_differently() {
    let site = series();
    // The third notice writes the group another way: it starts a round of
    // its own, until both name the round.
    site.edit(A3, |t| {
        t.replace("group: 区委第一巡察组", "group: 中共某区委第一巡察组")
    });
    site.build();
    assert_eq!(
        json(&site, "inspections.json")["inspections"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    for file in [A1, A2, A3] {
        site.edit(file, |t| {
            t.replacen("inspection:\n", "inspection:\n  id: 2023-xuncha\n", 1)
        });
    }
    site.build();
    let inspections = json(&site, "inspections.json");
    assert_eq!(inspections["inspections"].as_array().unwrap().len(), 2);
    assert_eq!(histories(round(&inspections, "2023-xuncha")).len(), 6);
    assert!(
        site.public()
            .join("inspections/2023-xuncha/index.html")
            .exists()
    );

    // Another body numbering its own round alike stays a round of its own:
    // its problems are no later reports of these.
    site.edit(A3, |t| {
        t.replacen("---\n", "---\norganization: 某区另一局\n", 1)
    });
    site.build();
    let inspections = json(&site, "inspections.json");
    assert_eq!(inspections["inspections"].as_array().unwrap().len(), 3);
    assert!(
        site.public()
            .join("inspections/2023-xuncha-2/index.html")
            .exists()
    );
}

#[test]
fn serve_follows_an_edit_to_one_notice_of_a_round() {
    let site = series();
    let out = site.path().join("serve");
    let (mut ws, _) = Workspace::open(Options::new(site.path()), out.clone());
    assert_same_as_build(site.path(), &out);
    let update = |ws: &mut Workspace, rel: &str| {
        let outcome = ws.update(&Changes::of(site.path(), [site.path().join(rel)]));
        ws.finish();
        outcome
    };

    // The third notice completes 食堂: the ledger, the first notice's
    // forward link and the dashboard change with it.
    site.edit(A3, |t| {
        t.replacen(
            "title: 针对食堂采购不规范的问题\n    result: 正在整改",
            "title: 针对食堂采购不规范的问题\n    result: 整改完成",
            1,
        )
    });
    update(&mut ws, A3);
    assert!(read(&out, "notices/2023-a-first/index.html").contains("已完成（2024年1月31日）"));
    assert!(read(&out, &format!("inspections/{ROUND_A}/index.html")).contains("逾期未完成1个"));
    assert_same_as_build(site.path(), &out);

    // The second notice is moved to another round by mistake: its
    // `follows` find nothing there, and the preview keeps the last good
    // pages until it is put back.
    site.edit(A2, |t| t.replace("start: 2023-03-01", "start: 2023-03-02"));
    let Outcome::Failed(errors) = update(&mut ws, A2) else {
        panic!("the follows of the moved notice point nowhere")
    };
    assert!(errors.0.iter().all(|d| d.code == Code::Follows), "{errors}");
    assert!(read(&out, "notices/2023-a-first/index.html").contains("已完成（2024年1月31日）"));
    site.edit(A2, |t| t.replace("start: 2023-03-02", "start: 2023-03-01"));
    let outcome = update(&mut ws, A2);
    assert!(!matches!(outcome, Outcome::Failed(_)), "{outcome:?}");
    assert_same_as_build(site.path(), &out);
}
