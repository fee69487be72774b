//! The 发布记录 (deploy log): one line per deploy, appended to
//! `发布记录.csv` at the site's root, meant to be committed to git beside
//! the notices. A CSV file with a byte-order mark, so that Excel opens it
//! in Chinese as it is.
//!
//! Each line: time, target, unit, the counts of the plan, the manifest's
//! digest (which `verify` compares with the manifest found at the target)
//! and the user.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use super::manifest::Sha256Sum;
use crate::folders::DEPLOY_LOG;

/// The columns, in order.
const HEADER: [&str; 10] = [
    "时间",
    "目标",
    "单位",
    "新增",
    "修改",
    "删除",
    "不变",
    "文件数",
    "清单摘要",
    "操作人",
];

/// What the whole site is called in the unit column.
pub const WHOLE_SITE: &str = "全站";

/// One deploy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// `2024-06-01 10:30:00 +08:00`.
    pub time: String,
    pub target: String,
    pub unit: String,
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub unchanged: usize,
    pub files: usize,
    /// `sha256:` and the hex digest.
    pub digest: String,
    pub user: String,
}

impl Record {
    /// The record of a deploy that went through.
    pub fn of(deployed: &super::Deployed, user: String) -> Record {
        let plan = &deployed.plan;
        Record {
            time: now(),
            target: deployed.target.clone(),
            unit: deployed
                .unit
                .clone()
                .unwrap_or_else(|| WHOLE_SITE.to_string()),
            added: plan.added.len(),
            changed: plan.changed.len(),
            removed: plan.removed.len(),
            unchanged: plan.unchanged,
            files: deployed.files,
            digest: format!("sha256:{}", deployed.digest),
            user,
        }
    }

    pub fn digest(&self) -> Option<Sha256Sum> {
        Sha256Sum::parse(self.digest.strip_prefix("sha256:")?)
    }

    fn row(&self) -> [String; 10] {
        [
            self.time.clone(),
            self.target.clone(),
            self.unit.clone(),
            self.added.to_string(),
            self.changed.to_string(),
            self.removed.to_string(),
            self.unchanged.to_string(),
            self.files.to_string(),
            self.digest.clone(),
            self.user.clone(),
        ]
    }

    fn from_row(row: &csv::StringRecord) -> Option<Record> {
        let text = |i: usize| row.get(i).map(str::to_string);
        let number = |i: usize| row.get(i)?.parse().ok();
        Some(Record {
            time: text(0)?,
            target: text(1)?,
            unit: text(2)?,
            added: number(3)?,
            changed: number(4)?,
            removed: number(5)?,
            unchanged: number(6)?,
            files: number(7)?,
            digest: text(8)?,
            user: text(9)?,
        })
    }
}

/// Now, in China Standard Time: `2024-06-01 10:30:00 +08:00`.
pub fn now() -> String {
    let offset = jiff::tz::Offset::from_seconds(8 * 3600).unwrap_or(jiff::tz::Offset::UTC);
    let time = offset.to_datetime(jiff::Timestamp::now());
    format!("{} +08:00", time.strftime("%Y-%m-%d %H:%M:%S"))
}

/// Who deploys: git's `user.name` in the site, else the login name.
pub fn user(root: &Path) -> String {
    let git = std::process::Command::new("git")
        .args(["config", "user.name"])
        .current_dir(root)
        .stderr(std::process::Stdio::null())
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    git.or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .unwrap_or_else(|| "未知".to_string())
}

/// Appends `record` to the site's log (starting the file with its
/// header), or says why it could not.
pub fn append(root: &Path, record: &Record) -> Result<Record, String> {
    write(root, record)
        .map(|()| record.clone())
        .map_err(|e| format!("{}：{e}", root.join(DEPLOY_LOG).display()))
}

fn write(root: &Path, record: &Record) -> std::io::Result<()> {
    let path = root.join(DEPLOY_LOG);
    let new = !path.exists();
    let mut file = OpenOptions::new().create(true).append(true).open(&path)?;
    let mut bytes = Vec::new();
    {
        let mut csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut bytes);
        if new {
            csv.write_record(HEADER)?;
        }
        csv.write_record(record.row())?;
        csv.flush()?;
    }
    if new {
        file.write_all("\u{feff}".as_bytes())?;
    }
    file.write_all(&bytes)?;
    file.sync_all()
}

/// Every record of the site's log, oldest first; lines that cannot be read
/// (edited by hand) are passed over.
pub fn read(root: &Path) -> Vec<Record> {
    let Ok(text) = std::fs::read_to_string(root.join(DEPLOY_LOG)) else {
        return Vec::new();
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .filter_map(Result::ok)
        .filter_map(|row| Record::from_row(&row))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_appended_and_read_back() {
        let tmp = tempfile::tempdir().unwrap();
        let record = Record {
            time: now(),
            target: "s3://dwgk/site, \"x\"".into(),
            unit: WHOLE_SITE.into(),
            added: 3,
            changed: 1,
            removed: 0,
            unchanged: 9,
            files: 13,
            digest: format!("sha256:{}", Sha256Sum::of(b"m")),
            user: "张三".into(),
        };
        append(tmp.path(), &record).unwrap();
        append(
            tmp.path(),
            &Record {
                added: 0,
                ..record.clone()
            },
        )
        .unwrap();
        let text = std::fs::read_to_string(tmp.path().join(DEPLOY_LOG)).unwrap();
        assert!(text.starts_with("\u{feff}时间,目标,单位"), "{text}");
        assert_eq!(text.matches("时间").count(), 1);
        let read = read(tmp.path());
        assert_eq!(read.len(), 2);
        assert_eq!(read[0], record);
        assert_eq!(read[1].digest(), Some(Sha256Sum::of(b"m")));
    }
}
