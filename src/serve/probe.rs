//! A simulated student: an SSH client in-process (russh's), for the load benchmark and the abuse
//! tests. It trusts any host key, so it is for loopback tests only.

use std::net::SocketAddr;
use std::sync::Arc;

use russh::client::{self, Handle, Msg};
use russh::keys::PublicKeyOrCertificate;
use russh::{Channel, ChannelMsg};
use tokio::io::{AsyncRead, AsyncWrite};

/// Marks the end of every frame a student is sent (the synchronized update's end).
pub const FRAME_END: &[u8] = b"\x1b[?2026l";

pub struct Probe;

impl client::Handler for Probe {
    type Error = russh::Error;

    async fn check_server_key(
        &mut self,
        _key: &PublicKeyOrCertificate,
    ) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// A client configuration; `window` is the flow-control window it grants the server.
pub fn config(window: u32) -> Arc<client::Config> {
    Arc::new(client::Config {
        window_size: window,
        ..client::Config::default()
    })
}

/// Connects over `stream` and tries `code`; the handle, and whether the code was taken.
pub async fn login<S>(
    stream: S,
    config: Arc<client::Config>,
    user: &str,
    code: &str,
) -> Result<(Handle<Probe>, bool), russh::Error>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let mut handle = client::connect_stream(config, stream, Probe).await?;
    let ok = handle.authenticate_password(user, code).await?.success();
    Ok((handle, ok))
}

/// A connection to `addr` from the local address `from` (any of 127.0.0.0/8 on loopback), as
/// a client on another machine would make.
pub async fn connect_from(
    from: std::net::IpAddr,
    addr: SocketAddr,
) -> std::io::Result<tokio::net::TcpStream> {
    let socket = match from {
        std::net::IpAddr::V4(_) => tokio::net::TcpSocket::new_v4()?,
        std::net::IpAddr::V6(_) => tokio::net::TcpSocket::new_v6()?,
    };
    socket.bind(SocketAddr::new(from, 0))?;
    socket.connect(addr).await
}

/// What the server said to a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    Admitted,
    /// Checked and found wrong: the server answers and asks for another.
    Refused,
    /// Not checked: the server hung up instead of answering.
    HungUp,
}

/// Connects over `stream` and tries `code`, telling a refusal from a hang-up.
pub async fn try_code<S>(stream: S, user: &str, code: &str) -> Result<Answer, russh::Error>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let mut handle = client::connect_stream(config(1 << 20), stream, Probe).await?;
    Ok(match handle.authenticate_password(user, code).await? {
        client::AuthResult::Success => Answer::Admitted,
        // A closed connection is reported as a failure that offers no way to go on.
        client::AuthResult::Failure {
            remaining_methods, ..
        } if remaining_methods.is_empty() => Answer::HungUp,
        client::AuthResult::Failure { .. } => Answer::Refused,
    })
}

/// Logs in at `addr` and opens the explainer at `cols`×`rows`.
pub async fn join(
    addr: SocketAddr,
    user: &str,
    code: &str,
    size: (u32, u32),
) -> Result<(Handle<Probe>, Channel<Msg>), russh::Error> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    join_over(stream, user, code, size).await
}

/// [`join`] over a connection already made.
pub async fn join_over(
    stream: tokio::net::TcpStream,
    user: &str,
    code: &str,
    (cols, rows): (u32, u32),
) -> Result<(Handle<Probe>, Channel<Msg>), russh::Error> {
    stream.set_nodelay(true)?;
    let (handle, ok) = login(stream, config(2 * 1024 * 1024), user, code).await?;
    if !ok {
        return Err(russh::Error::NotAuthenticated);
    }
    let channel = handle.channel_open_session().await?;
    channel
        .request_pty(false, "xterm-256color", cols, rows, 0, 0, &[])
        .await?;
    channel.request_shell(false).await?;
    Ok((handle, channel))
}

/// Reads until a whole frame has arrived; the bytes read. None when the channel ends.
pub async fn next_frame(channel: &mut Channel<Msg>) -> Option<Vec<u8>> {
    let mut got = Vec::new();
    loop {
        match channel.wait().await? {
            ChannelMsg::Data { data } => {
                got.extend_from_slice(&data);
                if got.windows(FRAME_END.len()).any(|w| w == FRAME_END) {
                    return Some(got);
                }
            }
            ChannelMsg::Eof | ChannelMsg::Close => return None,
            _ => {}
        }
    }
}
