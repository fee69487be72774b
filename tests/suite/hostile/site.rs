//! The site's configuration, templates and links.

use super::*;

pub(super) fn config() -> Vec<Case> {
    let yaml = |name: &str, text: &str, expect: Expect| {
        let text = text.to_string();
        case(name, expect, move |site| {
            site.write("site.yaml", &text);
        })
    };
    let base = "title: 党务公开\norganization: 某单位\n";
    vec![
        yaml(
            "an empty site.yaml",
            "",
            coded("site.yaml", 1, Code::Config),
        ),
        yaml(
            "site.yaml is a list",
            "- a\n",
            coded("site.yaml", 1, Code::Config),
        ),
        yaml(
            "a control character, not at the start",
            &format!("{base}# 说明\u{1}\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "an unknown field",
            &format!("{base}titel: x\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "a field twice",
            &format!("{base}title: x\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "no categories",
            &format!("{base}categories: []\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "a category key twice",
            &format!("{base}categories:\n  - {{key: a, name: 甲}}\n  - {{key: a, name: 乙}}\n"),
            coded("site.yaml", 5, Code::Config),
        ),
        yaml(
            "a category key that is not a slug",
            &format!("{base}categories:\n  - {{key: 政策, name: 甲}}\n"),
            coded("site.yaml", 4, Code::Config),
        ),
        yaml(
            "base_url with a query",
            &format!("{base}base_url: https://a.cn/?from=rss\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "base_url with a fragment",
            &format!("{base}base_url: https://a.cn/#top\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "base_url without a scheme",
            &format!("{base}base_url: a.cn/dwgk\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "base_url with three slashes",
            &format!("{base}base_url: https:///dwgk/\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "notices_per_page 0",
            &format!("{base}notices_per_page: 0\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "notices_per_page -1",
            &format!("{base}notices_per_page: -1\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "a theme that leaves the themes folder",
            &format!("{base}theme: ../../../../etc\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "a theme that does not exist",
            &format!("{base}theme: no-such-theme\n"),
            coded("site.yaml", 3, Code::Theme),
        ),
        yaml(
            "search: yes",
            &format!("{base}search: 是\n"),
            coded("site.yaml", 3, Code::Config),
        ),
        yaml(
            "a title that is null",
            "title: ~\norganization: 某单位\n",
            coded("site.yaml", 1, Code::Config),
        ),
        yaml(
            "250,000 nested brackets",
            &format!("{base}footer: {}\n", "[".repeat(250_000)),
            coded("site.yaml", 3, Code::Config),
        ),
        case(
            "no site.yaml",
            coded("site.yaml", 0, Code::Config),
            |site| {
                fs::remove_file(site.path().join("site.yaml")).unwrap();
            },
        ),
        case(
            "an error in site.yaml and in a notice",
            coded(FILE, 3, Code::InvalidDate),
            |site| {
                site.write("site.yaml", "title: 党务公开\ntitel: x\n");
                site.write(FILE, &with_line(3, "date: 2022-02-30"));
            },
        ),
    ]
}

pub(super) fn templates_and_links() -> Vec<Case> {
    let template = |name: &str, text: &str, line: usize| {
        let text = text.to_string();
        case(
            name,
            coded("templates/notice.html", line, Code::Template),
            move |site| {
                site.write("templates/notice.html", &text);
            },
        )
    };
    let link = |name: &str, body: &str, line: usize, code: Code| {
        notice(
            name,
            NOTICE.replace("正文。", body),
            coded(FILE, line, code),
        )
    };
    let checked = |name: &str, body: &str, line: usize, code: Code| {
        notice(
            name,
            NOTICE.replace("正文。", body),
            Expect::Checked { line, code },
        )
    };
    let body = line_of("正文。");
    vec![
        template(
            "a template syntax error",
            "{% extends \"base.html\" %}\n{% block content %}{{ notice.title }{% endblock content %}",
            2,
        ),
        template(
            "a template that extends itself",
            "\n{% extends \"notice.html\" %}",
            2,
        ),
        template(
            "a template that includes itself",
            "{% extends \"base.html\" %}{% block content %}\n{% include \"notice.html\" %}{% endblock content %}",
            2,
        ),
        template(
            "an unknown filter",
            "{% extends \"base.html\" %}\n{% block content %}\n{{ notice.title | nope }}{% endblock content %}",
            3,
        ),
        template(
            "a missing include",
            "{% extends \"base.html\" %}\n{% block content %}\n{% include \"nope.html\" %}{% endblock content %}",
            3,
        ),
        template(
            "an unknown variable",
            "{% extends \"base.html\" %}\n{% block content %}\n{{ notice.nope.deeper }}{% endblock content %}",
            3,
        ),
        template(
            "an endless component",
            "{% extends \"base.html\" %}\n{% block content %}{{ <rec /> }}{% endblock content %}\n{% component rec() %}{{ <rec /> }}{% endcomponent rec %}",
            3,
        ),
        template("a missing parent", "\n\n{% extends \"nope.html\" %}", 3),
        case(
            "a template that is not UTF-8",
            coded("templates/notice.html", 1, Code::Encoding),
            |site| {
                fs::create_dir_all(site.path().join("templates")).unwrap();
                fs::write(site.path().join("templates/notice.html"), b"\xD5\xFE").unwrap();
            },
        ),
        case(
            "a static file named like a page",
            coded("static/index.html", 0, Code::Static),
            |site| {
                site.write("static/index.html", "x");
            },
        ),
        link(
            "a link to a missing notice",
            "见[通报](missing.md)。",
            body,
            Code::BrokenLink,
        ),
        link(
            "a link to a missing page",
            "见[通报](/notices/nope/)。",
            body,
            Code::BrokenLink,
        ),
        checked(
            "a link that leaves the site",
            "见[密码](../../../../etc/passwd)。",
            body,
            Code::BrokenLink,
        ),
        checked(
            "a link to a missing anchor",
            "见[第9项](#problem-9)。",
            body,
            Code::BrokenAnchor,
        ),
        checked(
            "a missing image",
            "![图](/images/none.png)",
            body,
            Code::MissingImage,
        ),
        link(
            "a broken link and a broken anchor",
            "[甲](missing.md)\n\n[乙](#problem-9)",
            body,
            Code::BrokenLink,
        ),
        notice(
            "a broken link in a problem's cause",
            with_line(line_of("cause:"), "    cause: 见[上一期](missing.md)"),
            coded(FILE, line_of("cause:"), Code::BrokenLink),
        ),
        case(
            "a link to a draft",
            coded(FILE, body, Code::BrokenLink),
            |site| {
                site.write(FILE, &NOTICE.replace("正文。", "见[草稿](draft.md)。"));
                site.write(
                    "content/notices/draft.md",
                    &NOTICE
                        .replace("test-notice", "draft")
                        .replace("draft: false", "draft: true"),
                );
            },
        ),
        case(
            "two notices with one slug",
            coded("content/notices/z.md", 6, Code::DuplicateSlug),
            |site| {
                site.write(FILE, NOTICE);
                site.write("content/notices/z.md", NOTICE);
            },
        ),
        notice(
            "two problems with one number",
            insert_problems(NOTICE, 2).replace("number: 2", "number: 1"),
            coded(FILE, 26, Code::DuplicateNumber),
        ),
    ]
}
