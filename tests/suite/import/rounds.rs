//! A round's later bulletin continuing its problems; whole columns of
//! real styles imported in one command, where a file that fails does not
//! stop the others.

use super::*;

#[test]
fn a_later_bulletin_of_a_round_in_the_site_continues_its_problems() {
    // The site has the round's first notice; its second comes from Word.
    let site = crate::support::SiteTest::fixture("series");
    for later in ["2023-a-second.md", "2024-a-third.md"] {
        site.remove(&format!("content/notices/{later}"));
    }
    site.edit("site.yaml", |t| {
        t.replace("organization: 某区某局", "organization: 某区某局党组")
    });
    let first = "content/notices/2023-a-first.md";
    site.edit(first, |t| {
        t.replacen("date:", "organization: 某区某局党组\ndate:", 1)
    });
    let out = gongkai_in(
        site.path(),
        &["import", fixture("mou-ju-di-er-ci.txt").to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    // By wording where the number differs, by number where both agree, and
    // a problem the round has not had.
    for line in [
        "同一轮巡察在站点里已有 1 篇通报",
        "第1项 → 2023年6月30日通报第3项“针对食堂采购不规范的问题”（按内容对应）",
        "第2项 → 2023年6月30日通报第4项“针对干部培训不足的问题”（按内容对应）",
        "第3项 → 新问题，前面的通报里没有",
        "第4项 → 2023年6月30日通报第1项“针对理论学习不深入的问题”（按内容对应）",
    ] {
        assert!(report.contains(line), "{line}\n{report}");
    }

    let written = fs::read_dir(site.path().join("content/notices"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            !p.ends_with("2023-a-first.md")
                && !p.ends_with("2022-c.md")
                && !p.ends_with("2021-b.md")
        })
        .unwrap();
    let notice = fs::read_to_string(&written).unwrap();
    assert!(notice.contains("follows: 2023-a-first#3"), "{notice}");
    assert!(notice.contains("follows: 2023-a-first#4"), "{notice}");
    assert!(
        notice.contains("follows: 无"),
        "number 3 of the round is another problem"
    );
    assert!(notice.contains("follows: 2023-a-first#1"), "{notice}");

    // Published, the ledger follows the imported problems.
    fs::write(&written, notice.replace("draft: true\n", "")).unwrap();
    site.build();
    let inspections: serde_json::Value =
        serde_json::from_str(&site.page("inspections.json")).unwrap();
    let round = inspections["inspections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["notices"].as_array().unwrap().len() == 2)
        .expect("the round has both notices");
    let followed: Vec<usize> = round["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["history"].as_array().unwrap().len())
        .collect();
    // Five problems of the first notice (1, 3, 4 reported again), one new.
    assert_eq!(followed, [2, 1, 2, 2, 1, 1]);
}

/// The corpus of bulletins in the styles organisations publish (web copies
/// with half-width punctuation and page chrome, 巡视 problem clusters, no
/// category headings, a 督察 report and its opening, saved web pages in
/// UTF-8 and GBK, problems in a table of Word or of a web page):
/// file, issuing body, date, problems, inspection group (if it names one).
const CORPUS: &[(&str, &str, &str, usize, Option<&str>)] = &[
    (
        "audit-problem-table.docx",
        "中共某县审计局党组",
        "2024-10-20",
        3,
        Some("县委第四巡察组"),
    ),
    (
        "bureau-halfparen.txt",
        "中共某县财政局党组",
        "2023-11-20",
        3,
        Some("县委第二巡察组"),
    ),
    (
        "district-xunshi-headings.txt",
        "中共某区委员会",
        "2023-12-29",
        5,
        Some("市委第一巡视组"),
    ),
    (
        "ducha-ecology.txt",
        "某市生态环境保护督察整改工作领导小组办公室",
        "2022-12-30",
        3,
        Some("中央第三生态环境保护督察组"),
    ),
    (
        "gbk-halfwidth-nongye.txt",
        "中共某县农业农村局党组",
        "2023-07-07",
        3,
        Some("县委第四巡察组"),
    ),
    (
        "hospital-no-year.txt",
        "中共某市第二人民医院委员会",
        "2023-06-30",
        3,
        Some("市委第五巡察组"),
    ),
    (
        "huitoukan.txt",
        "中共某区市场监督管理局党组",
        "2023-11-28",
        3,
        Some("区委第三巡察组"),
    ),
    (
        "labels-variants.txt",
        "中共某镇委员会",
        "2023-04-12",
        3,
        Some("县委第二巡察组"),
    ),
    (
        "nested-clusters-wenlv.txt",
        "中共某区文化和旅游局党组",
        "2023-05-08",
        4,
        Some("区委第一巡察组"),
    ),
    (
        "no-headings-jizhong.txt",
        "中共某县人民医院委员会",
        "2023-10-16",
        4,
        Some("县委第一巡察组"),
    ),
    (
        "page-gbk-trs.html",
        "中共某县水务局党组",
        "2022-12-26",
        3,
        Some("县委第三巡察组"),
    ),
    (
        "page-only-html-td.html",
        "中共某街道工作委员会",
        "2023-12-15",
        3,
        Some("区委第五巡察组"),
    ),
    (
        "page-problem-table.html",
        "中共某镇委员会",
        "2024-10-16",
        3,
        Some("县委第三巡察组"),
    ),
    (
        "page-utf8-zoom.html",
        "中共某区交通运输局党组",
        "2023-08-18",
        3,
        Some("区委第一巡察组"),
    ),
    (
        "web-chrome-metadata.txt",
        "中共某区卫生健康局党组",
        "2023-09-15",
        3,
        Some("区委第四巡察组"),
    ),
    (
        "web-column-cross.txt",
        "中共某县自然资源局党组",
        "2024-10-18",
        3,
        Some("市委交叉巡察第五组"),
    ),
    (
        "web-halfwidth-no-year.txt",
        "中共某区教育局委员会",
        "2023-09-28",
        3,
        Some("区委第二巡察组"),
    ),
    (
        "web-halfwidth-wenlvti.txt",
        "中共某区文化广电旅游体育局党组",
        "2023-04-20",
        4,
        Some("区委第二巡察组"),
    ),
    (
        "working-committee-handun.txt",
        "中共某经济开发区工作委员会",
        "2023-06-08",
        3,
        Some("市委第三巡察组"),
    ),
    (
        "xunshi-clusters-city.txt",
        "中共某市委员会",
        "2022-12-28",
        4,
        Some("省委第六巡视组"),
    ),
];

#[test]
fn a_whole_column_of_real_styles_imports_in_one_command() {
    let s = site(None);
    let folder = fixture("corpus");
    let out = gongkai_in(
        s.path(),
        &["import", folder.to_str().unwrap(), "--format", "json"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let records = report.as_array().unwrap();
    assert_eq!(records.len(), CORPUS.len(), "one record per file");
    let mut notices = Vec::new();
    for (file, organization, date, problems, group) in CORPUS {
        let r = records
            .iter()
            .find(|r| r["file"].as_str().unwrap().ends_with(file))
            .unwrap_or_else(|| panic!("{file} is not in the report"));
        assert_eq!(r["imported"], true, "{file}: {r}");
        let rel = PathBuf::from(r["notice"].as_str().unwrap());
        let rel = rel.strip_prefix(s.path()).unwrap_or(&rel).to_path_buf();
        let n = load(s.path(), &rel);
        assert_eq!(n.organization, *organization, "{file}");
        assert_eq!(n.date.day.iso(), *date, "{file}");
        assert_eq!(n.problems.len(), *problems, "{file}");
        // The opening formula is read whenever it names the group.
        match group {
            Some(g) => {
                let i = n
                    .inspection
                    .as_ref()
                    .unwrap_or_else(|| panic!("{file}: no inspection"));
                assert_eq!(i.group.as_deref(), Some(*g), "{file}");
                assert!(i.start.is_some() && i.end.is_some(), "{file}: {i:?}");
                // The report's record says what the notice says.
                let said = &r["inspection"];
                assert_eq!(said["group"].as_str(), Some(*g), "{file}: {r}");
                assert_eq!(said["start"].as_str(), i.start.map(|d| d.iso()).as_deref());
                let kind = match () {
                    _ if g.contains("督察") => InspectionKind::Ducha,
                    _ if g.contains("巡视") => InspectionKind::Xunshi,
                    _ => InspectionKind::Xuncha,
                };
                assert_eq!(i.kind, kind, "{file}");
            }
            None => assert!(n.inspection.is_none(), "{file}"),
        }
        // Every problem has a category, and every guess says so.
        let written = fs::read_to_string(s.path().join(&rel)).unwrap();
        let guessed = r["guessed"].as_array().unwrap().len();
        assert!(written.matches("，请核对\n").count() >= guessed, "{file}");
        notices.push((file, rel, written));
    }
    // Nothing of the text files is lost but labels and the page chrome the
    // report lists.
    let label = Regex::new(
        r"(?:原因分析|问题原因|整改情况|整改措施及成效|整改措施及进展|整改措施|整改结果|整改成效|整改进展情况|整改进展|整改进度|完成情况|联系方式|联系电话|监督电话|电话|邮政信箱|邮政编码|监督邮箱|电子邮箱)\s*[：:]?|^\s*(?:\d+\s*[、.．)）]|[（(]\d+[）)]|问题\d+[：:]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])|^\s*\d{4}年\d{1,2}月\d{1,2}日\s*$",
    )
    .unwrap();
    for (file, _, written) in &notices {
        if !file.ends_with(".txt") || file.starts_with("gbk") {
            continue;
        }
        let r = records
            .iter()
            .find(|r| r["file"].as_str().unwrap().ends_with(*file))
            .unwrap();
        let removed: Vec<&str> = r["removed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x[1].as_str().unwrap())
            .collect();
        let have = count_words(written);
        for line in fs::read_to_string(fixture("corpus").join(file))
            .unwrap()
            .lines()
        {
            // Chrome is a whole line, or a column's name joined to one.
            let line = line.trim();
            let Some(line) = removed
                .iter()
                .filter(|r| line.starts_with(**r))
                .map(|r| &line[r.len()..])
                .min_by_key(|rest| rest.len())
                .or(Some(line))
                .filter(|rest| !rest.trim().is_empty())
            else {
                continue;
            };
            for (c, n) in count_words(&label.replace_all(line, "")) {
                assert!(
                    have.get(&c).copied().unwrap_or(0) >= n,
                    "{file}: lost {c} of {line:?}"
                );
            }
        }
    }
    // All of them build.
    let options = Options {
        drafts: true,
        ..Options::new(s.path())
    };
    if let Err(e) = build(&options) {
        panic!("the imported column does not build:\n{e}");
    }
}

fn count_words(text: &str) -> HashMap<char, usize> {
    let mut m = HashMap::new();
    for c in text.chars().filter(|c| c.is_alphanumeric()) {
        *m.entry(c).or_default() += 1;
    }
    m
}

#[test]
fn a_failing_file_does_not_stop_the_others_and_names_clash_no_more() {
    let s = site(None);
    let dir = tempfile::tempdir().unwrap();
    let corpus = fixture("corpus");
    // The same bulletin twice, and a file that is no bulletin at all.
    for name in ["a.txt", "b.txt"] {
        fs::copy(corpus.join("huitoukan.txt"), dir.path().join(name)).unwrap();
    }
    fs::write(
        dir.path().join("broken.docx"),
        b"PK\x03\x04 not really a zip",
    )
    .unwrap();
    let out = gongkai_in(s.path(), &["import", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "a file failed");
    let said = text(&out.stdout);
    assert!(
        said.contains("共 3 个文件：2 篇已导入，1 个有错误"),
        "{said}"
    );
    assert!(said.contains("与本次导入的另一个文件同名"), "{said}");
    let written: Vec<_> = fs::read_dir(s.path().join("content/notices"))
        .unwrap()
        .collect();
    assert_eq!(written.len(), 2, "both copies are written, under two names");
}
