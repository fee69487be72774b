//! `s3://BUCKET/PREFIX`: S3-compatible object storage (阿里云 OSS, 腾讯云
//! COS, 华为云 OBS, MinIO, Amazon S3) through the `object_store` crate.
//!
//! - The Chinese clouds' endpoints get virtual-hosted-style requests
//!   (`https://BUCKET.oss-cn-hangzhou.aliyuncs.com/KEY`): OSS accepts no
//!   other. Other endpoints (MinIO, a local server) get path style, unless
//!   `path_style` in `site.yaml` says otherwise. Their region is read from
//!   the endpoint when not given.
//! - Each file gets its `Content-Type` with `charset=utf-8` for text, and
//!   a `Cache-Control`: HTML must be revalidated, fingerprinted assets
//!   (`name.0123abcd.css`) keep for a year, the rest for five minutes.
//! - Requests give up soon (a few retries, short connect timeout), so an
//!   unreachable endpoint is an error in seconds, not minutes.

use std::path::Path;
use std::sync::OnceLock;
use std::time::Duration;

use futures_util::StreamExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::client::{HttpError, HttpErrorKind};
use object_store::path::Path as Key;
use object_store::{
    Attribute, Attributes, BackoffConfig, ClientOptions, ObjectStore, ObjectStoreExt, PutOptions,
    PutPayload, RetryConfig,
};

use super::credentials::{self, Keys};
use super::{Failure, Listed, Remote, Target, TargetError};
use crate::deploy::manifest::SitePath;

/// How to reach a bucket, beside its name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// `https://oss-cn-hangzhou.aliyuncs.com`; none for Amazon S3.
    pub endpoint: Option<String>,
    /// `cn-hangzhou`; read from the endpoint of a Chinese cloud if not given.
    pub region: Option<String>,
    /// Forces path-style (`true`) or virtual-hosted-style (`false`) requests.
    pub path_style: Option<bool>,
    /// A profile of a credentials file outside the site.
    pub profile: Option<String>,
}

/// The cloud an endpoint or a domain belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cloud {
    /// 阿里云 OSS: `oss-cn-hangzhou.aliyuncs.com`.
    Oss,
    /// 腾讯云 COS: `cos.ap-guangzhou.myqcloud.com`.
    Cos,
    /// 华为云 OBS: `obs.cn-north-4.myhuaweicloud.com`.
    Obs,
}

impl Cloud {
    /// The cloud of a host name, and the region its name carries.
    pub fn of_host(host: &str) -> Option<(Cloud, String)> {
        let host = host.to_ascii_lowercase();
        let labels: Vec<&str> = host.split('.').collect();
        let find = |suffix: &str| host.ends_with(suffix);
        if find(".aliyuncs.com") {
            let label = labels.iter().find(|l| l.starts_with("oss-"))?;
            let region = label
                .trim_start_matches("oss-")
                .trim_end_matches("-internal");
            return Some((Cloud::Oss, region.to_string()));
        }
        if find(".myqcloud.com") {
            let i = labels
                .iter()
                .position(|l| *l == "cos" || *l == "cos-website")?;
            return Some((Cloud::Cos, labels.get(i + 1)?.to_string()));
        }
        if find(".myhuaweicloud.com") {
            let i = labels
                .iter()
                .position(|l| *l == "obs" || *l == "obs-website")?;
            return Some((Cloud::Obs, labels.get(i + 1)?.to_string()));
        }
        None
    }

    /// Whether `host` is a bucket's own default domain
    /// (`BUCKET.oss-cn-hangzhou.aliyuncs.com`), where HTML is downloaded
    /// instead of shown.
    pub fn is_default_domain(host: &str) -> bool {
        let Some((cloud, _)) = Cloud::of_host(host) else {
            return false;
        };
        let first = host.split('.').next().unwrap_or("");
        match cloud {
            Cloud::Oss => !first.starts_with("oss-"),
            Cloud::Cos => first != "cos" && first != "cos-website",
            Cloud::Obs => first != "obs" && first != "obs-website",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Cloud::Oss => "阿里云 OSS",
            Cloud::Cos => "腾讯云 COS",
            Cloud::Obs => "华为云 OBS",
        }
    }
}

/// A bucket (and a prefix in it) that holds a deployed site.
pub struct BucketTarget {
    store: AmazonS3,
    /// The site's folder in the bucket: `""` or `www/dwgk`.
    prefix: String,
    /// The endpoint as reached, for messages.
    endpoint: String,
    warnings: Vec<String>,
}

/// The runtime the bucket's requests run on; the deploy's own threads
/// block on it, each with one request at a time.
pub(super) fn runtime() -> Result<&'static tokio::runtime::Runtime, TargetError> {
    static RUNTIME: OnceLock<Option<tokio::runtime::Runtime>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .ok()
        })
        .as_ref()
        .ok_or_else(|| TargetError::new(Failure::Failed, "无法启动网络请求的运行时"))
}

/// TLS through rustls with ring, chosen once for the process.
pub fn install_tls() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

impl BucketTarget {
    /// Connects to `bucket` and checks at once that it can be reached and
    /// listed with the keys found, so that a mistake shows before the build.
    /// Without keys (`need_keys` false, for `verify`), requests go unsigned.
    pub fn open(
        bucket: &str,
        prefix: &str,
        settings: &Settings,
        site: Option<&Path>,
        need_keys: bool,
    ) -> Result<BucketTarget, TargetError> {
        install_tls();
        let keys = credentials::find(settings.profile.as_deref(), site)?;
        if keys.is_none() && need_keys {
            return Err(
                TargetError::new(Failure::Denied, "没有找到访问密钥").hint(credentials::HELP)
            );
        }
        let cloud = settings
            .endpoint
            .as_deref()
            .and_then(host_of)
            .and_then(|h| Cloud::of_host(&h));
        let virtual_hosted = match settings.path_style {
            Some(path_style) => !path_style,
            None => cloud.is_some(),
        };
        let mut warnings = Vec::new();
        if let (Some((Cloud::Oss, _)), Some(true)) = (&cloud, settings.path_style) {
            warnings.push("阿里云 OSS 只接受虚拟主机方式（virtual-hosted style）的请求，path_style: true 会被拒绝；请删掉这一行。".to_string());
        }
        let region = settings
            .region
            .clone()
            .or_else(|| cloud.as_ref().map(|(_, r)| r.clone()))
            .unwrap_or_else(|| "us-east-1".to_string());
        let endpoint = settings
            .endpoint
            .as_deref()
            .map(|e| endpoint_for(e, bucket, virtual_hosted))
            .transpose()?;
        let options = ClientOptions::new()
            .with_connect_timeout(Duration::from_secs(5))
            .with_timeout(Duration::from_secs(120))
            .with_allow_http(
                endpoint
                    .as_deref()
                    .is_some_and(|e| e.starts_with("http://")),
            );
        let retry = RetryConfig {
            backoff: BackoffConfig::default(),
            max_retries: 3,
            retry_timeout: Duration::from_secs(30),
        };
        let mut builder = AmazonS3Builder::new()
            .with_bucket_name(bucket)
            .with_region(&region)
            .with_client_options(options)
            .with_retry(retry)
            .with_virtual_hosted_style_request(virtual_hosted);
        if let Some(e) = &endpoint {
            builder = builder.with_endpoint(e);
        }
        builder = match keys {
            Some((Keys { id, secret, token }, _)) => {
                let b = builder
                    .with_access_key_id(id)
                    .with_secret_access_key(secret);
                match token {
                    Some(t) => b.with_token(t),
                    None => b,
                }
            }
            None => builder.with_skip_signature(true),
        };
        let shown = endpoint
            .clone()
            .unwrap_or_else(|| format!("Amazon S3（{region}）"));
        let store = builder.build().map_err(|e| {
            TargetError::new(Failure::Failed, format!("对象存储的设置不对：{e}"))
                .hint("请检查 --endpoint（如 https://oss-cn-hangzhou.aliyuncs.com）和 --region。")
        })?;
        let target = BucketTarget {
            store,
            prefix: prefix.to_string(),
            endpoint: shown,
            warnings,
        };
        target.probe(bucket)?;
        Ok(target)
    }

    /// One listing request: the endpoint answers, the bucket exists, the
    /// keys are right and may list.
    fn probe(&self, bucket: &str) -> Result<(), TargetError> {
        let prefix = self.key("");
        let store = &self.store;
        let result = runtime()?.block_on(async { store.list_with_delimiter(Some(&prefix)).await });
        match result {
            Ok(_) => Ok(()),
            Err(object_store::Error::NotFound { .. }) => Err(TargetError::new(
                Failure::Unreachable,
                format!("存储桶 {bucket} 不存在（{}）", self.endpoint),
            )
            .hint("请先在云控制台创建存储桶，并检查存储桶名、--endpoint 和 --region 是否对应。")),
            Err(e) => Err(self.failure(e, "列出存储桶")),
        }
    }

    /// The object key of a path below the site's top.
    fn key(&self, rel: &str) -> Key {
        match (self.prefix.is_empty(), rel.is_empty()) {
            (true, _) => Key::from_iter(rel.split('/').filter(|s| !s.is_empty())),
            (false, true) => Key::from_iter(self.prefix.split('/')),
            (false, false) => Key::from_iter(self.prefix.split('/').chain(rel.split('/'))),
        }
    }

    /// An error of the store, in words a user can act on.
    fn failure(&self, e: object_store::Error, doing: &str) -> TargetError {
        let detail = e.to_string();
        let denied = matches!(
            e,
            object_store::Error::PermissionDenied { .. }
                | object_store::Error::Unauthenticated { .. }
        ) || refusal(&detail).is_some();
        if denied {
            let code = refusal(&detail).unwrap_or("403");
            return TargetError::new(
                Failure::Denied,
                format!("{doing}被拒绝：访问密钥不对，或没有这个存储桶的权限（{code}）"),
            )
            .hint(format!(
                "请检查密钥是否属于这个存储桶所在的账号，以及它有没有读、写、删除和列出的权限。{}",
                credentials::HELP
            ));
        }
        if is_unreachable(&e) {
            return TargetError::new(
                Failure::Unreachable,
                format!("连不上 {}（{doing}时）", self.endpoint),
            )
            .hint("请检查网络、--endpoint 的地址和端口；在内网里要用对象存储的内网地址时，写内网的 endpoint。");
        }
        TargetError::new(Failure::Failed, format!("{doing}失败：{detail}"))
    }
}

/// The S3 error codes (of the S3 protocol, which OSS, COS and OBS
/// answer with too) that mean the keys are wrong or lack a permission.
const REFUSALS: [&str; 7] = [
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "AccessDenied",
    "InvalidSecurity",
    "ExpiredToken",
    "AllAccessDisabled",
    "AccountProblem",
];

/// The refusal an error reports. `object_store` keeps the HTTP status of
/// a failed listing in a private type, but quotes the server's answer, and
/// in it the S3 error code, which is part of the protocol.
fn refusal(detail: &str) -> Option<&'static str> {
    REFUSALS
        .iter()
        .find(|code| detail.contains(&format!("<Code>{code}</Code>")))
        .copied()
}

/// Whether the endpoint could not be reached at all.
fn is_unreachable(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = source {
        if let Some(http) = err.downcast_ref::<HttpError>() {
            return matches!(http.kind(), HttpErrorKind::Connect | HttpErrorKind::Timeout);
        }
        source = err.source();
    }
    false
}

fn host_of(endpoint: &str) -> Option<String> {
    url::Url::parse(endpoint)
        .ok()?
        .host_str()
        .map(str::to_string)
}

/// The endpoint to build the store with: for virtual-hosted style, the
/// bucket's own host (`https://BUCKET.oss-cn-hangzhou.aliyuncs.com`).
fn endpoint_for(endpoint: &str, bucket: &str, virtual_hosted: bool) -> Result<String, TargetError> {
    let bad = || {
        TargetError::new(Failure::Failed, format!("--endpoint“{endpoint}”不是网址"))
            .hint("请写完整的地址，如 https://oss-cn-hangzhou.aliyuncs.com、https://cos.ap-guangzhou.myqcloud.com。")
    };
    let mut url = url::Url::parse(endpoint).map_err(|_| bad())?;
    let host = url.host_str().ok_or_else(bad)?.to_string();
    if virtual_hosted && !host.starts_with(&format!("{bucket}.")) {
        url.set_host(Some(&format!("{bucket}.{host}")))
            .map_err(|_| bad())?;
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

/// How long a file may be kept by browsers and CDNs.
pub fn cache_control(key: &str) -> &'static str {
    let lower = key.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") || key == crate::folders::MANIFEST_FILE {
        "no-cache"
    } else if is_fingerprinted(key) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    }
}

/// `name.0123abcd.css`: a name that changes whenever the content does.
fn is_fingerprinted(key: &str) -> bool {
    let name = key.rsplit('/').next().unwrap_or(key);
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1]
            .iter()
            .any(|p| p.len() >= 8 && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl Remote for BucketTarget {
    fn read(&self, key: &str) -> Result<Option<Vec<u8>>, TargetError> {
        let location = self.key(key);
        let store = &self.store;
        let result = runtime()?.block_on(async {
            match store.get(&location).await {
                Ok(got) => got.bytes().await.map(|b| Some(b.to_vec())),
                Err(object_store::Error::NotFound { .. }) => Ok(None),
                Err(e) => Err(e),
            }
        });
        result.map_err(|e| self.failure(e, &format!("读取 {key} ")))
    }

    fn list(&self) -> Result<Option<Vec<Listed>>, TargetError> {
        let prefix = self.key("");
        let store = &self.store;
        let skip = if self.prefix.is_empty() {
            0
        } else {
            self.prefix.len() + 1
        };
        let result = runtime()?.block_on(async {
            let mut found = Vec::new();
            let mut stream = store.list(Some(&prefix));
            while let Some(meta) = stream.next().await {
                let meta = meta?;
                let path = meta.location.as_ref();
                found.push(Listed {
                    path: path.get(skip..).unwrap_or(path).to_string(),
                    size: meta.size,
                });
            }
            Ok(found)
        });
        result.map(Some).map_err(|e| self.failure(e, "列出存储桶"))
    }

    fn parallel(&self) -> usize {
        16
    }
}

impl Target for BucketTarget {
    fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), TargetError> {
        let location = self.key(key);
        let mut attributes = Attributes::new();
        attributes.insert(
            Attribute::ContentType,
            crate::serve::http::content_type(Path::new(key)).into(),
        );
        attributes.insert(Attribute::CacheControl, cache_control(key).into());
        let options = PutOptions {
            attributes,
            ..PutOptions::default()
        };
        let store = &self.store;
        let result = runtime()?.block_on(async {
            store
                .put_opts(&location, PutPayload::from(bytes), options)
                .await
        });
        result
            .map(|_| ())
            .map_err(|e| self.failure(e, &format!("上传 {key} ")))
    }

    fn delete(&self, path: &SitePath) -> Result<(), TargetError> {
        let location = self.key(path.as_str());
        let store = &self.store;
        let result = runtime()?.block_on(async { store.delete(&location).await });
        match result {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(self.failure(e, &format!("删除 {path} "))),
        }
    }

    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_clouds_are_known_by_their_endpoints() {
        assert_eq!(
            Cloud::of_host("oss-cn-hangzhou.aliyuncs.com"),
            Some((Cloud::Oss, "cn-hangzhou".into()))
        );
        assert_eq!(
            Cloud::of_host("cos.ap-guangzhou.myqcloud.com"),
            Some((Cloud::Cos, "ap-guangzhou".into()))
        );
        assert_eq!(
            Cloud::of_host("obs.cn-north-4.myhuaweicloud.com"),
            Some((Cloud::Obs, "cn-north-4".into()))
        );
        assert_eq!(Cloud::of_host("127.0.0.1"), None);
        assert!(Cloud::is_default_domain(
            "dwgk.oss-cn-hangzhou.aliyuncs.com"
        ));
        assert!(Cloud::is_default_domain(
            "dwgk-1250000000.cos.ap-guangzhou.myqcloud.com"
        ));
        assert!(Cloud::is_default_domain(
            "dwgk.obs-website.cn-north-4.myhuaweicloud.com"
        ));
        assert!(!Cloud::is_default_domain("oss-cn-hangzhou.aliyuncs.com"));
        assert!(!Cloud::is_default_domain("www.example.gov.cn"));
    }

    #[test]
    fn virtual_hosted_endpoints_carry_the_bucket() {
        assert_eq!(
            endpoint_for("https://oss-cn-hangzhou.aliyuncs.com", "dwgk", true).unwrap(),
            "https://dwgk.oss-cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(
            endpoint_for("https://dwgk.oss-cn-hangzhou.aliyuncs.com/", "dwgk", true).unwrap(),
            "https://dwgk.oss-cn-hangzhou.aliyuncs.com"
        );
        assert_eq!(
            endpoint_for("http://127.0.0.1:9000", "dwgk", false).unwrap(),
            "http://127.0.0.1:9000"
        );
    }

    #[test]
    fn pages_are_revalidated_and_fingerprinted_assets_kept() {
        assert_eq!(cache_control("notices/a/index.html"), "no-cache");
        assert_eq!(
            cache_control("assets/gongkai.3f2a9c1d.css"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control("assets/gongkai.css"), "public, max-age=300");
        assert_eq!(cache_control("search/t/12.js"), "public, max-age=300");
    }
}
