//! Who may join: the class code, compared in constant time, and a limit on failed attempts per
//! source address so the code cannot be guessed by trying them all.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use subtle::ConstantTimeEq;

/// Failed attempts from one address within [`WINDOW`] that close it for [`WINDOW`].
pub const MAX_FAILURES: usize = 10;
pub const WINDOW: Duration = Duration::from_secs(60);
/// Password attempts on one connection.
pub const ATTEMPTS_PER_CONNECTION: usize = 3;
/// Addresses remembered at once; the oldest records go first beyond this.
const MAX_ADDRESSES: usize = 4096;

/// How students get in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// With this password.
    Code(String),
    /// Without one (`--open`).
    Open,
}

#[derive(Default)]
struct Record {
    failures: VecDeque<Instant>,
    closed_until: Option<Instant>,
}

pub struct Gate {
    pub access: Access,
    records: Mutex<HashMap<IpAddr, Record>>,
}

impl Gate {
    pub fn new(access: Access) -> Gate {
        Gate {
            access,
            records: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `password` is the class code; the time taken does not depend on where they differ.
    pub fn admits(&self, password: &str) -> bool {
        match &self.access {
            Access::Open => true,
            Access::Code(code) => bool::from(password.as_bytes().ct_eq(code.as_bytes())),
        }
    }

    /// Whether `ip` has failed too often lately to be heard now.
    pub fn closed(&self, ip: IpAddr, now: Instant) -> bool {
        let Ok(records) = self.records.lock() else {
            return true;
        };
        records
            .get(&ip)
            .and_then(|r| r.closed_until)
            .is_some_and(|until| now < until)
    }

    /// Notes a failed attempt from `ip`.
    pub fn failed(&self, ip: IpAddr, now: Instant) {
        let Ok(mut records) = self.records.lock() else {
            return;
        };
        if records.len() >= MAX_ADDRESSES && !records.contains_key(&ip) {
            records.retain(|_, r| {
                r.closed_until.is_some_and(|u| now < u)
                    || r.failures
                        .back()
                        .is_some_and(|t| now.duration_since(*t) < WINDOW)
            });
            if records.len() >= MAX_ADDRESSES {
                // Still full of live records: treat the newcomer as closed rather than grow.
                return;
            }
        }
        let r = records.entry(ip).or_default();
        while r
            .failures
            .front()
            .is_some_and(|t| now.duration_since(*t) >= WINDOW)
        {
            r.failures.pop_front();
        }
        r.failures.push_back(now);
        if r.failures.len() >= MAX_FAILURES {
            r.closed_until = Some(now + WINDOW);
            r.failures.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_and_only_the_code_admits() {
        let gate = Gate::new(Access::Code("123456".into()));
        assert!(gate.admits("123456"));
        assert!(!gate.admits("123457"));
        assert!(!gate.admits("12345"));
        assert!(!gate.admits(""));
        assert!(Gate::new(Access::Open).admits("anything"));
    }

    #[test]
    fn ten_failures_in_a_minute_close_the_address_for_a_minute() {
        let gate = Gate::new(Access::Code("1".into()));
        let ip: IpAddr = [127, 0, 0, 1].into();
        let other: IpAddr = [127, 0, 0, 2].into();
        let t0 = Instant::now();
        for i in 0..MAX_FAILURES - 1 {
            gate.failed(ip, t0 + Duration::from_secs(i as u64));
            assert!(!gate.closed(ip, t0 + Duration::from_secs(i as u64)));
        }
        let tenth = t0 + Duration::from_secs(20);
        gate.failed(ip, tenth);
        assert!(gate.closed(ip, tenth));
        assert!(gate.closed(ip, tenth + Duration::from_secs(59)));
        assert!(!gate.closed(ip, tenth + Duration::from_secs(60)));
        assert!(!gate.closed(other, tenth));
    }

    #[test]
    fn failures_spread_over_more_than_a_minute_do_not_close() {
        let gate = Gate::new(Access::Code("1".into()));
        let ip: IpAddr = [127, 0, 0, 1].into();
        let t0 = Instant::now();
        for i in 0..30 {
            let t = t0 + Duration::from_secs(7 * i);
            gate.failed(ip, t);
            assert!(!gate.closed(ip, t), "closed after failure {i}");
        }
    }
}
