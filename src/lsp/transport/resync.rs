//! Finding where the next message starts in bytes that are not one.
//!
//! A message starts at a `Content-Length: N` header line. Such a line can never occur inside
//! a valid JSON text (RFC 8259): its letters `content-length` would have to sit outside a
//! string, where JSON allows no letters but those of `true`, `false` and `null`, or inside one,
//! where the raw line break that ends the header line is not allowed. So finding one inside
//! what was announced as a body proves that body broken — its `Content-Length` was too long
//! and it swallowed the start of the next message — and the reader can resume at the line
//! without waiting for the rest of the announced length.

/// The longest `Content-Length` line recognised, line break included. A reader skipping bytes
/// keeps this many at the end of its buffer so that a line split across reads is still found.
pub const MAX_LINE: usize = 128;

const NAME: &[u8] = b"content-length";

/// Where the first `Content-Length: <digits>` line (name in any case, blanks around the value)
/// whose line break is at or after `from` begins, if `bytes` holds one. The line may be
/// preceded by anything on the same line: that is the garbage being skipped.
pub fn next_length_line(bytes: &[u8], from: usize) -> Option<usize> {
    let tail = bytes.get(from..)?;
    memchr::memchr_iter(b'\n', tail)
        .map(|at| at + from)
        .find_map(|newline| length_line_ending_at(bytes, newline))
}

/// The start of the `Content-Length` line that ends with the line break at `newline`.
fn length_line_ending_at(bytes: &[u8], newline: usize) -> Option<usize> {
    let line_start = newline.saturating_sub(MAX_LINE - 1);
    let line = &bytes[line_start..newline];
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let value = line.trim_ascii_end();
    let digits = value
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if digits == 0 {
        return None;
    }
    let before = value[..value.len() - digits].trim_ascii_end();
    let name_end = before.strip_suffix(b":")?;
    let start = name_end.len().checked_sub(NAME.len())?;
    // Every slice above is a prefix of `line`, so `start` is an offset into it.
    name_end[start..]
        .eq_ignore_ascii_case(NAME)
        .then_some(line_start + start)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_header_line_at_the_start() {
        assert_eq!(
            next_length_line(b"Content-Length: 12\r\n\r\n{}", 0),
            Some(0)
        );
    }

    #[test]
    fn finds_it_after_garbage_on_the_same_line_and_in_any_case() {
        let bytes = b"\"}garbage CONTENT-length:\t7 \n\n";
        assert_eq!(next_length_line(bytes, 0), Some(10));
    }

    #[test]
    fn finds_it_after_earlier_lines_and_only_from_the_offset() {
        let bytes = b"x\nContent-Length: 1\r\nContent-Length: 2\r\n";
        assert_eq!(next_length_line(bytes, 0), Some(2));
        assert_eq!(next_length_line(bytes, 21), Some(21));
        assert_eq!(next_length_line(bytes, bytes.len()), None);
    }

    #[test]
    fn needs_digits_a_colon_the_whole_name_and_a_line_break() {
        for bytes in [
            &b"Content-Length: \r\n"[..],
            b"Content-Length 12\r\n",
            b"ontent-Length: 12\r\n",
            b"Content-Length: 12",
            b"Content-Length: 12x\r\n",
            b"Content-Type: 12\r\n",
        ] {
            assert_eq!(
                next_length_line(bytes, 0),
                None,
                "{:?}",
                bytes.escape_ascii()
            );
        }
    }

    #[test]
    fn valid_json_never_holds_one() {
        // The nearest a JSON text comes: the words in a string, escaped line breaks.
        let body = br#"{"text":"Content-Length: 12\r\n\r\n","n":"content-length: 3"}"#;
        assert_eq!(next_length_line(body, 0), None);
    }

    #[test]
    fn a_line_longer_than_the_limit_is_not_one() {
        let mut bytes = b"Content-Length:".to_vec();
        bytes.extend(std::iter::repeat_n(b' ', MAX_LINE));
        bytes.extend(b"5\n");
        assert_eq!(next_length_line(&bytes, 0), None);
    }
}
