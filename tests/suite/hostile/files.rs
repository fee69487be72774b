//! The site's files and folders: odd names, missing folders, links out
//! of the site, loops and pipes.

use super::*;

pub(super) fn file_system() -> Vec<Case> {
    #[cfg(unix)]
    use std::os::unix::fs::symlink;
    let mut cases = vec![
        case("a file name with spaces", Expect::Ok, |site| {
            site.write(
                "content/notices/a b c.md",
                &NOTICE.replace("slug: test-notice\n", ""),
            );
        }),
        case(
            "a file name with a mobile number",
            coded("content/notices/13800138000.md", 0, Code::PrivacyMobile),
            |site| {
                site.write(
                    "content/notices/13800138000.md",
                    &NOTICE.replace("slug: test-notice\n", ""),
                );
            },
        ),
        case(
            "a file name with an ID number",
            coded(
                "content/notices/11010519491231002X-通报.md",
                0,
                Code::PrivacyIdNumber,
            ),
            |site| {
                site.write(
                    "content/notices/11010519491231002X-通报.md",
                    &NOTICE.replace("slug: test-notice\n", ""),
                );
            },
        ),
        case(
            "a file name of symbols only",
            coded("content/notices/！！.md", 0, Code::InvalidSlug),
            |site| {
                site.write(
                    "content/notices/！！.md",
                    &NOTICE.replace("slug: test-notice\n", ""),
                );
            },
        ),
        case("odd file names", Expect::Ok, |site| {
            for (i, name) in [
                "a b.md",
                "#1.md",
                "100%.md",
                "a?b.md",
                "-x.md",
                "通报（一）.md",
                "😀.md",
                "UPPER.MD",
            ]
            .iter()
            .enumerate()
            {
                site.write(
                    &format!("content/notices/{name}"),
                    &NOTICE.replace("test-notice", &format!("odd-{i}")),
                );
            }
        }),
        case("a very long file name", Expect::Ok, |site| {
            site.write(&format!("content/notices/{}.md", "长".repeat(80)), NOTICE);
        }),
        // Its pinyin (480 bytes) would be a folder name no file system takes.
        case(
            "a very long file name made the address",
            Expect::Ok,
            |site| {
                site.write(
                    &format!("content/notices/{}.md", "长".repeat(80)),
                    &NOTICE.replace("slug: test-notice\n", ""),
                );
            },
        ),
        case("a very long tag and organization", Expect::Ok, |site| {
            let long = "长".repeat(200);
            site.write(
                FILE,
                &NOTICE
                    .replace("tags: [巡察整改]", &format!("tags: [{long}]"))
                    .replace("organization: 某单位", &format!("organization: {long}")),
            );
        }),
        case(
            "a slug too long for an address",
            coded(FILE, line_of("slug:"), Code::InvalidSlug),
            |site| {
                let slug = format!("slug: {}", "a".repeat(300));
                site.write(FILE, &NOTICE.replace("slug: test-notice", &slug));
            },
        ),
        case("a notice in a deep folder", Expect::Ok, |site| {
            let deep = (0..30)
                .map(|i| format!("d{i}"))
                .collect::<Vec<_>>()
                .join("/");
            site.write(&format!("content/{deep}/x.md"), NOTICE);
        }),
        case(
            "content is a file",
            coded("content", 0, Code::Content),
            |site| {
                fs::remove_dir_all(site.path().join("content")).unwrap();
                fs::write(site.path().join("content"), "x").unwrap();
            },
        ),
        case(
            "no content folder",
            coded("content", 0, Code::Content),
            |site| {
                fs::remove_dir_all(site.path().join("content")).unwrap();
            },
        ),
        case("a notice that is a folder", Expect::Ok, |site| {
            fs::create_dir_all(site.path().join("content/notices/folder.md")).unwrap();
        }),
    ];
    #[cfg(unix)]
    cases.extend([
        case(
            "a link out of static",
            coded("static/etcdir", 0, Code::Symlink),
            |site| {
                fs::create_dir_all(site.path().join("static")).unwrap();
                symlink("/etc", site.path().join("static/etcdir")).unwrap();
            },
        ),
        case(
            "a file link out of static",
            coded("static/hosts", 0, Code::Symlink),
            |site| {
                fs::create_dir_all(site.path().join("static")).unwrap();
                symlink("/etc/hosts", site.path().join("static/hosts")).unwrap();
            },
        ),
        case(
            "a notice linked from outside",
            coded("content/notices/passwd.md", 0, Code::Symlink),
            |site| {
                symlink("/etc/passwd", site.path().join("content/notices/passwd.md")).unwrap();
            },
        ),
        case(
            "a folder of notices linked from outside",
            coded("content/etc", 0, Code::Symlink),
            |site| {
                symlink("/etc", site.path().join("content/etc")).unwrap();
            },
        ),
        case(
            "a template linked from outside",
            coded("templates/notice.html", 0, Code::Symlink),
            |site| {
                fs::create_dir_all(site.path().join("templates")).unwrap();
                symlink("/etc/passwd", site.path().join("templates/notice.html")).unwrap();
            },
        ),
        case(
            "site.yaml linked from outside",
            coded("site.yaml", 0, Code::Symlink),
            |site| {
                fs::remove_file(site.path().join("site.yaml")).unwrap();
                symlink("/etc/passwd", site.path().join("site.yaml")).unwrap();
            },
        ),
        case(
            "a dangling link",
            coded("content/notices/gone.md", 0, Code::Symlink),
            |site| {
                symlink(
                    "/nonexistent/x.md",
                    site.path().join("content/notices/gone.md"),
                )
                .unwrap();
            },
        ),
        case(
            "a link loop",
            coded("content/loop", 0, Code::Symlink),
            |site| {
                symlink("..", site.path().join("content/loop")).unwrap();
            },
        ),
        case("links inside the site", Expect::Ok, |site| {
            site.write("static/files/a.pdf", "%PDF");
            symlink("a.pdf", site.path().join("static/files/b.pdf")).unwrap();
            site.write("drafts/linked.md", NOTICE);
            symlink(
                "../../drafts/linked.md",
                site.path().join("content/notices/linked.md"),
            )
            .unwrap();
        }),
        case(
            "the themes folder linked from outside",
            coded("themes/evil/static", 0, Code::Symlink),
            |site| {
                // A sibling of the site's folder: outside it.
                let outside = site.path().with_extension("outside");
                fs::create_dir_all(outside.join("evil/static")).unwrap();
                fs::write(outside.join("evil/static/leak.txt"), "LEAK").unwrap();
                symlink(&outside, site.path().join("themes")).unwrap();
                let config = fs::read_to_string(site.path().join("site.yaml")).unwrap();
                site.write("site.yaml", &format!("{config}theme: evil\n"));
            },
        ),
        case(
            "the static folder a link that points nowhere",
            coded("static", 0, Code::Symlink),
            |site| {
                let _ = fs::remove_dir_all(site.path().join("static"));
                symlink("/mnt/unmounted-usb/static", site.path().join("static")).unwrap();
            },
        ),
        case(
            "the templates folder a link to itself",
            coded("templates", 0, Code::Symlink),
            |site| {
                let _ = fs::remove_dir_all(site.path().join("templates"));
                symlink("templates", site.path().join("templates")).unwrap();
            },
        ),
        case(
            "site.yaml a pipe",
            coded("site.yaml", 0, Code::Io),
            |site| {
                let path = site.path().join("site.yaml");
                fs::remove_file(&path).unwrap();
                let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
                // SAFETY: a valid, NUL-terminated path.
                assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
            },
        ),
        case(
            "a pipe among the notices",
            coded("content/notices/pipe.md", 0, Code::Io),
            |site| {
                let path = site.path().join("content/notices/pipe.md");
                let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
                // SAFETY: a valid, NUL-terminated path.
                assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
            },
        ),
    ]);
    cases
}
