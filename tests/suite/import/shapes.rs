//! Bulletins of several shapes (the seed, ASCII punctuation, three
//! levels of numbering, clustered problems, unmatched categories, results
//! in prose), as text and as Word documents, checked field by field.

use super::*;

#[test]
fn the_seed_bulletin_imports_whole() {
    let s = site(None);
    let rel = import_ok(s.path(), &fixture("xiangqiao-zhengxie-2021.txt"), &[]);
    let n = load(s.path(), &rel);

    assert_eq!(n.title, "关于巡察整改阶段性进展情况的通报");
    assert_eq!(n.organization, "潮州市湘桥区政协机关");
    assert!(n.draft, "an imported notice waits for review");
    assert_eq!(n.problems.len(), 17);
    let numbers: Vec<u32> = n.problems.iter().map(|p| p.number).collect();
    assert_eq!(numbers, (1..=17).collect::<Vec<_>>());
    assert_eq!(
        counts(&categories(s.path(), &n)),
        [
            ("policy".to_string(), 4),
            ("conduct".to_string(), 5),
            ("team".to_string(), 8)
        ]
    );

    // Every result phrase as written, and the status it means.
    let expected: Vec<(&str, bool, bool)> = (1..=17)
        .map(|i| match i {
            1..=5 => ("整改完成，长期推进。", false, true),
            6 | 10..=17 => ("整改完成，长期推进", false, true),
            7 | 8 => ("立行立改，整改完成。", true, false),
            9 => ("立行立改，整改完成，长期推进。", true, true),
            _ => unreachable!(),
        })
        .collect();
    for (p, (result, immediate, long_term)) in n.problems.iter().zip(expected) {
        assert_eq!(p.result.as_deref(), Some(result), "problem {}", p.number);
        let status = p.status.unwrap();
        assert_eq!(status.state, State::Completed, "problem {}", p.number);
        assert_eq!(
            (status.immediate, status.long_term),
            (immediate, long_term),
            "problem {}",
            p.number
        );
    }
    // Problem 1's result is the one written `整改情况：` by mistake.
    assert!(
        !n.problems[0]
            .measures
            .as_deref()
            .unwrap()
            .contains("整改完成，长期推进")
    );

    let recovered: Vec<(u32, String)> = n
        .problems
        .iter()
        .filter_map(|p| {
            p.recovered
                .as_ref()
                .map(|y| (p.number, y.written().to_string()))
        })
        .collect();
    assert_eq!(
        recovered,
        [
            (5, "7230.3".to_string()),
            (7, "10200".to_string()),
            (9, "31626".to_string())
        ]
    );

    let i = n.inspection.as_ref().unwrap();
    assert_eq!(i.kind, InspectionKind::Xuncha);
    assert_eq!(i.group.as_deref(), Some("区委第一巡察组"));
    assert_eq!(day(i.start).as_deref(), Some("2021-04-28"));
    assert_eq!(day(i.end).as_deref(), Some("2021-08-26"));
    assert_eq!(day(i.feedback).as_deref(), Some("2021-08-26"));

    let c = n.contact.as_ref().unwrap();
    assert_eq!(c.phone.as_deref(), Some("0768-2100022"));
    assert_eq!(
        c.address.as_deref(),
        Some("湘桥区党政办公大楼4楼区政协办公室（409室）")
    );
    assert_eq!(c.postcode.as_deref(), Some("521000"));
    assert_eq!(c.email.as_deref(), Some("xiangqiaozhengxie@126.com"));
    assert!(c.note.as_deref().unwrap().contains("czxqxcb@126.com"));

    // The Word artifact is gone; the sections stay in the body, in order.
    let written = fs::read_to_string(s.path().join(&rel)).unwrap();
    assert!(!written.contains("bookmark"));
    let one = n.text.body().find("## 一、切实提高政治站位").unwrap();
    let marker = n.text.body().find("<!-- problems -->").unwrap();
    let three = n.text.body().find("## 三、切实做到纠建结合").unwrap();
    assert!(one < marker && marker < three);

    let page = build_page(s.path(), &n);
    assert_eq!(
        crate::support::count(&page, "<article class=\"problem\" id=\"problem-"),
        17
    );
    assert!(page.contains("7230.3"));
}

/// The notice without its first comment line, which names the source file.
fn dry_run(root: &Path, file: &Path) -> String {
    let out = gongkai_in(root, &["import", file.to_str().unwrap(), "--dry-run"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!root.join("content").exists(), "--dry-run writes nothing");
    let notice = text(&out.stdout);
    let (first, rest) = notice.split_once('\n').unwrap();
    assert!(first.starts_with("---"), "{first}");
    let (_, rest) = rest.split_once('\n').unwrap();
    rest.to_string()
}

#[test]
fn the_word_documents_give_the_same_notice() {
    let s = site(None);
    let from_text = dry_run(s.path(), &fixture("xiangqiao-zhengxie-2021.txt"));
    let from_word = dry_run(s.path(), &fixture("xiangqiao-zhengxie-2021.docx"));
    let numbered = dry_run(s.path(), &fixture("xiangqiao-zhengxie-2021-numbering.docx"));
    assert!(from_text.contains("number: 17"));
    assert_eq!(from_word, from_text);
    assert_eq!(numbered, from_text);
    let styled = dry_run(s.path(), &fixture("xiangqiao-zhengxie-2021-styles.docx"));
    assert_eq!(styled, from_text);
}

/// The same bulletin saved as Word 97–2003 (`.doc`, by LibreOffice).
#[test]
fn a_word_97_document_gives_the_same_notice() {
    let s = site(None);
    let from_text = dry_run(s.path(), &fixture("xiangqiao-zhengxie-2021.txt"));
    let from_doc = dry_run(s.path(), &fixture("xiangqiao-zhengxie-2021.doc"));
    assert_eq!(from_doc, from_text);
    // Its problems numbered by a paragraph style linked to a list.
    let styled = dry_run(s.path(), &fixture("xiangqiao-zhengxie-2021-styles.doc"));
    assert_eq!(styled, from_text);

    // Its headings and problems numbered by Word itself: the numbers are
    // not in the text but in the list definitions, read as Word shows them.
    let numbered = dry_run(s.path(), &fixture("xiangqiao-zhengxie-2021-numbering.doc"));
    assert!(numbered.contains("number: 17"), "{numbered}");
    assert!(
        numbered.contains("# （一）贯彻落实党的路线方针政策"),
        "{numbered}"
    );

    // A table of problems, as in the .docx it was saved from.
    let table_doc = dry_run(s.path(), &fixture("audit-problem-table.doc"));
    let table_docx = dry_run(s.path(), &fixture("corpus/audit-problem-table.docx"));
    assert_eq!(table_doc, table_docx);
    assert!(table_doc.contains("title: 公务接待不规范"), "{table_doc}");
}

/// A web system's "Word" download that is a web page named `.doc` is read
/// as the web page it is, with what the page says around the bulletin.
#[test]
fn a_web_page_named_doc() {
    let s = site(None);
    let dir = tempfile::tempdir().unwrap();
    let named = dir.path().join("通报.doc");
    fs::copy(fixture("corpus/page-problem-table.html"), &named).unwrap();
    let as_doc = dry_run(s.path(), &named);
    let as_page = dry_run(s.path(), &fixture("corpus/page-problem-table.html"));
    assert_eq!(as_doc, as_page);
    // An MHT ("single file web page") is refused, saying what to do.
    let mht = dir.path().join("通报2.doc");
    fs::write(
        &mht,
        "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"x\"\r\n",
    )
    .unwrap();
    let out = gongkai_in(s.path(), &["import", mht.to_str().unwrap(), "--dry-run"]);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("单个文件网页”（MHT）"),
        "{}",
        text(&out.stderr)
    );
}

/// A .doc keeps footnotes and text boxes apart from its text: their words
/// come after the body, marked, and take no place of the signature's.
#[test]
fn a_word_97_documents_footnote_and_text_box() {
    let s = site(None);
    let file = fixture("notes-and-text-box.doc");
    let out = gongkai_in(s.path(), &["import", file.to_str().unwrap(), "--dry-run"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let notice = text(&out.stdout);
    assert!(
        notice.contains("organization: 中共某县某局党组"),
        "{notice}"
    );
    let body = notice.rsplit("---\n").next().unwrap();
    let footnote = body.find("<!-- 原文脚注里的文字，请移到原来的位置 -->\n\n脚注的文字");
    let text_box = body.find("<!-- 原文文本框里的文字，请移到原来的位置 -->\n\n文本框里的文字");
    assert!(footnote.is_some() && text_box.is_some(), "{body}");
    assert!(body.find("正文第一段") < footnote, "{body}");
    let report = text(&out.stderr);
    assert!(
        report.contains("原文脚注、文本框里的文字放在了正文最后"),
        "{report}"
    );
}

#[test]
fn ascii_punctuation() {
    let s = site(None);
    let rel = import_ok(s.path(), &fixture("ascii-punctuation.txt"), &[]);
    let n = load(s.path(), &rel);
    assert_eq!(n.organization, "中共潮州市档案馆党组");
    assert_eq!(n.date.day.iso(), "2022-09-30");
    assert_eq!(
        categories(s.path(), &n),
        ["policy", "policy", "conduct", "team"]
    );
    let states: Vec<State> = n.problems.iter().map(|p| p.status.unwrap().state).collect();
    assert_eq!(
        states,
        [
            State::Staged,
            State::Completed,
            State::Completed,
            State::InProgress
        ]
    );
    assert_eq!(n.problems[0].result.as_deref(), Some("阶段性完成,长期坚持"));
    assert_eq!(
        n.problems[2].recovered.as_ref().map(|y| y.fen()),
        Some(150_000)
    );
    let i = n.inspection.as_ref().unwrap();
    assert_eq!(i.group.as_deref(), Some("十二届市委第一巡察组"));
    assert_eq!(day(i.end).as_deref(), Some("2022-05-10"));
    assert_eq!(day(i.feedback).as_deref(), Some("2022-07-08"));
    let c = n.contact.as_ref().unwrap();
    assert_eq!(c.phone.as_deref(), Some("0768-1234567"));
    assert_eq!(c.email.as_deref(), Some("jubao@example.cn"));
    build_page(s.path(), &n);
}

#[test]
fn three_levels_of_numbering() {
    let s = site(None);
    let rel = import_ok(s.path(), &fixture("three-levels.txt"), &[]);
    let n = load(s.path(), &rel);
    assert_eq!(n.problems.len(), 4);
    assert_eq!(
        categories(s.path(), &n),
        ["policy", "policy", "conduct", "team"]
    );
    // The （1）（2） items stay inside the measures, as paragraphs.
    let m = n.problems[0].measures.as_deref().unwrap();
    assert!(
        m.contains("（1）制定《区林长制工作实施方案》") && m.contains("（2）开展巡林护林"),
        "{m}"
    );
    assert_eq!(n.problems[0].title, "落实林长制工作不够扎实的问题");
    assert_eq!(
        n.problems[2]
            .recovered
            .as_ref()
            .map(|y| y.written().to_string()),
        Some("50227".into())
    );
    assert_eq!(n.problems[3].status.unwrap().state, State::InProgress);
    // Sections 一 and 三 stay in the body, around the problems.
    assert!(n.text.body().contains("## 一、整改工作的组织开展情况"));
    assert!(n.text.body().contains("**（一）持续巩固整改成果。**"));
    let c = n.contact.as_ref().unwrap();
    assert_eq!(c.address.as_deref(), Some("潮州市湘桥区林业局办公室"));
    assert_eq!(c.postcode.as_deref(), Some("521000"));
    build_page(s.path(), &n);
}

/// `1.关于……` over `(1)`, `(2)` beside a `1.关于……` with labels of its
/// own: every labelled number is a problem, the numbers above them stay as
/// headings, and the outer heading decides the category.
#[test]
fn problem_clusters_beside_problems_of_their_own() {
    let s = site(None);
    let file = fixture("corpus/nested-clusters-wenlv.txt");
    let rel = import_ok(s.path(), &file, &[]);
    let n = load(s.path(), &rel);
    let titles: Vec<&str> = n.problems.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            // A full stop inside the quotes does not end the title, and
            // `关于“……”问题的整改` around it is not the problem's words.
            "学习党的创新理论不深不透。局党组未按计划开展专题学习,结合文旅工作实际不够",
            "意识形态工作责任制落实不到位",
            "文物安全巡查不到位",
            "干部交流轮岗不及时",
        ]
    );
    assert_eq!(
        n.problems.iter().map(|p| p.number).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    assert_eq!(
        categories(s.path(), &n),
        ["policy", "policy", "policy", "team"]
    );
    // The result closing the measures is the result.
    let states: Vec<State> = n.problems.iter().map(|p| p.status.unwrap().state).collect();
    assert_eq!(
        states,
        [
            State::Completed,
            State::InProgress,
            State::Completed,
            State::Completed
        ]
    );
    // The headings are kept, in order, above their problems.
    let written = fs::read_to_string(s.path().join(&rel)).unwrap();
    let headings: Vec<&str> = written
        .lines()
        .filter_map(|l| l.strip_prefix("  # "))
        .collect();
    assert_eq!(
        headings,
        [
            "(一)在“贯彻落实上级决策部署不够有力”方面",
            "1.关于“理论学习和重大决策部署落实不够到位”问题的整改",
            "(二)在“选人用人和班子建设有差距”方面",
        ]
    );
    build_page(s.path(), &n);
}

#[test]
fn four_categories_worded_with_focus() {
    let s = site(Some(
        &fs::read_to_string(fixture("four-categories-site.yaml")).unwrap(),
    ));
    let rel = import_ok(s.path(), &fixture("four-categories.txt"), &[]);
    let n = load(s.path(), &rel);
    // The bulletin's order differs from site.yaml's: matched by wording.
    assert_eq!(
        categories(s.path(), &n),
        ["conduct", "conduct", "policy", "rectify", "party"]
    );
    let numbers: Vec<u32> = n.problems.iter().map(|p| p.number).collect();
    assert_eq!(
        numbers,
        [1, 2, 3, 4, 5],
        "numbers restarting per category become one sequence"
    );
    assert_eq!(n.organization, "中共某省水利厅党组");
    assert_eq!(n.date.day.iso(), "2023-12-20");
    let i = n.inspection.as_ref().unwrap();
    assert_eq!(i.kind, InspectionKind::Xunshi);
    assert_eq!(i.group.as_deref(), Some("省委第二巡视组"));
    assert_eq!(day(i.feedback).as_deref(), Some("2023-09-12"));
    assert_eq!(
        n.problems[0].recovered.as_ref().map(|y| y.fen()),
        Some(86_000_000)
    );
    build_page(s.path(), &n);
}

#[test]
fn an_unmatched_category_is_guessed_reported_and_settled_with_a_map() {
    let s = site(None);
    let file = fixture("four-categories.txt");
    // Headings that are none of the site's categories are placed by their
    // wording; the report and the notice say so, for the reviewer.
    let out = gongkai_in(s.path(), &["import", file.to_str().unwrap(), "--dry-run"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stderr);
    assert!(
        report.contains("第 13 行：类别标题“（二）聚焦落实党中央决策部署和上级部署要求方面”不是站点的问题类别，按措辞（含“决策部署”“党中央”）把它下面的问题归入 policy"),
        "{report}"
    );
    assert!(
        report.contains("第 18 行：类别标题“（三）聚焦巡视整改和成果运用方面”"),
        "{report}"
    );
    let notice = text(&out.stdout);
    assert_eq!(notice.matches("推断，请核对").count(), 2, "{notice}");
    assert!(!s.path().join("content").exists(), "nothing written");

    let rel = import_ok(
        s.path(),
        &file,
        &[
            "--category-map",
            "policy=落实党中央决策部署",
            "--category-map",
            "team=巡视整改和成果运用",
        ],
    );
    let n = load(s.path(), &rel);
    assert_eq!(
        categories(s.path(), &n),
        ["conduct", "conduct", "policy", "team", "team"]
    );

    let out = gongkai_in(
        s.path(),
        &[
            "import",
            file.to_str().unwrap(),
            "--category-map",
            "nope=巡视",
        ],
    );
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("未知的问题类别“nope”"));
}

#[test]
fn no_cause_analysis_and_results_in_prose() {
    let s = site(None);
    let file = fixture("no-cause.txt");
    let out = gongkai_in(s.path(), &["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    // Each unsure place is reported with its line.
    assert!(
        report.contains("第 8 行：第 2 项问题没有整改结果"),
        "{report}"
    );
    assert!(
        report.contains("第 17 行：整改结果“通过清理规范"),
        "{report}"
    );

    let rel = import_ok_existing(s.path());
    let n = load(s.path(), &rel);
    assert!(n.problems.iter().all(|p| p.cause.is_none()));
    // A deadline is not a status: it is the problem's deadline, and no
    // result is invented.
    assert_eq!(n.problems[1].result, None);
    assert_eq!(
        n.problems[1].deadline.as_ref().map(|d| d.written.as_str()),
        Some("2023年12月底前")
    );
    assert!(!n.problems[1].measures.as_deref().unwrap().contains("时限"));
    assert_eq!(n.problems[2].result.as_deref(), Some("已完成整改。"));
    assert_eq!(
        n.problems[2].recovered.as_ref().map(|y| y.fen()),
        Some(3_200_000)
    );
    // A result in prose keeps its words; its status is stated beside it.
    assert_eq!(n.problems[3].status.unwrap().state, State::Completed);
    assert_eq!(n.problems[4].status.unwrap().state, State::Staged);
    let i = n.inspection.as_ref().unwrap();
    assert_eq!(i.group.as_deref(), Some("县委巡察二组"));
    assert_eq!(day(i.start).as_deref(), Some("2023-03-01"));
    assert_eq!(day(i.end).as_deref(), Some("2023-04-28"));
    assert_eq!(day(i.feedback).as_deref(), Some("2023-05-20"));
    let c = n.contact.as_ref().unwrap();
    assert_eq!(c.phone.as_deref(), Some("0768-5550000"));
    assert_eq!(c.address.as_deref(), Some("某县供销合作社联合社办公室"));
    assert_eq!(c.postcode.as_deref(), Some("515000"));
    assert_eq!(
        c.intro.as_deref(),
        Some("欢迎广大党员、干部和群众对整改情况进行监督。")
    );
    build_page(s.path(), &n);
}

/// A copy of a county site's page: the column's name above the title and
/// joined to it, the page's date in brackets, `- 信息来源:` with its value
/// below, a cross inspection, the labels of another template, problem
/// titles wrapped in `关于“……”问题的整改情况`, a long section heading,
/// and contacts labelled `监督电话` without a colon.
#[test]
fn a_county_page_with_its_column_and_another_templates_labels() {
    let s = site(None);
    let rel = import_ok(s.path(), &fixture("corpus/web-column-cross.txt"), &[]);
    let n = load(s.path(), &rel);
    assert_eq!(
        n.title,
        "中共某县自然资源局党组关于市委交叉巡察反馈意见整改进展情况的通报"
    );
    assert_eq!(n.organization, "中共某县自然资源局党组");
    // The page's date is the notice's; the signature's is the written one.
    assert_eq!(n.date.day.iso(), "2024-10-18");
    let i = n.inspection.as_ref().unwrap();
    assert_eq!(i.group.as_deref(), Some("市委交叉巡察第五组"));
    assert_eq!(day(i.feedback).as_deref(), Some("2024-07-26"));
    let titles: Vec<&str> = n.problems.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "耕地保护责任落实不到位",
            "国土空间规划编制滞后",
            "干部队伍年龄结构老化"
        ]
    );
    let states: Vec<State> = n.problems.iter().map(|p| p.status.unwrap().state).collect();
    assert_eq!(
        states,
        [State::Completed, State::InProgress, State::Completed]
    );
    assert!(
        n.problems[2]
            .measures
            .as_deref()
            .is_some_and(|m| m.contains("引进专业技术人员5名"))
    );
    let body = n.text.body();
    assert!(
        body.contains(
            "## 一、提高政治站位，切实扛起巡察整改主体责任，把巡察整改作为重大政治任务抓紧抓实"
        ),
        "{body}"
    );
    assert!(
        !body.contains("信息时间") && !body.contains("信息来源"),
        "{body}"
    );
    let c = n.contact.as_ref().unwrap();
    assert_eq!(c.phone.as_deref(), Some("0937-6123456"));
    assert_eq!(c.email.as_deref(), Some("zrzyj@163.com"));
    assert_eq!(
        c.intro.as_deref(),
        Some("欢迎广大干部群众对巡察整改落实情况进行监督。如有意见建议，请及时向我们反映。")
    );
    build_page(s.path(), &n);
}

/// Problems listed in a Word table (整改情况一览表): a row per problem,
/// the categories as rows merged across the table, a problem over two
/// rows of measures, a deadline column, and a column of results headed
/// `整改情况`.
#[test]
fn problems_in_a_word_table() {
    let s = site(None);
    let rel = import_ok(s.path(), &fixture("corpus/audit-problem-table.docx"), &[]);
    let n = load(s.path(), &rel);
    let titles: Vec<&str> = n.problems.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(
        titles,
        ["审计监督重点不突出", "审计整改跟踪不到位", "公务接待不规范"]
    );
    assert_eq!(categories(s.path(), &n), ["policy", "policy", "conduct"]);
    let states: Vec<State> = n.problems.iter().map(|p| p.status.unwrap().state).collect();
    assert_eq!(
        states,
        [State::Completed, State::InProgress, State::Completed]
    );
    // The second row of problem 2 is more of its measures.
    let m = n.problems[1].measures.as_deref().unwrap();
    assert!(
        m.contains("逐项销号") && m.contains("每季度通报整改进度"),
        "{m}"
    );
    assert!(n.problems[0].deadline.is_some());
    assert_eq!(
        n.problems[2].recovered.as_ref().map(|y| y.fen()),
        Some(150_000)
    );
    // The caption stays in the text; the table does not.
    let body = n.text.body();
    assert!(body.contains("巡察反馈问题整改情况一览表"), "{body}");
    assert!(!body.contains("| 序号"), "{body}");
    build_page(s.path(), &n);
}

/// A web page's table of problems: categories in rows across it
/// (`colspan`), a problem over two rows of measures (`rowspan`),
/// paragraphs in a cell, and a column the content model has no field for
/// (`责任单位`), kept in the measures under its header.
#[test]
fn problems_in_a_web_pages_table() {
    let s = site(None);
    let rel = import_ok(s.path(), &fixture("corpus/page-problem-table.html"), &[]);
    let n = load(s.path(), &rel);
    assert_eq!(n.problems.len(), 3);
    assert_eq!(categories(s.path(), &n), ["policy", "conduct", "team"]);
    assert_eq!(n.problems[1].title, "违规发放津补贴");
    let m = n.problems[1].measures.as_deref().unwrap();
    assert!(
        m.contains("清退违规发放") && m.contains("修订津补贴发放办法"),
        "{m}"
    );
    assert_eq!(n.problems[1].result.as_deref(), Some("已完成整改"));
    let m = n.problems[0].measures.as_deref().unwrap();
    assert!(
        m.contains("制定年度学习计划。\n\n开展专题学习6次。") && m.contains("责任单位：党政办"),
        "{m}"
    );
    assert_eq!(n.problems[2].result.as_deref(), Some("正在整改，长期坚持"));
    build_page(s.path(), &n);
}

/// A table copied into Notepad: its rows are lines of tab-separated cells.
#[test]
fn problems_in_a_table_copied_as_text() {
    let s = site(None);
    let text = "关于巡察整改进展情况的通报\n\
        根据县委统一部署，2024年3月11日至5月10日，县委第二巡察组对县财政局党组进行了常规巡察。\n\
        （一）巡察反馈问题整改落实方面\n\
        序号\t问题类别\t反馈问题\t整改措施\t整改情况\n\
        1\t贯彻落实党中央决策部署方面\t学习贯彻不够深入\t制定学习计划\t已完成\n\
        2\t群众身边腐败问题和不正之风方面\t财务管理不规范\t建立财务制度\t正在整改\n\
        中共某县财政局党组\n2024年9月2日\n";
    let file = s.path().join("copied.txt");
    fs::write(&file, text).unwrap();
    let rel = import_ok(s.path(), &file, &[]);
    let n = load(s.path(), &rel);
    assert_eq!(categories(s.path(), &n), ["policy", "conduct"]);
    assert_eq!(n.problems[1].result.as_deref(), Some("正在整改"));
    // The heading above the table, whose rows name their own categories,
    // is kept as the other headings are.
    let written = fs::read_to_string(s.path().join(&rel)).unwrap();
    assert!(
        written.contains("# （一）巡察反馈问题整改落实方面"),
        "{written}"
    );
    build_page(s.path(), &n);
}

/// A table per category, under its heading, each numbered from 1: the
/// numbers become one sequence, as those of numbered problems do.
#[test]
fn a_table_per_category_numbered_from_one_each() {
    let s = site(None);
    let text = "关于巡察整改进展情况的通报\n\
        根据县委统一部署，2024年3月11日至5月10日，县委第二巡察组对县财政局党组进行了常规巡察。\n\
        （一）贯彻落实党中央决策部署方面\n\
        序号\t反馈问题\t整改措施\t整改情况\n\
        1\t学习贯彻不够深入\t制定学习计划\t已完成\n\
        2\t决策部署落实不到位\t建立督办台账\t已完成\n\
        （二）群众身边腐败问题和不正之风方面\n\
        序号\t反馈问题\t整改措施\t整改情况\n\
        1\t财务管理不规范\t建立财务制度\t正在整改\n\
        2\t公务接待超标准\t清退接待费用\t已完成\n\
        中共某县财政局党组\n2024年9月2日\n";
    let file = s.path().join("tables.txt");
    fs::write(&file, text).unwrap();
    let rel = import_ok(s.path(), &file, &[]);
    let n = load(s.path(), &rel);
    let numbers: Vec<u32> = n.problems.iter().map(|p| p.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4]);
    assert_eq!(
        categories(s.path(), &n),
        ["policy", "policy", "conduct", "conduct"]
    );
    build_page(s.path(), &n);
}

/// A page copied without its title or signature: the opening names the
/// body inspected, which is proposed as the issuing body, to be checked.
#[test]
fn without_a_signature_the_body_inspected_is_proposed() {
    let s = site(None);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("opening.txt");
    fs::write(
        &file,
        "按照区委统一部署,2024年3月5日至4月18日,区委第一巡察组对区行政审批和政务信息管理局党组开展了政治巡察。2024年5月16日,区委第一巡察组向我局反馈了巡察意见,现将巡察整改情况予以公布:\n一、整改工作情况\n正文。\n",
    )
    .unwrap();
    let out = gongkai_in(s.path(), &["import", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = format!("{}{}", text(&out.stdout), text(&out.stderr));
    assert!(report.contains("被巡察单位"), "{report}");
    let rel = fs::read_dir(s.path().join("content/notices"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .next()
        .unwrap();
    let n = load(s.path(), rel.strip_prefix(s.path()).unwrap());
    assert_eq!(n.organization, "区行政审批和政务信息管理局党组");
}
