//! A generator of synthetic notices shaped like the seed bulletin: 15–25 KB
//! of Chinese Markdown, about 15 problems over the three default categories,
//! causes, measures, results, amounts, deadlines, an inspection, links
//! between notices.
//!
//! Notices come in inspection rounds of 2 to 4, as organisations publish
//! them: a later notice reports the problems of the first again, under the
//! same numbers, or (one round in three) renumbered with `follows`.
//!
//! With `BENCH_SERIES=0` the notices have no `inspection` (and so no
//! `follows`): no rounds, no ledger. Their site is kept apart
//! (`<n>-single`), to measure what following problems costs.
//!
//! Deterministic: the same `n` always gives the same files.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

/// Changes when the generated sites do: benchmarks make theirs again.
pub const VERSION: &str = "2: rounds of 2 to 4 notices";

/// Sentences to build text from: those of the seed notice.
const CORPUS: &str = include_str!("../../content/notices/2021-xiangqiao-zhengxie.md");

const ORGS: &[&str] = &[
    "潮州市湘桥区政协机关",
    "潮州市湘桥区发展和改革局",
    "潮州市湘桥区教育局",
    "潮州市湘桥区财政局",
    "潮州市湘桥区人力资源和社会保障局",
    "潮州市湘桥区住房和城乡建设局",
    "潮州市湘桥区交通运输局",
    "潮州市湘桥区农业农村局",
    "潮州市湘桥区商务局",
    "潮州市湘桥区文化广电旅游体育局",
    "潮州市湘桥区卫生健康局",
    "潮州市湘桥区应急管理局",
    "潮州市湘桥区市场监督管理局",
    "潮州市湘桥区统计局",
    "潮州市湘桥区医疗保障局",
    "潮州市湘桥区城西街道党工委",
    "潮州市湘桥区太平街道党工委",
    "潮州市湘桥区西湖街道党工委",
    "潮州市湘桥区金山街道党工委",
    "潮州市湘桥区湘桥街道党工委",
    "潮州市湘桥区凤新街道党工委",
    "潮州市湘桥区桥东街道党工委",
    "潮州市湘桥区意溪镇党委",
    "潮州市湘桥区磷溪镇党委",
    "潮州市湘桥区官塘镇党委",
    "潮州市湘桥区铁铺镇党委",
    "潮州市湘桥区民政局",
    "潮州市湘桥区司法局",
    "潮州市湘桥区审计局",
    "潮州市湘桥区退役军人事务局",
];

const TAGS: &[&str] = &[
    "巡察整改",
    "巡视整改",
    "专项巡察",
    "党风廉政",
    "作风建设",
    "基层党建",
    "意识形态",
    "财务管理",
    "干部队伍",
    "民主评议",
];

const RESULTS: &[&str] = &[
    "整改完成，长期推进。",
    "整改完成，长期推进",
    "立行立改，整改完成。",
    "立行立改，整改完成，长期推进。",
    "已完成整改",
    "阶段性完成，长期坚持",
    "基本完成",
    "正在整改",
    "持续整改",
    "已销号",
];

/// A small deterministic random number generator (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

fn sentences() -> Vec<&'static str> {
    let body = CORPUS.split("\n---\n").nth(1).unwrap_or(CORPUS);
    CORPUS
        .lines()
        .chain(body.lines())
        .map(|l| l.trim().trim_start_matches("**").trim_start_matches("- "))
        .filter(|l| !l.is_empty() && !l.contains(':') && !l.starts_with('#') && !l.starts_with('<'))
        .flat_map(|l| l.split_inclusive('。'))
        .map(|s| s.trim().trim_matches('*'))
        .filter(|s| s.chars().count() > 12 && !s.contains('|') && !s.contains('*'))
        .collect()
}

fn paragraph(rng: &mut Rng, corpus: &[&str], chars: usize) -> String {
    let mut p = String::new();
    while p.chars().count() < chars {
        p.push_str(rng.pick(corpus));
    }
    p
}

/// The site of `n` notices under `base`, generated unless it is there
/// already from this version of the generator.
#[allow(dead_code)] // Not every benchmark makes sites.
pub fn ensure(base: &Path, n: usize) -> std::path::PathBuf {
    let series = std::env::var("BENCH_SERIES").map_or(true, |v| v != "0");
    let site = base.join(if series {
        n.to_string()
    } else {
        format!("{n}-single")
    });
    let stamp = site.join(".generated");
    if fs::read_to_string(&stamp).ok().as_deref() != Some(VERSION) {
        eprintln!("generating {n} notices in {} ...", site.display());
        generate(&site, n, series).expect("generate the synthetic site");
        fs::write(&stamp, VERSION).expect("write the stamp");
    }
    site
}

/// Writes a site of `n` notices into `dir` (which it empties first), in
/// rounds when `series`.
pub fn generate(dir: &Path, n: usize, series: bool) -> io::Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    let notices = dir.join("content/notices");
    fs::create_dir_all(&notices)?;
    fs::write(
        dir.join("site.yaml"),
        "title: 党务公开（合成测试站点）\norganization: 潮州市湘桥区政协机关\ncontact:\n  phone: 0768-2100022\n  email: test@example.gov.cn\n",
    )?;
    let corpus = sentences();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut round, mut nth) = (0, 0);
    for i in 0..n {
        let place = Place {
            round,
            nth,
            count: 12 + round % 7,
            series,
        };
        fs::write(
            notices.join(format!("n{i:06}.md")),
            notice(&mut rng, &corpus, i, &place),
        )?;
        nth += 1;
        if nth == 2 + round % 3 {
            (round, nth) = (round + 1, 0);
        }
    }
    Ok(())
}

/// Where a notice is in its round.
struct Place {
    round: usize,
    /// 0 for the round's first notice.
    nth: usize,
    /// How many problems the round has.
    count: usize,
    /// Whether the notice says which inspection it reports on.
    series: bool,
}

impl Place {
    /// The number a later notice gives problem `p` (from 0): its own, or,
    /// in a renumbering round, the problems in reverse order.
    fn number(&self, p: usize) -> usize {
        if self.nth > 0 && self.round.is_multiple_of(3) {
            self.count - p
        } else {
            p + 1
        }
    }
}

fn notice(rng: &mut Rng, corpus: &[&str], i: usize, place: &Place) -> String {
    // A round's key: its body, group and start day, distinct per round.
    let r = place.round;
    let org = ORGS[r % ORGS.len()];
    let group = ["一", "二", "三", "四"][r / ORGS.len() % 4];
    let year = 2016 + (r / 120) % 10;
    let start_day = r / 1200 % 336;
    let (start_month, start_dom) = (1 + start_day / 28, 1 + start_day % 28);
    // Each later notice some months on; the day from the notice.
    let month = (start_month + 2 * place.nth) % 12 + 1;
    let day = 1 + rng.below(28);
    let year = year + (start_month + 2 * place.nth) / 12;
    let categories = ["policy", "conduct", "team"];
    let mut s = String::with_capacity(24 * 1024);
    let _ = writeln!(
        s,
        "---\ntitle: 关于巡察整改进展情况的通报（第{i}号）\ndate: {year}-{month:02}-{day:02}"
    );
    let _ = writeln!(
        s,
        "organization: {org}\ndoc_number: 测〔{year}〕{}号",
        i % 97 + 1
    );
    let _ = writeln!(s, "tags: [{}, {}]", rng.pick(TAGS), rng.pick(TAGS));
    if place.series {
        let _ = writeln!(
            s,
            "inspection:\n  kind: 巡察\n  group: 区委第{group}巡察组\n  start: {}-{start_month:02}-{start_dom:02}",
            2016 + (r / 120) % 10
        );
    }
    s.push_str("problems:\n");
    let count = place.count;
    for p in 0..count {
        let category = categories[(p * 3 / count).min(2)];
        let number = place.number(p);
        let _ = writeln!(s, "  - number: {number}\n    category: {category}");
        if number != p + 1 && place.series {
            let _ = writeln!(s, "    follows: {}", p + 1);
        }
        if rng.below(3) == 0 {
            let _ = writeln!(s, "    deadline: {}年{}月底前", year + 1, 1 + rng.below(12));
        }
        let title: String = paragraph(rng, corpus, 10).chars().take(40).collect();
        let _ = writeln!(
            s,
            "    title: 针对{}的问题",
            title.trim_end_matches('。').replace(['：', ':', '#'], "，")
        );
        let _ = writeln!(s, "    cause: |\n      {}", paragraph(rng, corpus, 40));
        s.push_str("    measures: |\n");
        for k in 0..1 + rng.below(2) {
            if k > 0 {
                s.push('\n');
            }
            let _ = writeln!(s, "      {}", paragraph(rng, corpus, 60));
        }
        let _ = writeln!(s, "    result: {}", rng.pick(RESULTS));
        if rng.below(6) == 0 {
            let _ = writeln!(
                s,
                "    recovered_yuan: {}.{}",
                1000 + rng.below(90000),
                rng.below(10)
            );
        }
    }
    s.push_str("---\n");
    let _ = writeln!(s, "{}\n", paragraph(rng, corpus, 160));
    for (h, heading) in [
        "一、切实提高政治站位，全面有序开展整改工作",
        "二、切实扛起政治责任，不折不扣落实巡察反馈意见",
    ]
    .iter()
    .enumerate()
    {
        let _ = writeln!(s, "## {heading}\n");
        for k in 0..3 {
            let _ = writeln!(
                s,
                "**（{}）{}**{}\n",
                ["一", "二", "三"][k],
                rng.pick(corpus),
                paragraph(rng, corpus, 150)
            );
        }
        if h == 1 {
            s.push_str("<!-- problems -->\n\n");
        }
    }
    if i > 0 {
        let _ = writeln!(s, "本通报是对[上一期通报](n{:06}.md)的补充。\n", i - 1);
    }
    let _ = writeln!(
        s,
        "## 三、切实做到纠建结合，全面推动巡察成果转化\n\n{}",
        paragraph(rng, corpus, 250)
    );
    s
}
