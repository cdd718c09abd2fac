//! Who may join: the class code, compared in constant time, and limits on failed attempts so the
//! code cannot be guessed by trying them all: per source (an IPv4 address, or an IPv6 /64, which
//! one client holds whole), and for the whole server, so that many sources together cannot search
//! six digits either. The table of sources is bounded, and when it is full it fails closed.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use subtle::ConstantTimeEq;

/// Password attempts on one connection.
pub const ATTEMPTS_PER_CONNECTION: usize = 3;

/// How many failures the gate tolerates, and how many sources it remembers.
#[derive(Clone, Debug)]
pub struct GateLimits {
    /// Failures from one source within `window` that close it for `window`.
    pub per_source: usize,
    /// Failures from all sources together within `window`; past them every attempt waits.
    pub server: usize,
    pub window: Duration,
    /// Sources remembered at once; when all are live, unknown sources are refused.
    pub sources: usize,
}

impl Default for GateLimits {
    fn default() -> GateLimits {
        GateLimits {
            per_source: 10,
            // One a second on average: searching a million codes takes about a week.
            server: 60,
            window: Duration::from_secs(60),
            sources: 4096,
        }
    }
}

/// How students get in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// With this password.
    Code(String),
    /// Without one (`--open`).
    Open,
}

/// What the limits count as one client: an IPv4 address, or an IPv6 /64 (a host is commonly
/// given a whole /64, and can use every address in it). IPv4 mapped into IPv6 is IPv4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    V4([u8; 4]),
    V6Net([u8; 8]),
}

impl Source {
    pub fn of(ip: IpAddr) -> Source {
        match ip {
            IpAddr::V4(v4) => Source::V4(v4.octets()),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Source::V4(v4.octets()),
                None => Source::V6Net(prefix64(v6)),
            },
        }
    }
}

fn prefix64(v6: Ipv6Addr) -> [u8; 8] {
    let o = v6.octets();
    [o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7]]
}

#[derive(Default)]
struct Record {
    failures: VecDeque<Instant>,
    closed_until: Option<Instant>,
}

impl Record {
    fn live(&self, now: Instant, window: Duration) -> bool {
        self.closed_until.is_some_and(|u| now < u)
            || self
                .failures
                .back()
                .is_some_and(|t| now.saturating_duration_since(*t) < window)
    }
}

struct Table {
    sources: HashMap<Source, Record>,
    /// Attempts of the whole server within the window: failures, and attempts being checked
    /// (taken before the check, given back if the code was right).
    server: VecDeque<Instant>,
}

pub struct Gate {
    pub access: Access,
    limits: GateLimits,
    table: Mutex<Table>,
}

/// Why an attempt cannot be checked now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wait {
    /// This source failed too often (or the table is full): refused.
    Closed,
    /// The server's budget of failures is spent until then.
    Until(Instant),
}

/// An attempt being checked; counted against the server's budget until it is known to be right.
#[derive(Debug)]
pub struct Attempt {
    at: Instant,
}

impl Gate {
    pub fn new(access: Access) -> Gate {
        Gate::with_limits(access, GateLimits::default())
    }

    pub fn with_limits(access: Access, limits: GateLimits) -> Gate {
        Gate {
            access,
            limits,
            table: Mutex::new(Table {
                sources: HashMap::new(),
                server: VecDeque::new(),
            }),
        }
    }

    pub fn limits(&self) -> &GateLimits {
        &self.limits
    }

    /// Whether `password` is the class code; the time taken does not depend on where they differ.
    pub fn admits(&self, password: &str) -> bool {
        match &self.access {
            Access::Open => true,
            Access::Code(code) => bool::from(password.as_bytes().ct_eq(code.as_bytes())),
        }
    }

    /// Forgets what no longer counts.
    fn prune(&self, table: &mut Table, now: Instant) {
        let window = self.limits.window;
        while table
            .server
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= window)
        {
            table.server.pop_front();
        }
        if table.sources.len() >= self.limits.sources {
            table.sources.retain(|_, r| r.live(now, window));
        }
    }

    /// Whether `ip` may not be heard now: it failed too often lately, or the table is full of
    /// live records and it is not among them (failing open there would let it guess freely).
    pub fn closed(&self, ip: IpAddr, now: Instant) -> bool {
        let Ok(mut table) = self.table.lock() else {
            return true;
        };
        self.prune(&mut table, now);
        match table.sources.get(&Source::of(ip)) {
            Some(r) => r.closed_until.is_some_and(|until| now < until),
            None => table.sources.len() >= self.limits.sources,
        }
    }

    /// Takes a place in the server's budget for checking a code from `ip`, or says why not.
    pub fn begin(&self, ip: IpAddr, now: Instant) -> Result<Attempt, Wait> {
        let Ok(mut table) = self.table.lock() else {
            return Err(Wait::Closed);
        };
        self.prune(&mut table, now);
        match table.sources.get(&Source::of(ip)) {
            Some(r) if r.closed_until.is_some_and(|until| now < until) => return Err(Wait::Closed),
            None if table.sources.len() >= self.limits.sources => return Err(Wait::Closed),
            _ => {}
        }
        if table.server.len() >= self.limits.server {
            let oldest = table.server.front().copied().unwrap_or(now);
            return Err(Wait::Until(oldest + self.limits.window));
        }
        table.server.push_back(now);
        Ok(Attempt { at: now })
    }

    /// The code was right: its place in the server's budget is given back.
    pub fn admitted(&self, attempt: Attempt) {
        if let Ok(mut table) = self.table.lock()
            && let Some(i) = table.server.iter().rposition(|t| *t == attempt.at)
        {
            table.server.remove(i);
        }
    }

    /// The code was wrong: it stays in the server's budget, and counts against `ip`.
    pub fn failed(&self, ip: IpAddr, attempt: Attempt) {
        let now = attempt.at;
        let Ok(mut table) = self.table.lock() else {
            return;
        };
        self.prune(&mut table, now);
        let source = Source::of(ip);
        if !table.sources.contains_key(&source) && table.sources.len() >= self.limits.sources {
            // Full of live records: the newcomer is refused by `closed` until room is made.
            return;
        }
        let (per_source, window) = (self.limits.per_source, self.limits.window);
        let r = table.sources.entry(source).or_default();
        while r
            .failures
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= window)
        {
            r.failures.pop_front();
        }
        r.failures.push_back(now);
        if r.failures.len() >= per_source {
            r.closed_until = Some(now + window);
            r.failures.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v4(last: u8) -> IpAddr {
        [127, 0, 0, last].into()
    }

    /// Checks one wrong code from `ip` at `t`; false when it could not be checked.
    fn wrong(gate: &Gate, ip: IpAddr, t: Instant) -> bool {
        match gate.begin(ip, t) {
            Ok(a) => {
                gate.failed(ip, a);
                true
            }
            Err(_) => false,
        }
    }

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
        let (ip, other) = (v4(1), v4(2));
        let t0 = Instant::now();
        for i in 0..9 {
            let t = t0 + Duration::from_secs(i);
            assert!(wrong(&gate, ip, t));
            assert!(!gate.closed(ip, t));
        }
        let tenth = t0 + Duration::from_secs(20);
        assert!(wrong(&gate, ip, tenth));
        assert!(gate.closed(ip, tenth));
        assert_eq!(gate.begin(ip, tenth).map(|_| ()), Err(Wait::Closed));
        assert!(gate.closed(ip, tenth + Duration::from_secs(59)));
        assert!(!gate.closed(ip, tenth + Duration::from_secs(60)));
        assert!(!gate.closed(other, tenth));
    }

    #[test]
    fn failures_spread_over_more_than_a_minute_do_not_close() {
        let gate = Gate::new(Access::Code("1".into()));
        let t0 = Instant::now();
        for i in 0..30 {
            let t = t0 + Duration::from_secs(7 * i);
            assert!(wrong(&gate, v4(1), t));
            assert!(!gate.closed(v4(1), t), "closed after failure {i}");
        }
    }

    #[test]
    fn a_full_table_refuses_newcomers_until_its_records_expire() {
        let limits = GateLimits {
            per_source: 10,
            server: 1000,
            window: Duration::from_secs(60),
            sources: 4,
        };
        let gate = Gate::with_limits(Access::Code("1".into()), limits);
        let t0 = Instant::now();
        for last in 1..=4 {
            assert!(wrong(&gate, v4(last), t0));
        }
        // The fifth source is not remembered, so it is not heard at all (it used to guess freely).
        assert!(gate.closed(v4(5), t0));
        assert!(!wrong(&gate, v4(5), t0));
        // Those already in the table go on as before (one failure each is not a lock-out).
        assert!(!gate.closed(v4(1), t0));
        assert!(wrong(&gate, v4(1), t0));
        // A minute on, the records have expired and the newcomer is heard.
        let later = t0 + Duration::from_secs(61);
        assert!(!gate.closed(v4(5), later));
        assert!(wrong(&gate, v4(5), later));
    }

    #[test]
    fn an_ipv6_slash_64_is_one_source_and_mapped_ipv4_is_ipv4() {
        let gate = Gate::new(Access::Code("1".into()));
        let t0 = Instant::now();
        // Ten different addresses of one /64 close the whole /64 ...
        for i in 0..10u16 {
            let ip = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 1, 2, i, 0xbeef, 7, i));
            assert!(wrong(&gate, ip, t0));
        }
        let same_64 = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 1, 2, 0xffff, 1, 2, 3));
        assert!(gate.closed(same_64, t0));
        // ... but not the next /64.
        let next_64 = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 1, 3, 0, 0, 0, 1));
        assert!(!gate.closed(next_64, t0));
        assert_eq!(
            Source::of(next_64),
            Source::V6Net([0x20, 1, 0xd, 0xb8, 0, 1, 0, 3])
        );
        // IPv4 addresses are counted one by one, mapped or not.
        let mapped: IpAddr = "::ffff:127.0.0.9".parse().expect("mapped address");
        assert_eq!(Source::of(mapped), Source::of(v4(9)));
        assert_ne!(Source::of(v4(9)), Source::of(v4(10)));
    }

    #[test]
    fn the_server_budget_holds_many_sources_to_it_and_right_codes_give_their_place_back() {
        let limits = GateLimits {
            per_source: 10,
            server: 5,
            window: Duration::from_secs(60),
            sources: 4096,
        };
        let gate = Gate::with_limits(Access::Code("1".into()), limits);
        let t0 = Instant::now();
        // A right code takes no place in the budget.
        let a = gate.begin(v4(100), t0).expect("heard");
        gate.admitted(a);
        // Five wrong codes from five sources spend the budget ...
        for last in 1..=5 {
            assert!(wrong(
                &gate,
                v4(last),
                t0 + Duration::from_secs(u64::from(last))
            ));
        }
        // ... and then every source waits until the first of them is a minute old.
        let t = t0 + Duration::from_secs(10);
        for last in [6, 7, 100] {
            assert_eq!(
                gate.begin(v4(last), t).map(|_| ()),
                Err(Wait::Until(t0 + Duration::from_secs(61)))
            );
        }
        // None of them is closed: the budget is the server's, not theirs.
        assert!(!gate.closed(v4(6), t));
        assert!(wrong(&gate, v4(6), t0 + Duration::from_secs(61)));
        assert!(gate.begin(v4(7), t0 + Duration::from_secs(61)).is_err());
        assert!(gate.begin(v4(7), t0 + Duration::from_secs(62)).is_ok());
    }
}
