//! The traps of Chinese object storage that users fall into, told before
//! a deploy: a bucket's default domain shows HTML as a download (OSS, COS
//! buckets created since 2024, OBS), so a site needs a custom domain with
//! ICP 备案; and the index and 404 pages of static hosting must be set in
//! the console, which the S3 interface cannot tell.

use super::targets::Address;
use super::targets::bucket::{Cloud, Settings};
use crate::config::SiteConfig;

/// The warnings that apply to deploying this site to `address`.
pub fn warnings(
    config: &SiteConfig,
    address: &Address,
    settings: &Settings,
    first: bool,
) -> Vec<String> {
    let mut found = Vec::new();
    if let Some(url) = &config.base_url {
        found.extend(default_domain(url.as_str()));
    }
    let cloud = settings
        .endpoint
        .as_deref()
        .and_then(|e| url::Url::parse(e).ok())
        .and_then(|u| u.host_str().and_then(Cloud::of_host));
    if let (Address::Bucket { .. }, Some((cloud, _)), true) = (address, cloud, first) {
        found.push(format!(
            "第一次发布到{}：请在控制台为存储桶打开静态网站托管，默认首页设为 index.html，404 页面设为 404.html（gongkai 无法通过 S3 接口确认这项设置）。",
            cloud.name()
        ));
    }
    found
}

/// A warning when `url` is on a bucket's default domain.
pub fn default_domain(url: &str) -> Option<String> {
    let host = url::Url::parse(url).ok()?.host_str()?.to_string();
    if !Cloud::is_default_domain(&host) {
        return None;
    }
    let cloud = Cloud::of_host(&host).map_or("对象存储", |(c, _)| c.name());
    Some(format!(
        "{url} 是{cloud}存储桶的默认域名：在默认域名上，网页会被浏览器下载而不是显示（阿里云 OSS、2024 年起创建的腾讯云 COS 存储桶、华为云 OBS 都是如此）。请绑定已备案（ICP）的自定义域名，并把 site.yaml 的 base_url 改成它。"
    ))
}
