//! Values that read but are wrong: dates, text that must be escaped,
//! personal numbers.

use super::*;

pub(super) fn dates() -> Vec<Case> {
    let date = line_of("date:");
    let bad = [
        "2021-02-30",
        "2021-13-01",
        "0000-01-01",
        "20210-01-01",
        "2101-01-01",
        "明天",
        "2021年13月1日",
        "2021-11-26T09:30:00+25:00",
        "2021-11-26T24:30:00+08:00",
        "2021-11-26T09:30:00",
        "2021-11",
        "\"\"",
    ];
    let mut cases: Vec<Case> = bad
        .iter()
        .map(|d| {
            notice(
                format!("date {d}"),
                with_line(date, &format!("date: {d}")),
                error_at(FILE, date),
            )
        })
        .collect();
    for good in [
        "2022年3月1日",
        "2022/3/1",
        "2022.03.01",
        "2022-03-01T09:30:00+08:00",
        "2022-03-01T01:30:00Z",
    ] {
        cases.push(notice(
            format!("date {good}"),
            with_line(date, &format!("date: {good}")),
            Expect::Ok,
        ));
    }
    cases.push(notice(
        "inspection ends before it starts",
        with_line(line_of("end:"), "  end: 2021-12-01"),
        Expect::Checked {
            line: line_of("end:"),
            code: Code::InspectionDates,
        },
    ));
    cases.push(notice(
        "a revision without a date",
        with_line(line_of("- date:"), "  - note: 更正\n    date: ~")
            .replace("    note: 更正\nprivacy", "privacy"),
        error_at(FILE, line_of("- date:") + 1),
    ));
    cases
}

pub(super) fn escaping() -> Vec<Case> {
    let script = "<script>alert(1)</script>";
    let mut cases = Vec::new();
    for prefix in [
        "title:",
        "organization:",
        "doc_number:",
        "summary:",
        "group:",
        "title: 第一个问题",
        "cause:",
        "measures:",
        "address:",
        "email:",
        "reviewed_by:",
        "approved_by:",
        "note:",
    ] {
        let line = line_of(prefix);
        let key = NOTICE
            .lines()
            .nth(line - 1)
            .unwrap()
            .split(':')
            .next()
            .unwrap();
        cases.push(notice(
            format!("{script} in {prefix}"),
            with_line(
                line,
                &format!("{key}: \"{script}\\\"><img src=x onerror=alert(2)>\""),
            ),
            Expect::Ok,
        ));
    }
    cases.push(notice(
        "raw HTML in a problem's Markdown",
        with_line(line_of("cause:"), "    cause: |\n      **原因：**<script>alert(1)</script>\n      <img src=x onerror=alert(2)>"),
        Expect::Ok,
    ));
    cases.push(notice(
        "a script in a tag",
        with_line(8, &format!("tags: [\"{script}\"]")),
        Expect::Ok,
    ));
    cases.push(case("a script in site.yaml", Expect::Ok, move |site| {
        site.write(
            "site.yaml",
            &format!("title: \"{script}\"\ndescription: \"{script}\"\norganization: \"{script}\"\ncolumn: \"{script}\"\nbase_url: https://a.cn/dwgk/\nfooter:\n  icp: \"{script}\"\n  note: \"{script}\"\ncategories:\n  - {{key: policy, name: \"{script}\", short: \"{script}\"}}\n  - {{key: conduct, name: 乙}}\n  - {{key: team, name: 丙}}\n"),
        );
    }));
    cases.push(notice(
        "CDATA end in a title",
        with_line(2, "title: \"]]> & <\""),
        Expect::Ok,
    ));
    cases
}

pub(super) fn privacy() -> Vec<Case> {
    vec![
        notice(
            "a mobile number in the body",
            NOTICE.replace("正文。", "联系人手机13800138000。"),
            coded(FILE, 41, Code::PrivacyMobile),
        ),
        notice(
            "an ID number in the title",
            with_line(2, "title: 通报11010519491231002X"),
            coded(FILE, 2, Code::PrivacyIdNumber),
        ),
        notice(
            "a bank card in a cause",
            with_line(21, "    cause: 卡号6222020200112233446"),
            coded(FILE, 21, Code::PrivacyBankCard),
        ),
        notice(
            "a mobile number in a slug",
            with_line(6, "slug: a-13800138000"),
            coded(FILE, 6, Code::PrivacyMobile),
        ),
        notice(
            "a reviewed mobile number",
            NOTICE.replace("正文。", "热线13800138000。").replace(
                "privacy_reviewed: false",
                "privacy_reviewed: [\"13800138000\"]",
            ),
            Expect::Ok,
        ),
        notice(
            "every number reviewed",
            NOTICE
                .replace("正文。", "热线13800138000。")
                .replace("privacy_reviewed: false", "privacy_reviewed: true"),
            Expect::Ok,
        ),
        notice(
            "an office landline",
            NOTICE.replace("正文。", "电话0768-2100022。"),
            Expect::Ok,
        ),
        notice(
            "a date that looks like a number",
            NOTICE.replace("正文。", "编号20210101202112。"),
            Expect::Ok,
        ),
    ]
}
