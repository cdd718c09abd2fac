//! The server's limits under attack, on loopback from many source addresses (127.0.0.0/8),
//! bounded in count and time, with small limits so the tests are quick: wrong codes from many
//! addresses are held to the server's budget, a full table of addresses fails closed, and a
//! flood of silent connections from one address keeps no student out. Throughout, a student
//! already in keeps getting frames.

mod serve_common;

use std::time::Duration;

use gradstep::cli::RunArgs;
use gradstep::serve::class::Limits;
use gradstep::serve::gate::GateLimits;
use gradstep::serve::probe::{self, Answer};
use russh::client::Handle;
use serve_common::*;

type Joined = (Handle<probe::Probe>, russh::Channel<russh::client::Msg>);

/// A student in from 127.0.0.1, with their first frame read.
async fn sam(served_addr: std::net::SocketAddr) -> Joined {
    let (handle, mut channel) = probe::join(served_addr, "sam", CODE, (80, 24))
        .await
        .expect("sam joins");
    probe::next_frame(&mut channel)
        .await
        .expect("sam's first frame");
    (handle, channel)
}

/// The student already in presses `?` (help, which a follower may open) and sees a new frame.
async fn still_in(joined: &mut Joined) {
    joined.1.data(&b"?"[..]).await.expect("a key");
    let frame = probe::next_frame(&mut joined.1)
        .await
        .expect("a frame after a key");
    assert!(!frame.is_empty());
}

/// One code from 127.0.0.`last`: what the server made of it (a connection refused, or
/// closed before the code could be sent, is a hang-up too).
async fn one_code(addr: std::net::SocketAddr, last: u8, code: &str) -> Answer {
    let Ok(stream) = probe::connect_from(loopback(last), addr).await else {
        return Answer::HungUp;
    };
    let attempt = tokio::time::timeout(
        Duration::from_secs(15),
        probe::try_code(stream, "eve", code),
    )
    .await;
    attempt.ok().and_then(Result::ok).unwrap_or(Answer::HungUp)
}

async fn one_wrong_code(addr: std::net::SocketAddr, last: u8) -> Answer {
    one_code(addr, last, "000000").await
}

fn small_gate(server: usize, sources: usize) -> GateLimits {
    GateLimits {
        per_source: 10,
        server,
        // Nothing expires during the test.
        window: Duration::from_secs(600),
        sources,
    }
}

/// Deadlines generous enough for a busy machine: an attempt that must wait for the budget
/// (600 s here) is let go at once all the same, since it could not be heard before its deadline.
fn quick_login() -> Limits {
    Limits {
        greeting: Duration::from_secs(10),
        login: Duration::from_secs(15),
        ..Limits::new(8)
    }
}

#[test]
fn wrong_codes_from_many_addresses_are_held_to_the_servers_budget() {
    let served = Served::start(
        "limits-budget",
        &RunArgs::default(),
        small_gate(8, 4096),
        quick_login(),
    );
    let addr = served.addr;
    let mut sam = served.bounded(20, sam(addr));
    // Right codes take no place in the budget (sam's did not either).
    assert_eq!(
        served.bounded(20, one_code(addr, 9, CODE)),
        Answer::Admitted
    );
    // Twenty addresses, one wrong code each, all at once: no address is near its own limit,
    // so only the server's budget (8 here) stands between them and the code.
    let outcomes = served.bounded(40, async move {
        let tries: Vec<_> = (10..30u8)
            .map(|last| tokio::spawn(one_wrong_code(addr, last)))
            .collect();
        let mut outcomes = Vec::new();
        for t in tries {
            outcomes.push(t.await.expect("an attempt"));
        }
        outcomes
    });
    let checked = outcomes.iter().filter(|o| **o == Answer::Refused).count();
    let unheard = outcomes.iter().filter(|o| **o == Answer::HungUp).count();
    assert_eq!((checked, unheard), (8, 12), "{outcomes:?}");
    // With the budget spent, even the right code from a fresh address waits, past its deadline.
    assert_eq!(served.bounded(20, one_code(addr, 42, CODE)), Answer::HungUp);
    // The student already in never noticed.
    served.bounded(20, still_in(&mut sam));
}

#[test]
fn a_full_table_of_addresses_fails_closed_and_the_class_goes_on() {
    let served = Served::start(
        "limits-table",
        &RunArgs::default(),
        small_gate(1000, 4),
        quick_login(),
    );
    let addr = served.addr;
    let mut sam = served.bounded(20, sam(addr));
    // Four addresses fail once each and fill the table.
    let first = served.bounded(40, async move {
        let mut out = Vec::new();
        for last in 10..14u8 {
            out.push(one_wrong_code(addr, last).await);
        }
        out
    });
    assert_eq!(first, vec![Answer::Refused; 4]);
    // A fifth is not remembered, so it is not heard: its guesses are never checked, and the
    // right code from it is not either.
    for last in [14u8, 15] {
        assert_eq!(
            served.bounded(20, one_wrong_code(addr, last)),
            Answer::HungUp
        );
    }
    assert_eq!(served.bounded(20, one_code(addr, 16, CODE)), Answer::HungUp);
    // An address in the table still is.
    assert_eq!(
        served.bounded(20, one_code(addr, 10, CODE)),
        Answer::Admitted
    );
    served.bounded(20, still_in(&mut sam));
}

#[test]
fn a_flood_of_silent_connections_from_one_address_keeps_no_student_out() {
    // The server's own numbers (8 students, 72 connections), but four at the door from one
    // address and a short greeting deadline, so the test is small and quick.
    let limits = Limits {
        greeting: Duration::from_secs(3),
        max_logins_per_source: 4,
        ..Limits::new(8)
    };
    let served = Served::start(
        "limits-flood",
        &RunArgs::default(),
        small_gate(60, 4096),
        limits,
    );
    let addr = served.addr;
    // 200 connections from 127.0.0.5 that never say a word, held open.
    let flood = served.bounded(30, async move {
        let mut held = Vec::new();
        for _ in 0..200 {
            if let Ok(s) = probe::connect_from(loopback(5), addr).await {
                held.push(s);
            }
        }
        held
    });
    assert_eq!(flood.len(), 200, "the kernel took every connection");
    // The server keeps at most four of them at its door.
    served.bounded(10, async {
        while served.class.logging_in() > 4 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    assert!(served.class.logging_in() <= 4);
    // A student with the code gets in meanwhile and sees the explainer.
    let (_handle, mut channel) = served.bounded(20, async move {
        let stream = probe::connect_from(loopback(1), addr)
            .await
            .expect("connect");
        probe::join_over(stream, "ann", CODE, (80, 24))
            .await
            .expect("ann joins during the flood")
    });
    let frame = served.bounded(20, probe::next_frame(&mut channel));
    let mut screen = vt100::Parser::new(
        std::num::NonZeroU16::new(24).expect("rows"),
        std::num::NonZeroU16::new(80).expect("cols"),
        0,
    );
    screen.process(&frame.expect("a frame"));
    let shown = screen.screen().contents();
    assert!(shown.contains("ann: following"), "{shown}");
    // The silent ones are let go at the greeting's deadline.
    served.bounded(20, async {
        while served.class.logging_in() > 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    drop(flood);
}
