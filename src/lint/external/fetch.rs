//! Asking each server whether a link still leads somewhere: a bounded
//! number of workers, one host at a time per worker with a pause between
//! its requests (so that no server sees more than one request at once from
//! us), a time limit per link, and redirects followed by hand so that a
//! loop is seen as one.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use ureq::Agent;
use url::Url;

/// What asking for a link gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The page is there (the final status, after any redirects).
    Fine(u16),
    /// The server says it is gone: 404, 410, a server error.
    Gone(u16),
    /// The server refused to answer a checker (401, 403, 429…): a reader's
    /// browser may still get the page.
    Refused(u16),
    /// Redirects that come back to an address already visited.
    Loop(Vec<String>),
    /// More redirects than a browser follows.
    TooManyRedirects,
    /// No answer within the time limit.
    Timeout,
    /// No connection: the name, the network, the certificate.
    Unreachable(String),
}

impl Outcome {
    /// Whether a good answer, which may be remembered for a while.
    pub fn is_fine(&self) -> bool {
        matches!(self, Outcome::Fine(_))
    }
}

/// How links are checked.
#[derive(Debug, Clone)]
pub struct Limits {
    /// How long one request may take, connection included.
    pub timeout: Duration,
    /// Requests at the same time, each to another host.
    pub workers: usize,
    /// Pause between two requests to the same host.
    pub pause: Duration,
}

/// Browsers give up after about twenty; a link that needs more is broken.
const MAX_REDIRECTS: usize = 10;

/// Checks every URL of `urls` (absolute `http`/`https`); returns each one's
/// outcome.
pub fn check_all(urls: &[String], limits: &Limits) -> HashMap<String, Outcome> {
    let mut by_host: HashMap<String, Vec<String>> = HashMap::new();
    for url in urls {
        let host = Url::parse(url)
            .ok()
            .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port_or_known_default()?)))
            .unwrap_or_default();
        by_host.entry(host).or_default().push(url.clone());
    }
    // The hosts with the most links first: they take longest.
    let mut by_host: Vec<(String, Vec<String>)> = by_host.into_iter().collect();
    by_host.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    let queue = Mutex::new(VecDeque::from(by_host));
    let results = Mutex::new(HashMap::new());
    let agents = Agents::new(limits.timeout);
    std::thread::scope(|scope| {
        for _ in 0..limits.workers.max(1) {
            scope.spawn(|| {
                while let Some((_, urls)) = pop(&queue) {
                    for (i, url) in urls.iter().enumerate() {
                        if i > 0 {
                            std::thread::sleep(limits.pause);
                        }
                        let outcome = agents.follow(url);
                        lock(&results).insert(url.clone(), outcome);
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_else(|e| e.into_inner())
}

fn pop<T>(queue: &Mutex<VecDeque<T>>) -> Option<T> {
    lock(queue).pop_front()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The HTTP clients: one through the system's proxy, one direct for this
/// computer's own addresses.
struct Agents {
    proxied: Agent,
    direct: Agent,
}

impl Agents {
    fn new(timeout: Duration) -> Agents {
        let agent = |proxy: bool| -> Agent {
            let builder = Agent::config_builder()
                .timeout_global(Some(timeout))
                .max_redirects(0)
                .http_status_as_error(false)
                .user_agent("Mozilla/5.0 (compatible; gongkai-check)");
            let builder = if proxy { builder } else { builder.proxy(None) };
            builder.build().into()
        };
        Agents {
            proxied: agent(true),
            direct: agent(false),
        }
    }

    /// Asks for `url` and follows its redirects.
    fn follow(&self, url: &str) -> Outcome {
        let mut seen: HashSet<String> = HashSet::new();
        let mut chain = vec![url.to_string()];
        let mut current = url.to_string();
        for _ in 0..=MAX_REDIRECTS {
            seen.insert(current.clone());
            let next = match self.ask(&current) {
                Step::Done(outcome) => return outcome,
                Step::Redirect(next) => next,
            };
            if seen.contains(&next) {
                chain.push(next);
                return Outcome::Loop(chain);
            }
            chain.push(next.clone());
            current = next;
        }
        Outcome::TooManyRedirects
    }

    /// One request, without following a redirect.
    fn ask(&self, url: &str) -> Step {
        let Ok(parsed) = Url::parse(url) else {
            return Step::Done(Outcome::Unreachable("网址写法不对".into()));
        };
        let agent = match parsed.host() {
            Some(url::Host::Ipv4(ip)) if ip.is_loopback() => &self.direct,
            Some(url::Host::Ipv6(ip)) if ip.is_loopback() => &self.direct,
            Some(url::Host::Domain("localhost")) => &self.direct,
            _ => &self.proxied,
        };
        let response = match agent.get(url).call() {
            Ok(r) => r,
            Err(e) => return Step::Done(failure(e)),
        };
        let status = response.status().as_u16();
        if (300..400).contains(&status)
            && let Some(location) = response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
            && let Ok(next) = parsed.join(location.trim())
        {
            return Step::Redirect(next.to_string());
        }
        // The body is not read: the status says what a reader would get.
        drop(response);
        Step::Done(match status {
            200..=399 => Outcome::Fine(status),
            404 | 410 | 451 | 500..=599 => Outcome::Gone(status),
            _ => Outcome::Refused(status),
        })
    }
}

enum Step {
    Done(Outcome),
    Redirect(String),
}

/// Why a request got no answer, as a reader would say it.
fn failure(e: ureq::Error) -> Outcome {
    match e {
        ureq::Error::Timeout(_) => Outcome::Timeout,
        ureq::Error::HostNotFound => Outcome::Unreachable("找不到这个域名".into()),
        ureq::Error::ConnectionFailed => Outcome::Unreachable("连接不上".into()),
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            Outcome::Unreachable("连接被拒绝".into())
        }
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => Outcome::Timeout,
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => {
            Outcome::Unreachable(format!("HTTPS 证书或加密连接有问题：{e}"))
        }
        other => Outcome::Unreachable(other.to_string()),
    }
}
