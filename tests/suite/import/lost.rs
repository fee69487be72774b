//! Nothing of a source is lost: every character of every sample is in
//! the notice it gives, and the check itself catches a lost paragraph.

use super::*;

/// Every fixture with the plain text a reader sees in it.
fn sources() -> Vec<(PathBuf, Option<&'static str>, String)> {
    let mut all = Vec::new();
    for name in [
        "xiangqiao-zhengxie-2021.txt",
        "ascii-punctuation.txt",
        "three-levels.txt",
        "no-cause.txt",
        "four-categories.txt",
    ] {
        let site = (name == "four-categories.txt").then_some("four-categories-site.yaml");
        all.push((
            fixture(name),
            site,
            fs::read_to_string(fixture(name)).unwrap(),
        ));
    }
    let gbk = fs::read(fixture("gbk.txt")).unwrap();
    let (decoded, _, bad) = encoding_rs::GBK.decode(&gbk);
    assert!(!bad);
    all.push((fixture("gbk.txt"), None, decoded.into_owned()));
    for name in [
        "xiangqiao-zhengxie-2021.docx",
        "xiangqiao-zhengxie-2021-numbering.docx",
        "xiangqiao-zhengxie-2021-styles.docx",
        "table.docx",
        "corpus/audit-problem-table.docx",
    ] {
        all.push((fixture(name), None, docx_text(&fixture(name))));
    }
    // Saved as Word 97 from those, by LibreOffice: the same text.
    for (doc, docx) in [
        (
            "xiangqiao-zhengxie-2021.doc",
            "xiangqiao-zhengxie-2021.docx",
        ),
        (
            "xiangqiao-zhengxie-2021-styles.doc",
            "xiangqiao-zhengxie-2021-styles.docx",
        ),
        ("audit-problem-table.doc", "corpus/audit-problem-table.docx"),
    ] {
        all.push((fixture(doc), None, docx_text(&fixture(docx))));
    }
    // A footnote and a text box, which a .doc keeps apart from its text.
    all.push((
        fixture("notes-and-text-box.doc"),
        None,
        "关于巡察整改进展情况的通报\n正文第一段脚注的文字。\n文本框里的文字中共某县某局党组\n"
            .into(),
    ));
    all
}

/// The text runs of a Word document, one line per paragraph: read here
/// with a bare pattern, independently of the importer's reader.
fn docx_text(path: &Path) -> String {
    let mut zip = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let run = Regex::new(r"<w:t(?: [^>]*)?>([^<]*)</w:t>|</w:p>").unwrap();
    let mut out = String::new();
    for c in run.captures_iter(&xml) {
        match c.get(1) {
            Some(t) => out.push_str(&t.as_str().replace("&amp;", "&").replace("&lt;", "<")),
            None => out.push('\n'),
        }
    }
    out
}

/// What the importer may drop: Word artifacts, the field and contact
/// labels it recognised, the numbers of list items (kept as `number:`
/// or as the problem order), the headers and numbers of a table of
/// problems (labels, and `number:`), and the signature date (kept as
/// `date:`).
fn strip_recognised(source: &str) -> String {
    let patterns = [
        r"\[bookmark: [^\]]*\]",
        r"(?:原因分析|问题原因|整改情况|整改措施|整改进展|整改结果|整改成效|整改时限)\s*[：:]",
        r"(?:联系电话|监督电话|电话|邮政信箱|通讯地址|地址|邮政编码|邮编|电子邮箱)\s*[：:]",
        r"(?m)^\s*(?:\d+\s*[、.．]|[（(]\d+[）)])",
        r"(?m)^(?:序号|反馈问题|整改措施|完成时限|整改情况|\d+)$",
        r"(?m)^\s*(?:\d{4}[年.]\d{1,2}[月.]\d{1,2}日?|[〇一二三四五六七八九十]+年[一二三四五六七八九十]+月[一二三四五六七八九十]+日)\s*\z",
    ];
    let mut s = source.trim_end().to_string();
    for p in patterns {
        s = Regex::new(p).unwrap().replace_all(&s, "").into_owned();
    }
    s
}

/// Letters, digits and Han characters: the words. Spaces and punctuation
/// between recognised parts (the 、 after a number, the ； between two
/// contacts) are layout.
fn word_chars(text: &str) -> HashMap<char, usize> {
    let mut m = HashMap::new();
    for c in text.chars().filter(|c| c.is_alphanumeric()) {
        *m.entry(c).or_default() += 1;
    }
    m
}

#[test]
fn nothing_is_lost() {
    for (file, site_yaml, source) in sources() {
        let yaml = site_yaml.map(|f| fs::read_to_string(fixture(f)).unwrap());
        let s = site(yaml.as_deref());
        let rel = import_ok(s.path(), &file, &[]);
        let output = fs::read_to_string(s.path().join(rel)).unwrap();
        let have = word_chars(&output);
        let mut missing = Vec::new();
        for (c, n) in word_chars(&strip_recognised(&source)) {
            let got = have.get(&c).copied().unwrap_or(0);
            if got < n {
                missing.push(format!("{c}×{}", n - got));
            }
        }
        missing.sort();
        assert!(
            missing.is_empty(),
            "{}: characters lost: {}",
            file.display(),
            missing.join(" ")
        );
    }
}

#[test]
fn the_nothing_lost_check_catches_a_lost_paragraph() {
    // The check itself: a notice missing one paragraph of the source fails it.
    let source = fs::read_to_string(fixture("three-levels.txt")).unwrap();
    let s = site(None);
    let rel = import_ok(s.path(), &fixture("three-levels.txt"), &[]);
    let output = fs::read_to_string(s.path().join(rel)).unwrap();
    let damaged = output.replace("把整改中形成的好做法固化为制度，推动标本兼治。", "");
    assert_ne!(damaged, output);
    let have = word_chars(&damaged);
    let lost = word_chars(&strip_recognised(&source))
        .into_iter()
        .any(|(c, n)| have.get(&c).copied().unwrap_or(0) < n);
    assert!(lost);
}
