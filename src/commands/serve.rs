//! `gongkai serve`: the live preview, until Ctrl-C.

use std::process::ExitCode;

use crate::cli::ServeArgs;
use crate::serve::{self, ServeOptions, Server};

/// `gongkai serve`: previews until Ctrl-C.
pub fn run(args: ServeArgs) -> ExitCode {
    let drafts = args.site.drafts;
    let options = ServeOptions {
        site: args.site,
        bind: args.bind,
        port: args.port.unwrap_or(serve::DEFAULT_PORT),
        port_given: args.port.is_some(),
        poll: args.poll,
        verbose: true,
    };
    if options.bind.is_unspecified() || !options.bind.is_loopback() {
        eprintln!(
            "警告：预览对本机以外开放（{}），同一网络中的其他电脑也能看到，其中可能有草稿和未审批的内容。",
            options.bind
        );
    }
    let server = match Server::start(options) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("错误：{e}");
            return ExitCode::FAILURE;
        }
    };
    println!("正在预览：{}  （按 Ctrl-C 停止）", server.url());
    if drafts {
        println!("注意：预览包含草稿和未审批的通报。");
    }
    if args.open {
        open_browser(&server.url());
    }
    if let Err(e) = wait_for_stop() {
        eprintln!("错误：无法等待 Ctrl-C：{e}");
    }
    println!("正在停止预览……");
    server.stop();
    ExitCode::SUCCESS
}

/// Waits for Ctrl-C (or, on Unix, a request to terminate).
fn wait_for_stop() -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        #[cfg(unix)]
        {
            let mut terminate =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
            tokio::select! {
                r = tokio::signal::ctrl_c() => r,
                _ = terminate.recv() => Ok(()),
            }
        }
        #[cfg(not(unix))]
        tokio::signal::ctrl_c().await
    })
}

/// Opens `url` in the default browser.
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "windows") {
        ("cmd", vec!["/C", "start", "", url])
    } else if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else {
        ("xdg-open", vec![url])
    };
    if std::process::Command::new(program)
        .args(&args)
        .spawn()
        .is_err()
    {
        eprintln!("无法自动打开浏览器，请手动打开 {url}");
    }
}
