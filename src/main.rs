//! The `gongkai` command line: parses arguments and hands them to the
//! command's entry point in [`gongkai::commands`].

use std::process::ExitCode;

use gongkai::cli::{self, Command};
use gongkai::commands;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    gongkai::memory::no_huge_pages();
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    match cli.command {
        Command::Build(args) => commands::build::run(args),
        Command::Check(args) => commands::check::run(args),
        Command::Serve(args) => commands::serve::run(args),
        Command::New(args) => commands::new::run(args),
        Command::Import(args) => commands::import::run(args),
        Command::Export(args) => commands::export::run(args),
        Command::Init(args) => commands::init::run(args),
        Command::Deploy(args) => commands::deploy::run(args),
        Command::Verify(args) => commands::verify::run(args),
    }
}
