//! Students' long moves on loopback: two free students press End on a run far too long to
//! compute during the test, and a following student's frames still arrive (the jumps run off the
//! server's async threads, in slices); the jumpers see their progress, Esc stops a jump where it
//! got to, and q leaves in the middle of one. Bounded in count and time; no timing is asserted
//! beyond generous deadlines.

mod serve_common;

use std::time::Duration;

use gradstep::cli::RunArgs;
use gradstep::serve::class::Limits;
use gradstep::serve::gate::GateLimits;
use gradstep::serve::probe;
use russh::Channel;
use russh::client::{Handle, Msg};
use serve_common::*;

type Joined = (Handle<probe::Probe>, Channel<Msg>);

/// 100,000 rows in batches of 1000 for 100,000 epochs: ten million batches of a thousand rows,
/// hours of work in a test build and minutes in a release one.
fn long_run() -> RunArgs {
    RunArgs {
        samples: Some(100_000),
        batch_size: Some(1000),
        epochs: Some(100_000),
        ..RunArgs::default()
    }
}

/// The screen after `bytes`, drawn by a terminal emulator.
fn screen(parser: &mut vt100::Parser, bytes: &[u8]) -> String {
    parser.process(bytes);
    parser.screen().contents()
}

fn parser() -> vt100::Parser {
    vt100::Parser::new(
        std::num::NonZeroU16::new(24).expect("rows"),
        std::num::NonZeroU16::new(80).expect("cols"),
        0,
    )
}

/// Reads frames until the screen satisfies `done`; the screen.
async fn until(
    joined: &mut Joined,
    parser: &mut vt100::Parser,
    done: impl Fn(&str) -> bool,
) -> String {
    loop {
        let frame = probe::next_frame(&mut joined.1)
            .await
            .expect("the channel stays open");
        let shown = screen(parser, &frame);
        if done(&shown) {
            return shown;
        }
    }
}

async fn join(addr: std::net::SocketAddr, user: &str, parser: &mut vt100::Parser) -> Joined {
    let mut joined = probe::join(addr, user, CODE, (80, 24))
        .await
        .expect("joins");
    until(&mut joined, parser, |s| s.contains("following")).await;
    joined
}

#[test]
fn two_students_jumping_to_the_end_do_not_stall_a_follower() {
    let served = Served::start(
        "jumps-end",
        &long_run(),
        GateLimits::default(),
        // No memory budget in the way: this test is about time (the budget's is serve_memory).
        Limits {
            student_history: usize::MAX,
            students_history: usize::MAX,
            ..Limits::new(8)
        },
    );
    let addr = served.addr;
    let (mut pf, mut pa, mut pb) = (parser(), parser(), parser());
    let mut fay = served.bounded(30, join(addr, "fay", &mut pf));
    let mut ann = served.bounded(30, join(addr, "ann", &mut pa));
    let mut bob = served.bounded(30, join(addr, "bob", &mut pb));
    // Ann and Bob explore on their own and press End.
    for (who, p) in [(&mut ann, &mut pa), (&mut bob, &mut pb)] {
        served.bounded(30, async {
            who.1.data(&b"f"[..]).await.expect("f");
            until(who, p, |s| s.contains("exploring")).await;
            who.1.data(&b"\x1b[F"[..]).await.expect("End");
            until(who, p, |s| s.contains("computing batch")).await;
        });
    }
    // Fay, following, opens and closes the help five times: each frame comes within 5 s.
    for _ in 0..5 {
        served.bounded(5, async {
            fay.1.data(&b"?"[..]).await.expect("?");
            probe::next_frame(&mut fay.1).await.expect("fay's frame");
        });
    }
    // Both jumps were still computing all along, and still show how far they got.
    for (who, p) in [(&mut ann, &mut pa), (&mut bob, &mut pb)] {
        let shown = served.bounded(30, until(who, p, |_| true));
        assert!(shown.contains("computing batch"), "{shown}");
        assert!(shown.contains("Esc stops here"), "{shown}");
    }
    // Esc stops Ann's jump where it got to: her explainer answers again.
    let stopped = served.bounded(30, async {
        ann.1.data(&b"\x1b"[..]).await.expect("Esc");
        until(&mut ann, &mut pa, |s| !s.contains("computing batch")).await
    });
    assert!(stopped.contains("exploring"), "{stopped}");
    // q ends Bob's session in the middle of his.
    let gone = served.bounded(30, async {
        bob.1.data(&b"q"[..]).await.expect("q");
        loop {
            if probe::next_frame(&mut bob.1).await.is_none() {
                return true;
            }
        }
    });
    assert!(gone);
    served.bounded(10, async {
        while served.class.students() > 2 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
}
