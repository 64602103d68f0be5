//! The base protocol's framing — `Content-Length` headers, then a body of that many bytes —
//! decoded so that no input ends the stream: whatever is not a frame comes out as a
//! [`Fault`], and decoding carries on at the next header line.

use std::fmt;

use tokio_util::bytes::{Buf, Bytes, BytesMut};
use tokio_util::codec::Decoder;

use super::resync::{next_length_line, MAX_LINE};

/// The largest body accepted, 64 MiB: three times the largest `didOpen` of a news article
/// anyone will write, and small enough to hold. A larger one is skipped as it arrives, never
/// held, and answered with an error.
pub const MAX_BODY: u64 = 64 << 20;

/// The longest header block: editors send one or two short lines.
const MAX_HEADER: usize = 8 << 10;

/// The most header lines in a block; more is not a header.
const MAX_HEADERS: usize = 16;

/// What the decoder found next in its input.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A body of exactly the announced length (not yet known to be JSON).
    Body(Bytes),
    /// Bytes that were not a frame; they have been skipped.
    Fault(Fault),
}

/// Why bytes were skipped.
#[derive(Debug, PartialEq, Eq)]
pub enum Fault {
    /// Bytes where a header was due that are not one: a line without `:`, a body without
    /// headers, the rest of a body whose `Content-Length` was too short.
    Garbage,
    /// A header block without `Content-Length`.
    MissingLength,
    /// A `Content-Length` that is not a number, or two that disagree.
    InvalidLength(String),
    /// A `Content-Length` over [`MAX_BODY`]; the body is being skipped.
    TooLarge(u64),
    /// A body cut short by the header of the next message: its `Content-Length` was too
    /// long. These are its bytes up to that header.
    Overrun(Bytes),
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Garbage => write!(f, "bytes that are not a `Content-Length` header"),
            Fault::MissingLength => write!(f, "a header without `Content-Length`"),
            Fault::InvalidLength(value) => write!(f, "an invalid `Content-Length`: {value:?}"),
            Fault::TooLarge(length) => write!(
                f,
                "a message of {length} bytes, over the limit of {MAX_BODY} bytes"
            ),
            Fault::Overrun(body) => write!(
                f,
                "a message shorter than its `Content-Length` ({} bytes before the next header)",
                body.len()
            ),
        }
    }
}

/// Frames `body` as the base protocol does.
pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
    framed.extend_from_slice(body);
    framed
}

/// Where the decoder is in its input.
#[derive(Debug, Clone, Copy)]
enum State {
    /// At the start of a header block.
    Header,
    /// In a body of `len` bytes; the buffer's line breaks before `scanned` were looked at.
    Body { len: usize, scanned: usize },
    /// Skipping `remaining` bytes of an oversized body.
    Discard { remaining: u64, scanned: usize },
    /// Skipping garbage up to the next `Content-Length` line.
    Resync { scanned: usize },
}

/// A [`Decoder`] of frames that never fails: `tokio-util`'s `FramedRead` ends its stream
/// after a decoder's first error, so every fault is a frame here.
#[derive(Debug)]
pub struct FrameDecoder {
    state: State,
    max_body: u64,
}

impl Default for FrameDecoder {
    fn default() -> Self {
        FrameDecoder::with_limit(MAX_BODY)
    }
}

/// What the header block at the start of the buffer says.
enum Header {
    /// Not all of it has arrived.
    Partial,
    /// A blank line where a header block was due (between messages): skip it.
    Blank(usize),
    /// A block of `size` bytes announcing a body of `length`.
    Length { size: usize, length: u64 },
    /// Not a usable header block.
    Fault(Fault),
}

impl FrameDecoder {
    /// A decoder accepting bodies of up to `max_body` bytes (tests use small limits).
    pub fn with_limit(max_body: u64) -> Self {
        FrameDecoder {
            state: State::Header,
            max_body,
        }
    }

    /// Reads the header block at the start of `src`, with `httparse` (hyper's header parser,
    /// which tower-lsp-server uses too): it validates names and handles both line endings.
    fn header(src: &[u8]) -> Header {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        match httparse::parse_headers(src, &mut headers) {
            Ok(httparse::Status::Partial) if src.len() < MAX_HEADER => Header::Partial,
            Ok(httparse::Status::Partial) | Err(_) => Header::Fault(Fault::Garbage),
            Ok(httparse::Status::Complete((size, []))) => Header::Blank(size),
            Ok(httparse::Status::Complete((size, headers))) => match content_length(headers) {
                Ok(length) => Header::Length { size, length },
                Err(fault) => Header::Fault(fault),
            },
        }
    }
}

/// The `Content-Length` of a header block (the name in any case, other headers ignored).
fn content_length(headers: &[httparse::Header<'_>]) -> Result<u64, Fault> {
    let mut length = None;
    for header in headers {
        if !header.name.eq_ignore_ascii_case("content-length") {
            continue;
        }
        let value = String::from_utf8_lossy(header.value);
        let value = value.trim();
        let invalid = || Fault::InvalidLength(value.chars().take(40).collect());
        let parsed = value.parse::<u64>().map_err(|_| invalid())?;
        if length.is_some_and(|known| known != parsed) {
            return Err(invalid());
        }
        length = Some(parsed);
    }
    length.ok_or(Fault::MissingLength)
}

impl Decoder for FrameDecoder {
    type Item = Frame;
    type Error = std::io::Error;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, Self::Error> {
        loop {
            match self.state {
                State::Header => match FrameDecoder::header(src) {
                    Header::Partial => return Ok(None),
                    Header::Blank(size) => src.advance(size),
                    Header::Length { size, length } => {
                        src.advance(size);
                        match usize::try_from(length) {
                            Ok(len) if length <= self.max_body => {
                                src.reserve(len.saturating_sub(src.len()));
                                self.state = State::Body { len, scanned: 0 };
                            }
                            _ => {
                                self.state = State::Discard {
                                    remaining: length,
                                    scanned: 0,
                                };
                                return Ok(Some(Frame::Fault(Fault::TooLarge(length))));
                            }
                        }
                    }
                    Header::Fault(fault) => {
                        // Resume one byte on, so a header line later on this one is found.
                        src.advance(1);
                        self.state = State::Resync { scanned: 0 };
                        return Ok(Some(Frame::Fault(fault)));
                    }
                },
                State::Body { len, scanned } => {
                    // A header line starting inside the body proves it cut short (see
                    // `resync`); look a line past its end for one straddling it.
                    let window = src.len().min(len.saturating_add(MAX_LINE));
                    let next = next_length_line(&src[..window], scanned).filter(|&at| at < len);
                    if let Some(at) = next {
                        self.state = State::Header;
                        let body = src.split_to(at).freeze();
                        return Ok(Some(Frame::Fault(Fault::Overrun(body))));
                    }
                    if src.len() < len {
                        self.state = State::Body {
                            len,
                            scanned: src.len(),
                        };
                        return Ok(None);
                    }
                    self.state = State::Header;
                    return Ok(Some(Frame::Body(src.split_to(len).freeze())));
                }
                State::Discard { remaining, scanned } => {
                    let left = usize::try_from(remaining).unwrap_or(usize::MAX);
                    let window = src.len().min(left.saturating_add(MAX_LINE));
                    let next = next_length_line(&src[..window], scanned).filter(|&at| at < left);
                    if let Some(at) = next {
                        src.advance(at);
                        self.state = State::Header;
                    } else if src.len() >= left {
                        src.advance(left);
                        self.state = State::Header;
                    } else {
                        let skipped = src.len().saturating_sub(MAX_LINE);
                        src.advance(skipped);
                        self.state = State::Discard {
                            remaining: remaining - skipped as u64,
                            scanned: src.len(),
                        };
                        return Ok(None);
                    }
                }
                State::Resync { scanned } => {
                    if let Some(at) = next_length_line(src, scanned) {
                        src.advance(at);
                        self.state = State::Header;
                    } else {
                        src.advance(src.len().saturating_sub(MAX_LINE));
                        self.state = State::Resync { scanned: src.len() };
                        return Ok(None);
                    }
                }
            }
        }
    }

    /// At the end of input, what is left is not a frame: drop it rather than fail.
    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Frame>, Self::Error> {
        let frame = self.decode(src)?;
        if frame.is_none() {
            src.clear();
        }
        Ok(frame)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &[u8] = br#"{"jsonrpc":"2.0","id":1,"method":"a"}"#;
    const B: &[u8] = br#"{"jsonrpc":"2.0","id":2,"method":"b"}"#;

    fn body(bytes: &[u8]) -> Frame {
        Frame::Body(Bytes::copy_from_slice(bytes))
    }

    /// The frames of `input` fed in one piece, checked against the same input fed a byte
    /// at a time: how it is split into reads must not matter.
    fn decode(input: &[u8], limit: u64) -> Vec<Frame> {
        let whole = feed(input.chunks(input.len().max(1)), limit);
        let bytewise = feed(input.chunks(1), limit);
        assert_eq!(whole, bytewise, "split into reads differently");
        whole
    }

    fn feed<'a>(chunks: impl Iterator<Item = &'a [u8]>, limit: u64) -> Vec<Frame> {
        let mut decoder = FrameDecoder::with_limit(limit);
        let mut buffer = BytesMut::new();
        let mut frames = Vec::new();
        for chunk in chunks {
            buffer.extend_from_slice(chunk);
            while let Ok(Some(frame)) = decoder.decode(&mut buffer) {
                frames.push(frame);
            }
        }
        while let Ok(Some(frame)) = decoder.decode_eof(&mut buffer) {
            frames.push(frame);
        }
        frames
    }

    fn cat(parts: &[&[u8]]) -> Vec<u8> {
        parts.concat()
    }

    #[test]
    fn frames_follow_one_another() {
        let input = cat(&[&frame(A), &frame(B)]);
        assert_eq!(decode(&input, MAX_BODY), [body(A), body(B)]);
    }

    #[test]
    fn header_names_are_read_in_any_case_and_other_headers_ignored() {
        let input = cat(&[
            b"content-length: 37\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\nX-Whatever: 1\r\n\r\n",
            A,
            b"CONTENT-LENGTH:37\n\n",
            B,
        ]);
        assert_eq!(decode(&input, MAX_BODY), [body(A), body(B)]);
    }

    #[test]
    fn blank_lines_between_messages_are_skipped_quietly() {
        let input = cat(&[b"\r\n\r\n", &frame(A), b"\r\n", &frame(B)]);
        assert_eq!(decode(&input, MAX_BODY), [body(A), body(B)]);
    }

    #[test]
    fn a_body_without_a_header_is_skipped() {
        let input = cat(&[b"{}", &frame(A)]);
        assert_eq!(
            decode(&input, MAX_BODY),
            [Frame::Fault(Fault::Garbage), body(A)]
        );
    }

    #[test]
    fn a_length_that_is_not_a_number_skips_to_the_next_message() {
        let input = cat(&[b"Content-Length: twelve\r\n\r\n", B, &frame(A)]);
        let fault = Fault::InvalidLength("twelve".into());
        assert_eq!(decode(&input, MAX_BODY), [Frame::Fault(fault), body(A)]);
    }

    #[test]
    fn two_lengths_that_disagree_are_invalid() {
        let input = cat(&[
            b"Content-Length: 2\r\nContent-Length: 30\r\n\r\n{}",
            &frame(A),
        ]);
        let frames = decode(&input, MAX_BODY);
        assert!(matches!(frames[0], Frame::Fault(Fault::InvalidLength(_))));
        // The second line then heads a block of its own, whose 30 bytes run into the next
        // header: an overrun, then `A`.
        assert_eq!(frames.last(), Some(&body(A)));
    }

    #[test]
    fn a_missing_length_skips_to_the_next_message() {
        let input = cat(&[b"Content-Type: application/json\r\n\r\n", B, &frame(A)]);
        assert_eq!(
            decode(&input, MAX_BODY),
            [Frame::Fault(Fault::MissingLength), body(A)]
        );
    }

    #[test]
    fn a_header_line_without_a_colon_skips_that_message() {
        let input = cat(&[b"Content-Length: 37\r\nnonsense\r\n\r\n", B, &frame(A)]);
        assert_eq!(
            decode(&input, MAX_BODY),
            [Frame::Fault(Fault::Garbage), body(A)]
        );
    }

    #[test]
    fn garbage_before_a_header_on_its_line_is_skipped() {
        let input = cat(&[b"\"}garbage", &frame(A)]);
        assert_eq!(
            decode(&input, MAX_BODY),
            [Frame::Fault(Fault::Garbage), body(A)]
        );
    }

    #[test]
    fn a_length_too_short_gives_a_short_body_then_skips_the_rest() {
        let input = cat(&[b"Content-Length: 10\r\n\r\n", B, &frame(A)]);
        assert_eq!(
            decode(&input, MAX_BODY),
            [body(&B[..10]), Frame::Fault(Fault::Garbage), body(A)]
        );
    }

    #[test]
    fn a_length_too_long_stops_at_the_next_header() {
        let input = cat(&[b"Content-Length: 100\r\n\r\n{}", &frame(A), &frame(B)]);
        let overrun = Fault::Overrun(Bytes::from_static(b"{}"));
        assert_eq!(
            decode(&input, MAX_BODY),
            [Frame::Fault(overrun), body(A), body(B)]
        );
    }

    #[test]
    fn a_length_too_long_is_found_when_the_next_header_straddles_its_end_in_one_read() {
        // The announced 4 bytes end inside the next `Content-Length`. Only when that line
        // has arrived with the body can it be seen: read a byte at a time, the body is
        // `{}Co` and the next message is lost (the one after it is read).
        let input = cat(&[b"Content-Length: 4\r\n\r\n{}", &frame(A)]);
        let overrun = Fault::Overrun(Bytes::from_static(b"{}"));
        let frames = feed(std::iter::once(&input[..]), MAX_BODY);
        assert_eq!(frames, [Frame::Fault(overrun), body(A)]);
    }

    #[test]
    fn an_oversized_body_is_skipped_then_the_next_message_read() {
        let big = vec![b'x'; 5000];
        let input = cat(&[&frame(&big), &frame(A)]);
        assert_eq!(
            decode(&input, 1000),
            [Frame::Fault(Fault::TooLarge(5000)), body(A)]
        );
    }

    #[test]
    fn an_oversized_body_is_not_held() {
        let mut decoder = FrameDecoder::with_limit(1000);
        let mut buffer = BytesMut::from(&b"Content-Length: 1000000\r\n\r\n"[..]);
        let fault = decoder.decode(&mut buffer).ok().flatten();
        assert_eq!(fault, Some(Frame::Fault(Fault::TooLarge(1_000_000))));
        for _ in 0..100 {
            buffer.extend_from_slice(&[b'x'; 9000]);
            assert_eq!(decoder.decode(&mut buffer).ok().flatten(), None);
            assert!(buffer.len() <= MAX_LINE, "{} bytes held", buffer.len());
        }
        buffer.extend_from_slice(&frame(A));
        assert_eq!(decoder.decode(&mut buffer).ok().flatten(), Some(body(A)));
    }

    #[test]
    fn an_oversized_length_that_lies_stops_at_the_next_header() {
        let input = cat(&[b"Content-Length: 99999999999999999999\r\n\r\n{}", &frame(A)]);
        let frames = decode(&input, MAX_BODY);
        // Not a u64: an invalid length, then the resync finds `A`.
        assert_eq!(frames.last(), Some(&body(A)));
        let input = cat(&[b"Content-Length: 999999999999\r\n\r\n{}", &frame(A)]);
        assert_eq!(
            decode(&input, MAX_BODY),
            [Frame::Fault(Fault::TooLarge(999_999_999_999)), body(A)]
        );
    }

    #[test]
    fn an_endless_header_is_garbage() {
        let input = cat(&[&vec![b'a'; MAX_HEADER + 10], b"\r\n", &frame(A)]);
        let frames = decode(&input, MAX_BODY);
        assert_eq!(frames.first(), Some(&Frame::Fault(Fault::Garbage)));
        assert_eq!(frames.last(), Some(&body(A)));
    }

    #[test]
    fn a_body_cut_off_by_the_end_of_input_is_dropped() {
        let input = cat(&[&frame(A), b"Content-Length: 50\r\n\r\n{\"jsonrpc\""]);
        assert_eq!(decode(&input, MAX_BODY), [body(A)]);
    }
}
