//! Base64 in the two forms podplay meets: the standard alphabet with
//! strict padding, as the API server decodes a Secret's `data` (Go's
//! `base64.StdEncoding`), and the URL-safe alphabet without padding
//! (RFC 4648 §5) that share links carry.

/// The value of one base64 character, in the standard (`+/`) or the
/// URL-safe (`-_`) alphabet.
fn sextet(ch: u8, url: bool) -> Option<u8> {
    match ch {
        b'A'..=b'Z' => Some(ch - b'A'),
        b'a'..=b'z' => Some(ch - b'a' + 26),
        b'0'..=b'9' => Some(ch - b'0' + 52),
        b'+' if !url => Some(62),
        b'/' if !url => Some(63),
        b'-' if url => Some(62),
        b'_' if url => Some(63),
        _ => None,
    }
}

/// Standard padded base64 (Go's `base64.StdEncoding`, which decodes a
/// Secret's `data` in the API server; `\r` and `\n` are skipped).
/// `Err(i)`: the input byte where the data goes wrong, as Go's
/// `CorruptInputError` reports it.
pub fn decode_std(text: &str) -> Result<Vec<u8>, usize> {
    let chars: Vec<(usize, u8)> = text.bytes().enumerate().filter(|(_, b)| *b != b'\n' && *b != b'\r').collect();
    let mut out = Vec::with_capacity(chars.len() * 3 / 4);
    for (q, quantum) in chars.chunks(4).enumerate() {
        let last = (q + 1) * 4 >= chars.len();
        if quantum.len() < 4 {
            let bad = quantum.iter().find(|(_, b)| *b != b'=' && sextet(*b, false).is_none());
            return Err(bad.map(|(i, _)| *i).unwrap_or(text.len()));
        }
        // `=` may only end the last quantum: `xx==` or `xxx=`.
        let pads = quantum.iter().rev().take_while(|(_, b)| *b == b'=').count();
        if pads > 2 || (pads > 0 && !last) {
            let (i, _) = quantum[4 - pads];
            return Err(i);
        }
        let mut bits: u32 = 0;
        for &(i, b) in &quantum[..4 - pads] {
            bits = (bits << 6) | sextet(b, false).ok_or(i)? as u32;
        }
        bits <<= 6 * pads as u32;
        let bytes = [(bits >> 16) as u8, (bits >> 8) as u8, bits as u8];
        out.extend_from_slice(&bytes[..3 - pads]);
    }
    Ok(out)
}

const URL_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (RFC 4648 §5).
pub fn encode_url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, b)| acc | (*b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(URL_ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Standard base64 with padding (RFC 4648 §4), as Go's
/// `base64.StdEncoding` writes a Secret's `data` in JSON.
pub fn encode_std(bytes: &[u8]) -> String {
    let url = encode_url(bytes);
    let mut out: String = url
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while out.len() % 4 != 0 {
        out.push('=');
    }
    out
}

/// Base64url, padding optional; None on any other character or a bad length.
pub fn decode_url(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    if text.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for b in text.bytes() {
        acc = (acc << 6) | sextet(b, true)? as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_padded_base64_like_go() {
        let text = |s: &str| decode_std(s).map(|b| String::from_utf8(b).unwrap());
        assert_eq!(text("czNjcjN0").as_deref(), Ok("s3cr3t"));
        assert_eq!(text("YWRtaW4=").as_deref(), Ok("admin"));
        assert_eq!(text("YQ==").as_deref(), Ok("a"));
        assert_eq!(text("YW\nJj").as_deref(), Ok("abc"));
        assert_eq!(text("").as_deref(), Ok(""));
        assert_eq!(decode_std("YWRtaW4"), Err(7));
        assert_eq!(decode_std("s3cr3t!!"), Err(6));
        assert_eq!(decode_std("YQ==YQ=="), Err(2));
        assert_eq!(decode_std("Y==="), Err(1));
        assert_eq!(decode_std("a-b_"), Err(1), "the URL-safe alphabet is not standard");
    }

    #[test]
    fn base64url_round_trips_every_length() {
        let data: Vec<u8> = (0..=255u8).collect();
        for n in 0..data.len() {
            let enc = encode_url(&data[..n]);
            assert_eq!(enc.len(), (n * 4).div_ceil(3));
            assert_eq!(decode_url(&enc).unwrap(), &data[..n]);
        }
        assert_eq!(encode_url(b"Man"), "TWFu");
        assert_eq!(decode_url("TWE=").unwrap(), b"Ma");
        assert_eq!(decode_url("T"), None);
        assert_eq!(decode_url("TW+u"), None, "the standard alphabet is not url-safe");
    }
}
