//! The server's live updates as the workstation reads them: Server-Sent Events (`event:` and `data:` lines,
//! a blank line ending each), parsed by hand since the format is four lines of the WHATWG spec that matter here.

use std::time::Duration;

use chengguan_app::dto::ErrorDto;
use futures_util::StreamExt;
use serde_json::Value;

use crate::error;

/// Longest silence before the connection counts as lost: the server sends a keep-alive every 15 s.
const SILENCE: Duration = Duration::from_secs(45);

/// One event from the server.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerEvent {
    /// `change`, `connection` or `session`.
    pub event: String,
    /// Its data (JSON).
    pub data: Value,
}

/// The stream of a session's live updates.
pub struct EventStream {
    body: futures_util::stream::BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    buffer: Vec<u8>,
}

impl EventStream {
    pub(crate) fn new(res: reqwest::Response) -> Self {
        Self {
            body: res.bytes_stream().boxed(),
            buffer: Vec::new(),
        }
    }

    /// The next event; `None` when the server closed the stream; an error when the connection is lost (the
    /// caller reconnects, and re-reads what it shows).
    pub async fn next(&mut self) -> Option<Result<ServerEvent, ErrorDto>> {
        loop {
            if let Some(event) = self.take_event() {
                return Some(Ok(event));
            }
            match tokio::time::timeout(SILENCE, self.body.next()).await {
                Err(_) => {
                    return Some(Err(error(
                        "server.unreachable",
                        "与城镇服务器的实时连接中断（45 秒无响应）",
                    )))
                }
                Ok(None) => return None,
                Ok(Some(Err(e))) => {
                    return Some(Err(error(
                        "server.unreachable",
                        format!("与城镇服务器的实时连接中断：{e}"),
                    )))
                }
                Ok(Some(Ok(chunk))) => self.buffer.extend_from_slice(&chunk),
            }
        }
    }

    /// Parses one complete event out of the buffer, skipping comments.
    fn take_event(&mut self) -> Option<ServerEvent> {
        loop {
            let end = find_blank_line(&self.buffer)?;
            let block: Vec<u8> = self.buffer.drain(..end.1).collect();
            let text = String::from_utf8_lossy(&block[..end.0]);
            let mut event = "message".to_string();
            let mut data = String::new();
            for line in text.lines() {
                if let Some(v) = line.strip_prefix("event:") {
                    event = v.trim().to_string();
                } else if let Some(v) = line.strip_prefix("data:") {
                    if !data.is_empty() {
                        data.push('\n');
                    }
                    data.push_str(v.strip_prefix(' ').unwrap_or(v));
                }
            }
            if data.is_empty() {
                continue; // a comment (keep-alive)
            }
            let data = serde_json::from_str(&data).unwrap_or(Value::String(data));
            return Some(ServerEvent { event, data });
        }
    }
}

/// The end of the first event in `buf`: (where its text ends, where the next begins).
fn find_blank_line(buf: &[u8]) -> Option<(usize, usize)> {
    buf.windows(2)
        .position(|w| w == b"\n\n")
        .map(|i| (i, i + 2))
}
