//! One site for a whole county: every unit's column, the county's rounds
//! across the units they inspected, each problem counted once, 索引号,
//! and one unit's column on its own (`--unit`).
//!
//! The `county` fixture is the example site: four units (two of them in
//! folders of their own, two found by the names their bulletins use), two
//! county rounds, and one unit inspected in both.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::*;
use gongkai::diagnostic::Code;
use gongkai::pipeline::{Changes, Options};
use gongkai::serve::Workspace;

const WENLV_2022: &str = "content/wenlv/2022-wenlv-zhenggai.md";
const JIAOYU: &str = "content/jiaoyu/2022-jiaoyu-zhenggai.md";

fn county() -> SiteTest {
    SiteTest::fixture("county")
}

fn json(site: &SiteTest, rel: &str) -> Value {
    serde_json::from_str(&site.page(rel)).unwrap()
}

#[test]
fn each_unit_has_its_column_and_each_round_its_page() {
    let site = county();
    site.built()
        .page_has(
            "units/index.html",
            &[
                "各单位",
                "区政协机关",
                "示范街道",
                "区文广旅体局",
                "区教育局",
            ],
        )
        // The unit's own dashboard, notices, ledgers and contact.
        .page_has(
            "units/wenlv/index.html",
            &[
                "本单位整改进展",
                "关于区委2022年第一轮巡察整改进展情况的通报",
                "关于区委巡察反馈意见整改进展情况的通报",
                "id=\"ledgers\"",
                "0768-2100032",
            ],
        )
        .page_lacks(
            "units/wenlv/index.html",
            &["关于巡察整改阶段性进展情况的通报"],
        )
        // The round across the units it inspected.
        .page_has(
            "rounds/2022-1/index.html",
            &[
                "区委2022年第一轮巡察",
                "示范街道",
                "区文广旅体局",
                "区教育局",
            ],
        )
        .page_lacks("rounds/2022-1/index.html", &["区政协机关"])
        .page_has("rounds/2021-1/index.html", &["区政协机关", "区文广旅体局"])
        .page_has(
            "rounds/index.html",
            &["区委2021年第一轮巡察", "区委2022年第一轮巡察"],
        )
        // The home dashboard: by round and by year.
        .page_has("index.html", &["各轮巡察整改情况", "各年度整改情况"])
        // Search can be narrowed to a unit.
        .page_has(
            "search/index.html",
            &[
                "<select name=\"unit\" data-search-filter>",
                "<option value=\"wenlv\">区文广旅体局</option>",
            ],
        )
        .page_has(
            "search/meta.js",
            &["\"units\":[[\"zhengxie\",\"区政协机关\"]", "\"unit_of\":["],
        )
        // A notice of a unit: its breadcrumb and its column's name.
        .page_has(
            "notices/2022-wenlv-zhenggai/index.html",
            &[
                "<meta name=\"ColumnName\" content=\"中共潮州市湘桥区文化广电旅游体育局党组\">",
                "href=\"../../units/wenlv/index.html\">区文广旅体局</a>",
            ],
        );
    assert!(
        broken_links(&site.public()).is_empty(),
        "{:?}",
        broken_links(&site.public())
    );
}

#[test]
fn each_problem_counts_once_across_units_and_rounds() {
    let site = county();
    site.built();
    let problems = json(&site, "problems.json");
    let units = json(&site, "units.json");
    let rounds = json(&site, "rounds.json");
    let total = problems["problem_count"].as_u64().unwrap();
    // The reports marked latest are the problems, once each.
    let latest = problems["notices"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|n| n["problems"].as_array().unwrap())
        .filter(|p| p["latest"] == true)
        .count() as u64;
    assert_eq!(latest, total);
    // Every notice of the example is a unit's: the units add up to the site.
    let by_unit: u64 = units["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["tally"]["problems"].as_u64().unwrap())
        .sum();
    assert_eq!(by_unit, total);
    assert_eq!(units["tally"]["problems"].as_u64().unwrap(), total);
    // A round is the sum of the inspections in it.
    for round in rounds["items"].as_array().unwrap() {
        let inspected: u64 = round["inspections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["tally"]["problems"].as_u64().unwrap())
            .sum();
        assert_eq!(
            round["tally"]["problems"].as_u64().unwrap(),
            inspected,
            "{round}"
        );
    }
    // The two-notice series of 示范街道 counts its five problems once.
    let shifan = &units["items"][1];
    assert_eq!(shifan["slug"], "shifan");
    assert_eq!(shifan["notice_count"], 2);
    assert_eq!(shifan["tally"]["problems"], 5);
}

#[test]
fn a_notice_belongs_to_its_folder_or_to_the_unit_its_organization_names() {
    let site = county();
    site.built();
    let problems = json(&site, "problems.json");
    let unit_of = |slug: &str| {
        problems["notices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["slug"] == slug)
            .map(|n| n["unit"].clone())
            .unwrap()
    };
    // By an alias: the 党支部's notice is the 政协机关's.
    assert_eq!(unit_of("2022-zuzhi-shenghuohui"), "zhengxie");
    // By its full name, though the file is under content/notices/.
    assert_eq!(unit_of("xiangqiao-zhengxie-2021"), "zhengxie");
    // By its folder, without an organization: the unit's name and contact.
    assert_eq!(unit_of("2022-shifan-jiedao-di-er-ci"), "shifan");
    site.page_has(
        "notices/2022-shifan-jiedao-di-er-ci/index.html",
        &["潮州市湘桥区示范街道党工委", "0768-2100031"],
    );
    // A short name is a name too.
    site.edit(JIAOYU, |t| {
        t.replace("organization: 潮州市湘桥区教育局", "organization: 区教育局")
    })
    .built();
    let problems = json(&site, "problems.json");
    let jiaoyu = problems["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["slug"] == "2022-jiaoyu-zhenggai");
    assert_eq!(jiaoyu.unwrap()["unit"], "jiaoyu");
}

#[test]
fn an_organization_of_no_unit_is_an_error_that_names_the_closest() {
    // Outside the units' folders, the name alone tells the unit.
    let seed = "content/notices/2021-xiangqiao-zhengxie.md";
    let site = county();
    site.edit(seed, |t| {
        t.replace(
            "organization: 潮州市湘桥区政协机关",
            "organization: 潮州市湘桥区政协办公室",
        )
    });
    site.build_fails_with(&[error(Code::UnknownUnit, seed, 6)]);
    let errors = site.build_errors();
    let d = &errors.0[0];
    assert_eq!(d.column, 15);
    assert!(
        d.message.contains("潮州市湘桥区政协办公室"),
        "{}",
        d.message
    );
    let help = d.help.as_deref().unwrap();
    assert!(
        help.contains("zhengxie") && help.contains("aliases"),
        "{help}"
    );

    // A folder of one unit and the name of another.
    let site = county();
    site.edit(WENLV_2022, |t| {
        t.replace(
            "written: 2022-10-18",
            "written: 2022-10-18\norganization: 区教育局",
        )
    });
    site.build_fails_with(&[error(Code::UnknownUnit, WENLV_2022, 6)]);
}

#[test]
fn county_rounds_are_named_or_inferred_and_never_both_ways() {
    let site = county();
    site.built();
    let rounds = json(&site, "rounds.json");
    let inspections = rounds["items"][1]["inspections"].as_array().unwrap();
    let inferred: BTreeSet<&str> = inspections
        .iter()
        .filter(|i| i["inferred"] == true)
        .map(|i| i["unit"].as_str().unwrap())
        .collect();
    // 教育局 names its round; the others are placed by their start date.
    assert_eq!(inferred, BTreeSet::from(["shifan", "wenlv"]));
    site.page_has("rounds/2022-1/index.html", &["按巡察开始日期归入本轮"]);

    // A round that site.yaml does not declare.
    site.edit(JIAOYU, |t| t.replace("round: 2022-1", "round: 2022-9"));
    site.build_fails_with(&[error(Code::CountyRound, JIAOYU, 15)]);

    // Two notices of one inspection that name different rounds.
    let site = county();
    site.edit("content/shifan/2022-shifan-jiedao.md", |t| {
        t.replacen(
            "  start: 2022-03-01\n",
            "  start: 2022-03-01\n  round: 2022-1\n",
            1,
        )
    })
    .edit("content/shifan/2022-shifan-jiedao-di-er-ci.md", |t| {
        t.replacen(
            "  start: 2022-03-01\n",
            "  start: 2022-03-01\n  round: 2021-1\n",
            1,
        )
    });
    let errors = site.build_errors();
    assert!(
        errors
            .0
            .iter()
            .any(|d| d.code == Code::CountyRound
                && d.file.ends_with("2022-shifan-jiedao-di-er-ci.md")),
        "{errors}"
    );
}

#[test]
fn index_numbers_are_shown_unique_and_asked_for() {
    let site = county();
    site.built().page_has(
        "notices/2022-wenlv-zhenggai/index.html",
        &[
            "<dt>索引号</dt><dd>11445102MB2C00003X/2022-00012</dd>",
            "<dt>成文日期</dt>",
        ],
    );
    // The same number twice.
    site.edit(JIAOYU, |t| {
        t.replace(
            "11445102MB2C00004X/2022-00021",
            "11445102MB2C00003X/2022-00012",
        )
    });
    let errors = site.build_errors();
    assert!(
        errors
            .0
            .iter()
            .any(|d| d.code == Code::DuplicateIndexNumber && d.line == 4),
        "{errors}"
    );
    // None, where the site asks for one: a warning.
    let site = county();
    site.edit(JIAOYU, |t| {
        t.replace("index_number: 11445102MB2C00004X/2022-00021\n", "")
    });
    site.check_finds_of(
        &[Code::MissingIndexNumber, Code::DuplicateIndexNumber],
        &[warning(Code::MissingIndexNumber, JIAOYU, 2)],
    );
}

#[test]
fn one_unit_s_column_stands_alone() {
    let site = county();
    site.edit("site.yaml", |t| {
        t.replace(
            "# base_url: https://www.example.gov.cn/dwgk/",
            "base_url: https://www.example.gov.cn/dwgk/",
        )
    });
    let out = site.path().join("wenlv-column");
    site.try_build(|o| {
        o.unit = Some("wenlv".into());
        o.output = Some(out.clone());
    })
    .unwrap();
    let files = tree(&out);
    assert!(
        !files
            .keys()
            .any(|f| f.starts_with("units/") || f.starts_with("rounds/"))
    );
    let notices: Vec<&String> = files
        .keys()
        .filter(|f| {
            f.starts_with("notices/") && f.ends_with("/index.html") && f.matches('/').count() == 2
        })
        .collect();
    assert_eq!(notices.len(), 2, "{notices:?}");
    assert!(broken_links(&out).is_empty(), "{:?}", broken_links(&out));
    // The only link out of the column goes to the county's home.
    let home = read(&out, "index.html");
    assert!(home.contains("<span class=\"site-name\">区文广旅体局党务公开</span>"));
    let outside: BTreeSet<String> = files
        .iter()
        .filter(|(f, _)| f.ends_with(".html"))
        .flat_map(|(_, bytes)| attr_values(&String::from_utf8_lossy(bytes), "href"))
        .filter(|l| l.starts_with("http"))
        .collect();
    assert_eq!(
        outside,
        BTreeSet::from(["https://www.example.gov.cn/dwgk/".to_string()])
    );

    // A unit that site.yaml does not declare.
    let errors = site
        .try_build(|o| o.unit = Some("weijian".into()))
        .unwrap_err();
    assert_eq!(errors.0[0].code, Code::Config);
    assert!(errors.0[0].help.as_deref().unwrap().contains("wenlv"));
}

#[test]
fn an_edit_renders_again_only_its_unit_its_round_and_the_county_pages() {
    let site = county();
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("preview");
    let (mut ws, _) = Workspace::open(Options::new(site.path()), out.clone());
    let before = tree(&out);
    site.edit(WENLV_2022, |t| {
        t.replace(
            "title: 针对干部培训覆盖面不足的问题\n    measures: |\n      制定年度干部教育培训计划，已举办2期业务培训班。\n    result: 正在整改",
            "title: 针对干部培训覆盖面不足的问题\n    measures: |\n      制定年度干部教育培训计划，已举办2期业务培训班。\n    result: 整改完成",
        )
    });
    ws.update(&Changes::of(site.path(), [site.path().join(WENLV_2022)]));
    ws.finish();
    let after = tree(&out);
    let changed: BTreeSet<&str> = after
        .iter()
        .filter(|(f, bytes)| f.ends_with(".html") && before.get(*f) != Some(bytes))
        .map(|(f, _)| f.as_str())
        .collect();
    for page in [
        "notices/2022-wenlv-zhenggai/index.html",
        "units/wenlv/index.html",
        "units/index.html",
        "rounds/2022-1/index.html",
        "rounds/index.html",
        "index.html",
    ] {
        assert!(
            changed.contains(page),
            "{page} not rendered again: {changed:?}"
        );
    }
    for page in [
        "units/jiaoyu/index.html",
        "units/shifan/index.html",
        "rounds/2021-1/index.html",
        "notices/2022-jiaoyu-zhenggai/index.html",
    ] {
        assert!(!changed.contains(page), "{page} rendered again");
    }
    assert_same_as_build(site.path(), &out);
}
