//! The framing layer in front of tower-lsp-server: no bytes a client sends end the server.
//!
//! # Why
//!
//! tower-lsp-server reads its input through tokio-util's `FramedRead` with its own
//! `LanguageServerCodec`. That codec returns an error for any body that is not a JSON-RPC
//! message (`{}`, `[]`, `{"jsonrpc":`), for a header it cannot parse, a `Content-Type` it
//! does not know or a `Content-Length` that is not a number; and `FramedRead` ends its
//! stream after a decoder's first error (tokio-rs/tokio#3976, "Return `None` if we have
//! encountered an error from the underlying decoder"). tower-lsp-server answers that one
//! error, its read loop sees the stream end, and `serve` returns: the server exits with
//! status 0 and every editor reports that the language server crashed.
//!
//! The fix upstream would be a codec that never fails on bad input — a decode result such as
//! `Result<Message, ParseError>` as the *item*, errors of the decoder kept for I/O — and a
//! read loop that answers bad items and carries on. Until it is there, this module stands
//! in front of `Server::new(input, output, socket)` and hands it only messages its codec
//! takes.
//!
//! # How
//!
//! - [`frames`]: our own tokio-util `Decoder` reads the client's bytes. It never fails:
//!   whatever is not a frame is reported as a fault and skipped. Headers are parsed by
//!   `httparse` (a crate of the hyper project, already in the tree through tower-lsp-server):
//!   names in any case, `Content-Type` and unknown headers ignored. After bytes that are not a
//!   header it resyncs at the next `Content-Length:` line ([`resync`]).
//! - A `Content-Length` too short leaves the rest of its body where the next header is due:
//!   garbage, skipped to the next header. One too long swallows the start of the next
//!   message; since a `Content-Length: N` line cannot occur in valid JSON, the decoder looks
//!   for one inside every body as it arrives and, finding one, ends the body there (an
//!   overrun) and reads the message that starts at it — without waiting for the bytes the
//!   wrong length still promised. (A too-long length followed by nothing waits, like any
//!   incomplete message: framing cannot tell it from a slow client.)
//! - Bodies up to [`frames::MAX_BODY`] (64 MiB) are held and checked; a larger one is skipped
//!   as it arrives, never held, and answered with an error.
//! - [`check`]: each body is decoded with tower-lsp-server's own `Request` and `Response`
//!   types; only those that pass are framed again and written into the server's input, an
//!   in-memory `tokio::io::duplex`.
//! - A bad frame is answered with a JSON-RPC error: -32700 (parse error) for bytes that are
//!   not JSON or not a frame, -32600 (invalid request) for JSON that is no message, a batch
//!   (one error per request in it) or a body over the limit; with the request's `id` when it
//!   can be read, else `null`. Errors with `id: null` cannot be matched to anything, so one
//!   is sent per stretch of bad input (until a good message arrives), not one per fault.
//!
//! # Output
//!
//! The server writes to a second duplex, not to the real output. One task, [`write_output`],
//! owns the real output: it reads the server's output frame by frame (the same decoder; that
//! output is well framed) and receives our error responses over a channel, and writes each
//! whole frame, then flushes, before it takes the next. So an error can only fall between two
//! of the server's frames, never inside one, and a client reads a clean stream.
//!
//! # Ending
//!
//! The server still ends on `exit` (tower-lsp-server stops reading after it) and at the end
//! of input (the reader drops the server's input, which it then reads to its end). Once the
//! server is done, its output ends, the writer writes what is left and returns, and so does
//! [`serve`], even if the reader is still waiting on input that will never come.

mod check;
mod frames;
mod resync;

use std::future::Future;

use futures_util::StreamExt;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, DuplexStream};
use tokio::sync::mpsc;
use tokio_util::codec::FramedRead;
use tower_lsp_server::jsonrpc::{ErrorCode, Id, Response};

pub use frames::MAX_BODY;
use frames::{frame, Fault, Frame, FrameDecoder};

/// The buffer of each in-memory pipe to and from the server; writers wait when it is full.
const PIPE: usize = 1 << 16;

/// How many error responses may wait for the writer; the reader waits beyond that.
const PENDING_ERRORS: usize = 64;

/// Runs `server` on clean input: `server(input, output)` gets a stream of well-formed
/// messages and a stream to write its own, and this relays between them and the real
/// `input` and `output` until the server returns.
pub async fn serve<S, F>(input: impl AsyncRead + Unpin, output: impl AsyncWrite, server: S)
where
    S: FnOnce(DuplexStream, DuplexStream) -> F,
    F: Future<Output = ()>,
{
    let (to_server, server_input) = tokio::io::duplex(PIPE);
    let (server_output, from_server) = tokio::io::duplex(PIPE);
    let (errors, pending) = mpsc::channel(PENDING_ERRORS);
    let mut reader = std::pin::pin!(read_input(input, to_server, errors));
    let mut rest = std::pin::pin!(async {
        tokio::join!(
            server(server_input, server_output),
            write_output(from_server, pending, output)
        )
    });
    tokio::select! {
        _ = &mut rest => {}
        () = &mut reader => {
            // The input ended; the server sees the end of its own and finishes.
            rest.await;
        }
    }
}

/// Reads the client's frames, passes messages on to the server and bad frames' errors to the
/// writer, until the input ends or the server stops reading.
async fn read_input(
    input: impl AsyncRead + Unpin,
    mut to_server: DuplexStream,
    errors: mpsc::Sender<Response>,
) {
    let mut frames = FramedRead::new(input, FrameDecoder::default());
    // Whether an error with `id: null` was sent since the last good message.
    let mut answered = false;
    while let Some(Ok(frame)) = frames.next().await {
        let rejected = match frame {
            Frame::Body(body) => match check::check(&body) {
                Ok(()) => {
                    answered = false;
                    let framed = frames::frame(&body);
                    if to_server.write_all(&framed).await.is_err() {
                        return;
                    }
                    continue;
                }
                Err(responses) => responses,
            },
            Frame::Fault(fault) => vec![answer(fault)],
        };
        for response in rejected {
            if *response.id() == Id::Null {
                if answered {
                    continue;
                }
                answered = true;
            }
            if errors.send(response).await.is_err() {
                return;
            }
        }
    }
}

/// The error response to a frame fault.
fn answer(fault: Fault) -> Response {
    let (id, code) = match &fault {
        Fault::Overrun(body) => (check::id_in(body), ErrorCode::ParseError),
        Fault::TooLarge(_) => (Id::Null, ErrorCode::InvalidRequest),
        _ => (Id::Null, ErrorCode::ParseError),
    };
    check::reject(id, code, fault.to_string())
}

/// Writes the server's frames and our error responses to `output`, each whole, until the
/// server's output ends.
async fn write_output(
    from_server: DuplexStream,
    mut errors: mpsc::Receiver<Response>,
    output: impl AsyncWrite,
) {
    let mut output = std::pin::pin!(output);
    let mut frames = FramedRead::new(from_server, FrameDecoder::default());
    let mut errors_open = true;
    loop {
        let framed = tokio::select! {
            next = frames.next() => match next {
                Some(Ok(Frame::Body(body))) => frame(&body),
                // The server frames its own output well; nothing else to pass on.
                Some(Ok(Frame::Fault(_))) => continue,
                Some(Err(_)) | None => break,
            },
            error = errors.recv(), if errors_open => match error {
                Some(response) => encode(&response),
                None => {
                    errors_open = false;
                    continue;
                }
            },
        };
        if write_frame(&mut output, &framed).await.is_err() {
            return;
        }
    }
    while let Ok(response) = errors.try_recv() {
        if write_frame(&mut output, &encode(&response)).await.is_err() {
            return;
        }
    }
}

/// A response, framed.
fn encode(response: &Response) -> Vec<u8> {
    // A `Response` of ids, codes and strings always serialises.
    frame(&serde_json::to_vec(response).unwrap_or_default())
}

/// Writes one whole frame and flushes it.
async fn write_frame(
    output: &mut std::pin::Pin<&mut impl AsyncWrite>,
    framed: &[u8],
) -> std::io::Result<()> {
    output.write_all(framed).await?;
    output.flush().await
}
