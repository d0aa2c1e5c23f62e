//! Go's `base64.StdEncoding.DecodeString`, error offsets included.
//!
//! Written by hand rather than with the `base64` crate: Go skips `\r`/`\n` anywhere, ignores
//! non-zero trailing bits, and reports the exact byte offsets below, which the backend's error
//! text carries; no crate offers that combination.

use super::GoYamlError;

fn sextet(c: u8) -> Option<u32> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(u32::from(v))
}

fn is_newline(c: u8) -> bool {
    c == b'\n' || c == b'\r'
}

/// Decodes standard base64 with padding exactly as Go's `base64.StdEncoding.DecodeString`.
///
/// ```
/// use flyte_ray_fmt::goyaml::{decode_base64, GoYamlError};
/// assert_eq!(decode_base64(b"e30=").unwrap(), b"{}");
/// assert_eq!(decode_base64(b"e3\r\n0=").unwrap(), b"{}"); // line breaks are skipped
/// assert_eq!(decode_base64(b"e31=").unwrap(), b"{}"); // trailing bits are ignored
/// assert_eq!(decode_base64(b"e30").unwrap_err(), GoYamlError::Base64 { offset: 0 });
/// assert_eq!(decode_base64(b"e30=x").unwrap_err(), GoYamlError::Base64 { offset: 4 });
/// ```
///
/// # Errors
///
/// [`GoYamlError::Base64`] with Go's offset: the bad byte, the start of an unfinished quantum,
/// the input length when the second `=` is missing, or the first byte after the padding.
pub fn decode_base64(src: &[u8]) -> Result<Vec<u8>, GoYamlError> {
    let err = |offset: usize| GoYamlError::Base64 { offset };
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    // One quantum (up to 4 sextets) per iteration, as Go's `decodeQuantum`.
    loop {
        let mut buf = [0u32; 4];
        let mut len = 4;
        let mut j = 0;
        let mut done = false;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                // With padding required, an unfinished quantum is an error at its start
                // (Go: `si - j`, j counting the sextets read).
                return Err(err(si - j));
            }
            let c = src[si];
            si += 1;
            if let Some(v) = sextet(c) {
                buf[j] = v;
                j += 1;
                continue;
            }
            if is_newline(c) {
                continue;
            }
            if c != b'=' {
                return Err(err(si - 1));
            }
            // Padding.
            match j {
                0 | 1 => return Err(err(si - 1)),
                2 => {
                    while si < src.len() && is_newline(src[si]) {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(err(src.len()));
                    }
                    if src[si] != b'=' {
                        return Err(err(si - 1));
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && is_newline(src[si]) {
                si += 1;
            }
            if si < src.len() {
                return Err(err(si));
            }
            len = j;
            done = true;
            break;
        }
        let val = buf[0] << 18 | buf[1] << 12 | buf[2] << 6 | buf[3];
        let bytes = [(val >> 16) as u8, (val >> 8) as u8, val as u8];
        out.extend_from_slice(&bytes[..len - 1]);
        if done {
            return Ok(out);
        }
    }
}
