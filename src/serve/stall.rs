//! A connection whose writes may not wait forever: a client that stops reading fills the socket's
//! buffers, and then its writes fail after a while instead of holding the connection (and the
//! server's memory for it) indefinitely.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Sleep;

pub struct Bounded<S> {
    inner: S,
    limit: Duration,
    /// Running since the first write that could not proceed.
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<S> Bounded<S> {
    pub fn new(inner: S, limit: Duration) -> Bounded<S> {
        Bounded {
            inner,
            limit,
            stalled: None,
        }
    }

    /// `pending` from the inner stream, or the stall's end once it has lasted the limit.
    fn waited<T>(
        &mut self,
        cx: &mut Context<'_>,
        result: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match result {
            Poll::Pending => {
                let limit = self.limit;
                let timer = self
                    .stalled
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
                if timer.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the client stopped reading",
                    )));
                }
                Poll::Pending
            }
            ready => {
                self.stalled = None;
                ready
            }
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Bounded<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Bounded<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.waited(cx, result)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let result = Pin::new(&mut self.inner).poll_flush(cx);
        self.waited(cx, result)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[test]
    fn writes_to_a_reader_that_never_reads_fail_after_the_limit() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime");
        rt.block_on(async {
            // 64 bytes of buffer and nobody reading: the second write cannot proceed.
            let (near, mut far) = tokio::io::duplex(64);
            let mut bounded = Bounded::new(near, Duration::from_millis(100));
            bounded
                .write_all(&[1; 64])
                .await
                .expect("the buffer takes 64");
            let started = tokio::time::Instant::now();
            let err = bounded.write_all(&[2; 64]).await.expect_err("stalled");
            assert_eq!(err.kind(), io::ErrorKind::TimedOut);
            assert!(started.elapsed() >= Duration::from_millis(100));
            // A reader that reads lets writes through again.
            let mut got = [0; 64];
            far.read_exact(&mut got).await.expect("read");
            assert_eq!(got, [1; 64]);
            bounded.write_all(&[3; 8]).await.expect("room again");
        });
    }
}
