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

/// Logs in at `addr` and opens the explainer at `cols`×`rows`.
pub async fn join(
    addr: SocketAddr,
    user: &str,
    code: &str,
    (cols, rows): (u32, u32),
) -> Result<(Handle<Probe>, Channel<Msg>), russh::Error> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
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
