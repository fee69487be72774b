//! `gongkai verify`: prints whether a deployed site is as deployed; exit
//! code 0 when it is, 1 when anything differs, 2 when it could not be
//! checked. The work is [`crate::deploy::verify`]'s.

use std::process::ExitCode;

use crate::cli::VerifyArgs;
use crate::deploy::verify::{VerifyOptions, verify_site};

/// `gongkai verify`.
pub fn run(args: VerifyArgs) -> ExitCode {
    let options = VerifyOptions {
        root: args.site.root,
        target: args.target,
        endpoint: args.storage.endpoint,
        region: args.storage.region,
        profile: args.storage.profile,
    };
    match verify_site(&options) {
        Ok(checked) => {
            for w in &checked.warnings {
                eprintln!("警告：{w}");
            }
            print!("{}", checked.verified);
            if checked.verified.is_intact() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(errors) => {
            eprint!("{errors}");
            eprintln!("核对没有完成。");
            ExitCode::from(2)
        }
    }
}
