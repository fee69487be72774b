//! A site as its readers see it (`https://…/`): `verify` reads the
//! manifest and every file over HTTP(S). A web site cannot be listed, so
//! files added beside the site are not found this way; verify a bucket or
//! a folder for those.

use std::time::Duration;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

use super::bucket::{install_tls, runtime};
use super::{Failure, Listed, Remote, TargetError};

/// The bytes of a path segment that are sent encoded.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'|');

/// A deployed site read over HTTP(S).
pub struct WebSite {
    base: url::Url,
    client: reqwest::Client,
}

impl WebSite {
    /// `base` ends with `/`.
    pub fn open(base: &url::Url) -> Result<WebSite, TargetError> {
        install_tls();
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .user_agent(concat!("gongkai-verify/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| TargetError::new(Failure::Failed, format!("无法建立 HTTP 连接：{e}")))?;
        Ok(WebSite {
            base: base.clone(),
            client,
        })
    }

    fn url(&self, key: &str) -> Result<url::Url, TargetError> {
        let encoded: Vec<String> = key
            .split('/')
            .map(|s| utf8_percent_encode(s, SEGMENT).to_string())
            .collect();
        self.base
            .join(&encoded.join("/"))
            .map_err(|e| TargetError::new(Failure::Failed, format!("{key} 不能拼成网址：{e}")))
    }
}

impl Remote for WebSite {
    fn read(&self, key: &str) -> Result<Option<Vec<u8>>, TargetError> {
        let url = self.url(key)?;
        let client = &self.client;
        runtime()?.block_on(async {
            let response = client.get(url.clone()).send().await.map_err(|e| {
                TargetError::new(Failure::Unreachable, format!("连不上 {url}：{e}"))
                    .hint("请检查网址和网络。")
            })?;
            let status = response.status();
            if status == reqwest::StatusCode::NOT_FOUND || status == reqwest::StatusCode::GONE {
                return Ok(None);
            }
            if status == reqwest::StatusCode::UNAUTHORIZED
                || status == reqwest::StatusCode::FORBIDDEN
            {
                return Err(TargetError::new(
                    Failure::Denied,
                    format!("{url} 拒绝访问（{status}）"),
                ));
            }
            if !status.is_success() {
                return Err(TargetError::new(
                    Failure::Failed,
                    format!("{url} 回答 {status}"),
                ));
            }
            let bytes = response.bytes().await.map_err(|e| {
                TargetError::new(Failure::Unreachable, format!("{url} 没有读完：{e}"))
            })?;
            Ok(Some(bytes.to_vec()))
        })
    }

    fn list(&self) -> Result<Option<Vec<Listed>>, TargetError> {
        Ok(None)
    }

    fn parallel(&self) -> usize {
        8
    }
}
